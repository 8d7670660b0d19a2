/**
 * CIF reader (CIF 1.1 syntax; mmCIF's dotted names are read as their underscore twins).
 *
 * Each `data_` block with atom sites is a frame. The cell comes from _cell_length_* and
 * _cell_angle_* (a along x, b in the xy plane: cellFromParameters), numbers may carry
 * uncertainties (`5.4307(2)`), and `?` / `.` mean "no value". Sites are fractional
 * (_atom_site_fract_*) or Cartesian (_atom_site_Cartn_*); the element comes from
 * _atom_site_type_symbol (charges such as `O2-` dropped), else from the label.
 *
 * Symmetry operations (_symmetry_equiv_pos_as_xyz or _space_group_symop_operation_xyz) are
 * applied to every site and the images wrapped into [0, 1); images of a site that coincide
 * under periodic boundaries (within 1e-4 in fractional coordinates) are kept once. Files
 * with only the identity keep their coordinates as written. Atoms come site by site, each
 * site's images in the order of the operations. Occupancies are kept in `occupancy` but
 * partially occupied sites are not resolved (a warning says so).
 */
import { ParseError } from '../errors.js';
import {
  AbortError,
  type FormatSpec,
  type FrameIndex,
  type OpenOptions,
  type TrajectoryReader,
  isUsableIndex,
} from '../format.js';
import type { ByteSource } from '../source.js';
import { LineReader, headText } from '../text.js';
import { atomicNumber } from '../../model/elements.js';
import { cellFromParameters, fractionalToCartesian, invert3 } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';

const FORMAT = 'cif';

/** Symmetry images closer than this (fractional, per component, under PBC) are one atom. */
export const DUPLICATE_TOLERANCE = 1e-4;

// ---------------------------------------------------------------------------------------
// Tokens

interface Token {
  text: string;
  line: number;
  /** Quoted strings and text fields are values even when they look like keywords. */
  quoted: boolean;
}

/** Splits CIF lines into tokens: quotes close only before whitespace; `;` fields span lines. */
export function tokenize(lines: Iterable<{ text: string; line: number }>, file: string): Token[] {
  const out: Token[] = [];
  let field: { parts: string[]; line: number } | null = null;
  for (const { text, line } of lines) {
    if (field) {
      if (text.startsWith(';')) {
        out.push({ text: field.parts.join('\n'), line: field.line, quoted: true });
        field = null;
        scanLine(text.slice(1), line, out, file);
      } else field.parts.push(text);
      continue;
    }
    if (text.startsWith(';')) {
      field = { parts: [text.slice(1)], line };
      continue;
    }
    scanLine(text, line, out, file);
  }
  if (field) throw new ParseError(file, FORMAT, 'text field opened with ";" is never closed', { line: field.line });
  return out;
}

function scanLine(text: string, line: number, out: Token[], file: string): void {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    // Every character the token loop below stops at must be skipped here, or it never advances.
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') return;
    if (c === "'" || c === '"') {
      // The closing quote is the first same quote followed by whitespace or the line end.
      let j = i + 1;
      while (j < n && !(text[j] === c && (j + 1 === n || /\s/.test(text[j + 1]!)))) j++;
      if (j >= n) throw new ParseError(file, FORMAT, `unterminated quoted string ${text.slice(i, i + 30)}`, { line });
      out.push({ text: text.slice(i + 1, j), line, quoted: true });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && !/\s/.test(text[j]!)) j++;
    out.push({ text: text.slice(i, j), line, quoted: false });
    i = j;
  }
}

// ---------------------------------------------------------------------------------------
// Blocks

interface Loop {
  tags: string[];
  /** Row-major values. */
  values: Token[];
}

export interface CifBlock {
  name: string;
  line: number;
  items: Map<string, Token>;
  loops: Loop[];
}

/** mmCIF `_cell.length_a` and CIF `_cell_length_a` are the same item; tags are case-free. */
function normalizeTag(tag: string): string {
  return tag.toLowerCase().replace('.', '_');
}

function keyword(t: Token): string | null {
  if (t.quoted) return null;
  const lower = t.text.toLowerCase();
  if (lower.startsWith('data_')) return 'data_';
  if (lower === 'loop_' || lower === 'global_' || lower === 'stop_') return lower;
  if (lower.startsWith('save_')) return 'save_';
  if (t.text.startsWith('_')) return 'tag';
  return null;
}

