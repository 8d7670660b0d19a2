/**
 * Readers for tabulated EAM potential files, the three DYNAMO formats LAMMPS reads:
 *
 * - funcfl (`pair_style eam`, `*.eam`): one element per file. Line 1 comment; line 2
 *   "Z mass a0 lattice"; line 3 "Nrho drho Nr dr cutoff"; then F(rho) (Nrho values),
 *   Z(r) (Nr values, effective charge in sqrt(Hartree·Bohr)) and rho(r) (Nr values).
 * - setfl (`pair_style eam/alloy`, `*.eam.alloy`): lines 1-3 comments; line 4 "N el1 .. elN";
 *   line 5 "Nrho drho Nr dr cutoff"; per element a line "Z mass a0 lattice", F(rho) and
 *   rho(r); then r·phi(r) for every pair i >= j in the order (0,0), (1,0), (1,1), (2,0) ...
 * - Finnis–Sinclair (`pair_style eam/fs`, `*.eam.fs`): as setfl but each element I lists N
 *   density functions rho_IJ(r), J = 1..N.
 *
 * Values are read as LAMMPS (2020 and later) reads them: a section starts on a fresh line
 * and takes tokens line by line until it has its count; tokens left on its last line are
 * dropped (reported in `warnings`). A file that ends early gives a ParseError that names the
 * file, the element and section, and how many of how many values were read.
 *
 * Core has no file system: the caller hands in the text (or a ByteSource) and a name.
 */
import { ParseError } from '../../io/errors.js';
import type { ByteSource } from '../../io/source.js';
import { elementSymbol } from '../../model/elements.js';

export type EamKind = 'funcfl' | 'setfl' | 'fs';

export const EAM_STYLE: Record<EamKind, string> = { funcfl: 'eam', setfl: 'eam/alloy', fs: 'eam/fs' };

export interface EamElementInfo {
  symbol: string;
  z: number;
  mass: number;
  a0: number;
  lattice: string;
}

/** A funcfl file as written (arrays 0-based: entry k is at rho = k*drho or r = k*dr). */
export interface FuncflFile {
  kind: 'funcfl';
  name: string;
  comment: string;
  element: EamElementInfo;
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cut: number;
  frho: Float64Array;
  /** Effective charge Z(r); LAMMPS forms r·phi = 27.2 · 0.529 · Zi · Zj. */
  zr: Float64Array;
  rhor: Float64Array;
  warnings: string[];
}

/** A setfl or Finnis–Sinclair file as written. */
export interface SetflFile {
  kind: 'setfl' | 'fs';
  name: string;
  comments: string[];
  elements: EamElementInfo[];
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cut: number;
  /** F_I(rho), one per element. */
  frho: Float64Array[];
  /** setfl: rho_I(r), one per element. fs: rho_IJ(r) at index I*N + J (listed in element I's block). */
  rhor: Float64Array[];
  /** r·phi_IJ(r) for I >= J at index I(I+1)/2 + J. */
  z2r: Float64Array[];
  warnings: string[];
}

export type EamFile = FuncflFile | SetflFile;

/** Walks the text line by line, handing out numbers section by section. */
class Tokens {
  private readonly lines: string[];
  /** 0-based index of the next line to read. */
  private next = 0;
  constructor(
    text: string,
    readonly file: string,
    readonly format: string,
    readonly warnings: string[],
  ) {
    this.lines = text.split(/\r?\n/);
  }

  get lineNumber(): number {
    return this.next;
  }

  fail(reason: string, line = this.next): never {
    throw new ParseError(this.file, this.format, reason, line > 0 ? { line } : {});
  }

  /** The next line as written (for comment lines), or null at the end. */
  rawLine(): string | null {
    if (this.next >= this.lines.length) return null;
    return this.lines[this.next++]!;
  }

  /** Fields of the next line that has any (after stripping a # comment), or null at the end. */
  fields(): string[] | null {
    while (this.next < this.lines.length) {
      const line = this.lines[this.next++]!;
      const hash = line.indexOf('#');
      const text = (hash >= 0 ? line.slice(0, hash) : line).trim();
      if (text !== '') return text.split(/\s+/);
    }
    return null;
  }

  /** A header line with at least `min` fields. */
  header(what: string, min: number): string[] {
    const f = this.fields();
    if (!f) this.fail(`premature end of file: expected ${what}`);
    if (f.length < min) this.fail(`expected ${what}, found '${f.join(' ')}'`);
    return f;
  }

  number(token: string, what: string): number {
    const v = Number(token);
    if (token === '' || !Number.isFinite(v)) this.fail(`${what}: '${token}' is not a number`);
    return v;
  }

  integer(token: string, what: string, min: number): number {
    const v = this.number(token, what);
    if (!Number.isInteger(v) || v < min) this.fail(`${what}: '${token}' is not an integer >= ${min}`);
    return v;
  }

  /** `n` values of the section `what`, starting on a fresh line. */
  values(n: number, what: string, header: string): Float64Array {
    const out = new Float64Array(n);
    let i = 0;
    while (i < n) {
      const f = this.fields();
      if (!f) {
        this.fail(
          `premature end of file in ${what}: read ${i} of ${n} values (${header}); the file is truncated or its header counts are wrong`,
        );
      }
      // The last line of a file cut mid-number may hold a fragment such as "1.2e-": that is
      // the truncation, not a typo, and is reported as such.
      const cut = this.next === this.lines.length && !/\s$/.test(this.lines[this.next - 1]!);
      let t = 0;
      for (; t < f.length && i < n; t++) {
        const v = Number(f[t]);
        if (cut && !Number.isFinite(v)) break;
        out[i] = this.number(f[t]!, `${what}, value ${i + 1}`);
        i++;
      }
      if (cut && i < n) {
        this.fail(
          `premature end of file in ${what}: read ${i} of ${n} values (${header}); the file is truncated or its header counts are wrong`,
        );
      }
      if (t < f.length) {
        this.warnings.push(
          `line ${this.next}: ${f.length - t} value(s) after the end of ${what} ignored (LAMMPS ignores them too)`,
        );
      }
    }
    return out;
  }
}

interface GridHeader {
  nrho: number;
  drho: number;
  nr: number;
  dr: number;
  cut: number;
}

function readGrid(tok: Tokens): GridHeader {
  const f = tok.header("'Nrho drho Nr dr cutoff'", 5);
  const grid = {
    nrho: tok.integer(f[0]!, 'Nrho', 2),
    drho: tok.number(f[1]!, 'drho'),
    nr: tok.integer(f[2]!, 'Nr', 2),
    dr: tok.number(f[3]!, 'dr'),
    cut: tok.number(f[4]!, 'cutoff'),
  };
  if (!(grid.drho > 0) || !(grid.dr > 0) || !(grid.cut > 0)) {
    tok.fail(`drho, dr and cutoff must be positive, got ${f.slice(1).join(' ')}`);
  }
  return grid;
}

function readElementLine(tok: Tokens, symbol: string | undefined): EamElementInfo {
  const f = tok.header(`'Z mass a0 lattice' of element ${symbol ?? ''}`.trim(), 2);
  const z = tok.number(f[0]!, 'atomic number');
  const mass = tok.number(f[1]!, 'mass');
  const a0 = f[2] !== undefined && Number.isFinite(Number(f[2])) ? Number(f[2]) : NaN;
  const zInt = Math.round(z);
  return {
    symbol: symbol ?? (zInt >= 1 && zInt <= 118 ? elementSymbol(zInt) : `Z${z}`),
    z,
    mass,
    a0,
    lattice: (f[3] ?? '').toUpperCase(),
  };
}

export function parseFuncfl(name: string, text: string): FuncflFile {
  const warnings: string[] = [];
  const tok: Tokens = new Tokens(text, name, 'eam funcfl', warnings);
  const comment = tok.rawLine();
  if (comment === null || text.trim() === '') tok.fail('empty file');
  const element = readElementLine(tok, undefined);
  const grid = readGrid(tok);
  const head = `header: Nrho ${grid.nrho}, Nr ${grid.nr}`;
  const frho = tok.values(grid.nrho, `embedding F(rho) of ${element.symbol}`, head);
  const zr = tok.values(grid.nr, `effective charge Z(r) of ${element.symbol}`, head);
  const rhor = tok.values(grid.nr, `density rho(r) of ${element.symbol}`, head);
  return { kind: 'funcfl', name, comment: comment.trim(), element, ...grid, frho, zr, rhor, warnings };
}