/** Groups tokens into data blocks of single items and loops. */
export function parseBlocks(tokens: Token[], file: string): CifBlock[] {
  const blocks: CifBlock[] = [];
  let block: CifBlock | null = null;
  function fail(t: Token, reason: string): never {
    throw new ParseError(file, FORMAT, reason, { line: t.line });
  }
  for (let k = 0; k < tokens.length;) {
    const t = tokens[k]!;
    const kind = keyword(t);
    if (kind === 'data_') {
      block = { name: t.text.slice(5), line: t.line, items: new Map(), loops: [] };
      blocks.push(block);
      k++;
      continue;
    }
    if (kind === 'save_' || kind === 'global_' || kind === 'stop_') {
      k++; // save frames (dictionaries) hold no structure: their items are read and ignored
      continue;
    }
    if (!block) fail(t, `expected 'data_' before '${t.text}'`);
    if (kind === 'loop_') {
      const loop: Loop = { tags: [], values: [] };
      k++;
      while (k < tokens.length && keyword(tokens[k]!) === 'tag') loop.tags.push(normalizeTag(tokens[k++]!.text));
      if (loop.tags.length === 0) fail(t, 'loop_ without tags');
      while (k < tokens.length && keyword(tokens[k]!) === null) loop.values.push(tokens[k++]!);
      if (loop.values.length % loop.tags.length !== 0) {
        fail(
          loop.values.at(-1) ?? t,
          `loop of ${loop.tags.length} tags (${loop.tags[0]}, ...) has ${loop.values.length} values, not a multiple`,
        );
      }
      block.loops.push(loop);
      continue;
    }
    if (kind === 'tag') {
      const value = tokens[k + 1];
      if (!value || keyword(value) !== null) fail(t, `tag ${t.text} has no value`);
      block.items.set(normalizeTag(t.text), value);
      k += 2;
      continue;
    }
    fail(t, `unexpected value '${t.text}' outside a loop`);
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------
// Values

/** A CIF number: `5.4307(2)` -> 5.4307; `?` and `.` -> NaN. */
export function cifNumber(text: string): number {
  if (text === '?' || text === '.') return NaN;
  const paren = text.indexOf('(');
  const v = Number(paren >= 0 ? text.slice(0, paren) : text);
  return text.length === 0 ? NaN : v;
}

function numberItem(block: CifBlock, tag: string, file: string): number | undefined {
  const t = block.items.get(tag);
  if (!t) return undefined;
  const v = cifNumber(t.text);
  if (Number.isNaN(v) && t.text !== '?' && t.text !== '.') {
    throw new ParseError(file, FORMAT, `${tag}: '${t.text}' is not a number`, { line: t.line });
  }
  return Number.isNaN(v) ? undefined : v;
}

/** The loop holding a tag, with a column getter. */
function loopWith(block: CifBlock, tag: string): { loop: Loop; rows: number; col: (tag: string) => number } | null {
  const loop = block.loops.find((l) => l.tags.includes(tag));
  if (!loop) return null;
  return { loop, rows: loop.values.length / loop.tags.length, col: (t) => loop.tags.indexOf(t) };
}

/** Element of a type symbol (`Fe3+`, `O2-`, `Cu`) or a label (`Cu1`, `O1a`, `Os2`). */
export function elementOf(text: string): number {
  const letters = /^[A-Za-z]{1,2}/.exec(text)?.[0] ?? '';
  if (letters.length === 2) {
    const two = atomicNumber(letters);
    if (two > 0) return two;
  }
  return atomicNumber(letters.slice(0, 1));
}

// ---------------------------------------------------------------------------------------
// Symmetry operations

/** A symmetry operation: frac' = frac · R^T + t, as rows of R and t. */
export interface SymOp {
  rot: Float64Array; // 9, row k gives component k of the image
  trans: Float64Array; // 3
}

/** Parses `-x+1/2, y-x, z+0.25` (any order of terms, fractions or decimals). */
export function parseSymOp(text: string): SymOp | null {
  const parts = text.toLowerCase().replace(/\s+/g, '').split(',');
  if (parts.length !== 3) return null;
  const rot = new Float64Array(9);
  const trans = new Float64Array(3);
  for (let k = 0; k < 3; k++) {
    const part = parts[k]!;
    if (part === '') return null;
    const term = /([+-]?)(\d+(?:\.\d*)?(?:\/\d+(?:\.\d*)?)?|\.\d+)?\*?([xyz])?/gy;
    let at = 0;
    while (at < part.length) {
      term.lastIndex = at;
      const m = term.exec(part);
      if (!m || m[0].length === 0 || (m[2] === undefined && m[3] === undefined)) return null;
      const sign = m[1] === '-' ? -1 : 1;
      const coef = m[2] === undefined ? 1 : fraction(m[2]);
      if (m[3] === undefined) trans[k] = trans[k]! + sign * coef;
      else rot[3 * k + 'xyz'.indexOf(m[3])] = rot[3 * k + 'xyz'.indexOf(m[3])]! + sign * coef;
      at = term.lastIndex;
    }
  }
  return { rot, trans };
}

function fraction(text: string): number {
  const [p, q] = text.split('/');
  return q === undefined ? Number(p) : Number(p) / Number(q);
}

function isIdentity(op: SymOp): boolean {
  return op.rot.every((v, k) => v === (k % 4 === 0 ? 1 : 0)) && op.trans.every((v) => v === 0);
}

const SYMOP_TAGS = ['_space_group_symop_operation_xyz', '_symmetry_equiv_pos_as_xyz'];

function symmetryOps(block: CifBlock, file: string, warnings: string[]): SymOp[] {
  let texts: Token[] = [];
  for (const tag of SYMOP_TAGS) {
    const found = loopWith(block, tag);
    if (found) {
      const c = found.col(tag);
      texts = Array.from({ length: found.rows }, (_, r) => found.loop.values[r * found.loop.tags.length + c]!);
      break;
    }
    const single = block.items.get(tag);
    if (single) {
      texts = [single];
      break;
    }
  }
  if (texts.length === 0) {
    const group =
      block.items.get('_space_group_name_h-m_alt')?.text ?? block.items.get('_symmetry_space_group_name_h-m')?.text;
    if (group && group.replace(/\s+/g, '').toUpperCase() !== 'P1') {
      warnings.push(`data_${block.name}: space group ${group} without symmetry operations: sites not expanded`);
    }
    return [{ rot: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), trans: new Float64Array(3) }];
  }
  return texts.map((t) => {
    const op = parseSymOp(t.text);
    if (!op) throw new ParseError(file, FORMAT, `cannot read symmetry operation '${t.text}'`, { line: t.line });
    return op;
  });
}

/** Applies every operation to every site; keeps one of each set of coinciding images. */
export function expandSites(
  frac: Float64Array,
  ops: SymOp[],
  tolerance = DUPLICATE_TOLERANCE,
): { frac: Float64Array; site: Uint32Array } {
  if (ops.length === 1 && isIdentity(ops[0]!)) {
    return { frac, site: Uint32Array.from({ length: frac.length / 3 }, (_, i) => i) };
  }
  const out: number[] = [];
  const site: number[] = [];
  const image = new Float64Array(3);
  for (let s = 0; s < frac.length / 3; s++) {
    const first = out.length;
    for (const { rot, trans } of ops) {
      for (let k = 0; k < 3; k++) {
        const v =
          rot[3 * k]! * frac[3 * s]! +
          rot[3 * k + 1]! * frac[3 * s + 1]! +
          rot[3 * k + 2]! * frac[3 * s + 2]! +
          trans[k]!;
        image[k] = v - Math.floor(v);
      }
      if (!seen(out, first, image, tolerance)) {
        out.push(image[0]!, image[1]!, image[2]!);
        site.push(s);
      }
    }
  }
  return { frac: Float64Array.from(out), site: Uint32Array.from(site) };
}

/** True when `p` coincides, under periodic boundaries, with an image already in out[first..]. */
function seen(out: number[], first: number, p: Float64Array, tolerance: number): boolean {
  for (let j = first; j < out.length; j += 3) {
    let same = true;
    for (let k = 0; k < 3 && same; k++) {
      const d = out[j + k]! - p[k]!;
      same = Math.abs(d - Math.round(d)) < tolerance;
    }
    if (same) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------
// Structures

function cellOf(block: CifBlock, file: string): Float64Array | null {
  const get = (tag: string): number | undefined => numberItem(block, tag, file);
  const [a, b, c] = [get('_cell_length_a'), get('_cell_length_b'), get('_cell_length_c')];
  if (a === undefined || b === undefined || c === undefined) return null;
  const [alpha, beta, gamma] = [
    get('_cell_angle_alpha') ?? 90,
    get('_cell_angle_beta') ?? 90,
    get('_cell_angle_gamma') ?? 90,
  ];
  if (a <= 0 || b <= 0 || c <= 0)
    throw new ParseError(file, FORMAT, `data_${block.name}: cell lengths must be positive`, { line: block.line });
  return cellFromParameters(a, b, c, alpha, beta, gamma);
}

export function structureFromBlock(block: CifBlock, file: string, warnings: string[]): Structure {
  const where = { line: block.line };
  const fracLoop = loopWith(block, '_atom_site_fract_x');
  const cartLoop = fracLoop ? null : loopWith(block, '_atom_site_cartn_x');
  const sites = fracLoop ?? cartLoop;
  if (!sites) throw new ParseError(file, FORMAT, `data_${block.name} has no _atom_site loop`, where);
  const prefix = fracLoop ? '_atom_site_fract_' : '_atom_site_cartn_';
  const cols = ['x', 'y', 'z'].map((a) => sites.col(prefix + a));
  if (cols.some((c) => c < 0))
    throw new ParseError(file, FORMAT, `data_${block.name}: ${prefix}x/y/z incomplete`, where);
  const cell = cellOf(block, file);
  if (!cell && fracLoop)
    throw new ParseError(file, FORMAT, `data_${block.name}: fractional sites but no _cell_length_a/b/c`, where);

  const width = sites.loop.tags.length;
  const cell_ = (r: number, c: number): Token => sites.loop.values[r * width + c]!;
  const coords = new Float64Array(3 * sites.rows);
  for (let r = 0; r < sites.rows; r++) {
    for (let k = 0; k < 3; k++) {
      const t = cell_(r, cols[k]!);
      const v = cifNumber(t.text);
      if (!Number.isFinite(v))
        throw new ParseError(file, FORMAT, `${prefix}${'xyz'[k]}: '${t.text}' is not a number`, { line: t.line });
      coords[3 * r + k] = v;
    }
  }
  const frac = fracLoop ? coords : fractionalFromCartesian(coords, cell);
  const ops = cell ? symmetryOps(block, file, warnings) : [];
  const expanded = cell
    ? expandSites(frac, ops)
    : { frac, site: Uint32Array.from({ length: sites.rows }, (_, i) => i) };
  const n = expanded.site.length;

  const symbolCol = sites.col('_atom_site_type_symbol');
  const labelCol = sites.col('_atom_site_label');
  const occupancyCol = sites.col('_atom_site_occupancy');
  const numbers = new Uint8Array(n);
  const labels: string[] = new Array<string>(n);
  const occupancy = new Float64Array(n);
  let partial = false;
  const unknown = new Set<string>();
  for (let i = 0; i < n; i++) {
    const r = expanded.site[i]!;
    const symbol = symbolCol >= 0 ? cell_(r, symbolCol).text : labelCol >= 0 ? cell_(r, labelCol).text : '';
    numbers[i] = elementOf(symbol);
    if (numbers[i] === 0) unknown.add(symbol);
    labels[i] = labelCol >= 0 ? cell_(r, labelCol).text : symbol;
    const occ = occupancyCol >= 0 ? cifNumber(cell_(r, occupancyCol).text) : 1;
    occupancy[i] = Number.isNaN(occ) ? 1 : occ;
    partial ||= occupancy[i]! < 1 - 1e-6;
  }
  if (unknown.size > 0) warnings.push(`data_${block.name}: unknown element(s) ${[...unknown].join(', ')}: set to 0`);
  if (partial) warnings.push(`data_${block.name}: partially occupied sites are all kept`);

  const positions = cell ? fractionalToCartesian(expanded.frac, cell) : expanded.frac;
  const s: Structure = {
    numbers,
    positions,
    cell,
    pbc: cell ? [true, true, true] : [false, false, false],
    arrays: { label: labels },
    info: { title: block.name },
  };
  if (occupancyCol >= 0) s.arrays.occupancy = occupancy;
  const group = block.items.get('_space_group_name_h-m_alt') ?? block.items.get('_symmetry_space_group_name_h-m');
  if (group) s.info.spacegroup = group.text;
  return s;
}

function fractionalFromCartesian(cart: Float64Array, cell: Float64Array | null): Float64Array {
  if (!cell) return cart;
  const inv = invert3(cell);
  return fractionalToCartesian(cart, inv);
}

// ---------------------------------------------------------------------------------------
// Index: data_ blocks that hold atom sites

const SITE_LINE = /^\s*_atom_site[._](fract|cartn)_x\b/i;

function indexBlocks(source: ByteSource, options: OpenOptions): FrameIndex {
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  const warnings: string[] = [];
  let current: { offset: number; line: number; name: string; sites: boolean } | null = null;
  let inField = false;
  let nextReport = 1 << 20;
  const close = (): void => {
    if (!current) return;
    if (current.sites) {
      offsets.push(current.offset);
      lines.push(current.line);
    } else warnings.push(`data_${current.name} (line ${current.line}) has no atom sites: skipped`);
  };
  for (let line = lr.next(); line !== null; line = lr.next()) {
    if (line.startsWith(';')) inField = !inField;
    if (inField) continue;
    if (/^data_/i.test(line)) {
      close();
      current = { offset: lr.lineOffset, line: lr.lineNumber, name: line.slice(5).trim(), sites: false };
    } else if (current && !current.sites && SITE_LINE.test(line)) current.sites = true;
    if (lr.offset >= nextReport) {
      nextReport = lr.offset + Math.max(1 << 20, source.size / 100);
      if (options.isCancelled?.()) throw new AbortError();
      options.onProgress?.(lr.offset / Math.max(1, source.size), `indexing ${source.name}`);
    }
  }
  close();
  offsets.push(source.size);
  options.onProgress?.(1, `indexed ${source.name}: ${lines.length} blocks`);
  return { offsets: Float64Array.from(offsets), lines: Float64Array.from(lines), warnings };
}

/** A view of a source that ends early, so a LineReader reads only one block's bytes. */
function sliceSource(source: ByteSource, end: number): ByteSource {
  return {
    name: source.name,
    size: end,
    read: (offset, length) => source.read(offset, Math.max(0, Math.min(length, end - offset))),
  };
}

function* blockLines(lr: LineReader): Generator<{ text: string; line: number }> {
  let first = true;
  let inField = false;
  for (let text = lr.next(); text !== null; text = lr.next()) {
    if (text.startsWith(';')) inField = !inField;
    // Stop at the next data_ block (a skipped block may follow this one).
    if (!first && !inField && /^data_/i.test(text)) return;
    first = false;
    yield { text, line: lr.lineNumber };
  }
}

class CifReader implements TrajectoryReader {
  readonly format = FORMAT;
  readonly frameCount: number;
  readonly atomCount: number;
  readonly warnings: string[];
  private readonly index: FrameIndex;

  constructor(
    private readonly source: ByteSource,
    options: OpenOptions,
  ) {
    if (source.size === 0) throw new ParseError(source.name, FORMAT, 'empty file', { line: 1 });
    const given = options.index;
    this.index =
      isUsableIndex(given, source.size) && given.offsets.at(-1) === source.size ? given : indexBlocks(source, options);
    this.frameCount = this.index.offsets.length - 1;
    this.warnings = [...this.index.warnings];
    if (this.frameCount === 0) {
      throw new ParseError(
        source.name,
        FORMAT,
        'no data_ block with atom sites (_atom_site_fract_x or _atom_site_Cartn_x)',
        {
          line: 1,
        },
      );
    }
    this.atomCount = this.readFrame(0).numbers.length;
  }

  readFrame(i: number): Structure {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`${this.source.name}: frame ${i} out of range (0..${this.frameCount - 1})`);
    }
    const lr = new LineReader(
      sliceSource(this.source, this.index.offsets[i + 1]!),
      this.index.offsets[i]!,
      this.index.lines?.[i] ?? 1,
    );
    const [block] = parseBlocks(tokenize(blockLines(lr), this.source.name), this.source.name);
    if (!block) throw new ParseError(this.source.name, FORMAT, 'no data_ block here (stale index?)', { frame: i });
    const warnings: string[] = [];
    const s = structureFromBlock(block, this.source.name, warnings);
    for (const w of warnings) if (!this.warnings.includes(w)) this.warnings.push(w);
    return s;
  }

  frameIndex(): FrameIndex {
    return this.index;
  }

  close(): void {
    this.source.close?.();
  }
}

/** A `data_` line before any other content (comments and blank lines allowed). */
function sniff(head: Uint8Array): boolean {
  for (const line of headText(head.subarray(0, 4096)).split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    return /^data_/i.test(t);
  }
  return false;
}

export const cifFormat: FormatSpec = {
  id: FORMAT,
  label: 'CIF',
  extensions: ['cif'],
  sniff,
  binary: false,
  multiFrame: true,
  open: (source, options = {}) => new CifReader(source, options),
};