export function parseSetfl(name: string, text: string, kind: 'setfl' | 'fs'): SetflFile {
  const warnings: string[] = [];
  const format = kind === 'fs' ? 'eam/fs setfl' : 'eam/alloy setfl';
  const tok: Tokens = new Tokens(text, name, format, warnings);
  if (text.trim() === '') tok.fail('empty file');
  const comments: string[] = [];
  for (let k = 0; k < 3; k++) {
    const line = tok.rawLine();
    if (line === null) tok.fail('premature end of file in the 3 comment lines');
    comments.push(line.trim());
  }
  const f = tok.header("'N element1 ... elementN'", 2);
  const count = tok.integer(f[0]!, 'element count', 1);
  if (f.length < count + 1) tok.fail(`the header announces ${count} elements but names ${f.length - 1}`);
  const symbols = f.slice(1, count + 1);
  const grid = readGrid(tok);
  const head = `header: ${count} element(s), Nrho ${grid.nrho}, Nr ${grid.nr}`;
  const elements: EamElementInfo[] = [];
  const frho: Float64Array[] = [];
  const rhor: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const s = symbols[i]!;
    elements.push(readElementLine(tok, s));
    frho.push(tok.values(grid.nrho, `element ${i + 1} (${s}) embedding F(rho)`, head));
    if (kind === 'fs') {
      for (let j = 0; j < count; j++) {
        rhor.push(tok.values(grid.nr, `element ${i + 1} (${s}) density rho_${s}${symbols[j]}(r)`, head));
      }
    } else {
      rhor.push(tok.values(grid.nr, `element ${i + 1} (${s}) density rho(r)`, head));
    }
  }
  const z2r: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    for (let j = 0; j <= i; j++) {
      z2r.push(tok.values(grid.nr, `pair r*phi(r) ${symbols[i]}-${symbols[j]}`, head));
    }
  }
  return { kind, name, comments, elements, ...grid, frho, rhor, z2r, warnings };
}

/** The kind implied by a file name, or undefined when the name says nothing. */
export function eamKindFromName(name: string): EamKind | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.eam.fs') || lower.endsWith('.fs')) return 'fs';
  if (lower.endsWith('.eam.alloy') || lower.endsWith('.setfl') || lower.endsWith('.alloy')) return 'setfl';
  if (lower.endsWith('.eam') || lower.endsWith('.funcfl')) return 'funcfl';
  return undefined;
}

/**
 * The kind by content: a setfl/fs file has "N name1 .. nameN" on line 4, a funcfl file five
 * numbers on line 3. setfl and fs differ only in how many values follow; with one element
 * they are the same file.
 */
export function sniffEamKind(text: string): EamKind | undefined {
  const lines = text.split(/\r?\n/, 6).map((l) => l.trim().split(/\s+/));
  const l3 = lines[2] ?? [];
  const l4 = lines[3] ?? [];
  const l5 = lines[4] ?? [];
  const n = Number(l4[0]);
  if (Number.isInteger(n) && n >= 1 && l4.length >= n + 1 && l4.slice(1).every((t) => !Number.isFinite(Number(t)))) {
    if (n === 1) return 'setfl';
    const [nrho, , nr] = l5.map(Number);
    const values = (text.match(/[^\s]+/g) ?? []).length;
    if (nrho !== undefined && nr !== undefined) {
      const fsCount = n * (nrho + n * nr) + (n * (n + 1) * nr) / 2;
      const setflCount = n * (nrho + nr) + (n * (n + 1) * nr) / 2;
      return Math.abs(values - fsCount) < Math.abs(values - setflCount) ? 'fs' : 'setfl';
    }
    return 'setfl';
  }
  if (l3.length >= 5 && l3.slice(0, 5).every((t) => Number.isFinite(Number(t)))) return 'funcfl';
  return undefined;
}

/** Parses an EAM file; the kind comes from `kind`, else the name, else the content. */
export function parseEamFile(name: string, text: string, kind?: EamKind): EamFile {
  const k = kind ?? eamKindFromName(name) ?? sniffEamKind(text);
  if (!k) {
    throw new ParseError(name, 'eam', 'not an EAM potential file (expected funcfl .eam, setfl .eam.alloy or .eam.fs)');
  }
  return k === 'funcfl' ? parseFuncfl(name, text) : parseSetfl(name, text, k);
}

export function readEamFile(source: ByteSource, kind?: EamKind): EamFile {
  const bytes = source.read(0, source.size);
  return parseEamFile(source.name, new TextDecoder().decode(bytes), kind);
}

/** Element symbols a file provides, in file order. */
export function eamElements(file: EamFile): string[] {
  return file.kind === 'funcfl' ? [file.element.symbol] : file.elements.map((e) => e.symbol);
}
