/**
 * A small atom-selection language, evaluated once on a topology (a frame) into indices:
 *
 *   all | none
 *   element Cu [Ag ...]        atomic number (case-forgiving symbols)
 *   name CA [CB ...]           atom name column (PDB/GRO/topology); globs with * and ?
 *   resname ALA [...]  chain A [...]
 *   type 1 [2 ...]             LAMMPS type column
 *   index 0:100 [5 7 ...]      0-based atom indices; a:b is half-open like --frames
 *   resid 1:10 [12 ...]        residue numbers; a:b is inclusive, as residue numbers are read
 *   expr and expr | expr or expr | not expr | ( expr )
 *
 * Precedence: not > and > or. Keywords and operators are case-insensitive.
 */
import { atomicNumber } from '../model/elements.js';
import type { Structure } from '../model/structure.js';

export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

type Node =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'not'; of: Node }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'field'; field: Field; values: string[] };

type Field = 'element' | 'name' | 'resname' | 'chain' | 'type' | 'index' | 'resid';
const FIELDS = new Set<string>(['element', 'name', 'resname', 'chain', 'type', 'index', 'resid']);
const RESERVED = new Set(['and', 'or', 'not', '(', ')', 'all', 'none', ...FIELDS]);

function tokenize(text: string): string[] {
  return text
    .replace(/[()]/g, ' $& ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** Parses a selection; throws SelectionError naming the offending word. */
export function parseSelection(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos]?.toLowerCase();
  const fail = (why: string): never => {
    throw new SelectionError(`selection "${text}": ${why}`);
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseNot();
    while (peek() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): Node => {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', of: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): Node => {
    const t = peek();
    if (t === undefined) return fail('ends too early');
    pos++;
    if (t === '(') {
      const inner = parseOr();
      if (peek() !== ')') fail('missing ")"');
      pos++;
      return inner;
    }
    if (t === 'all') return { kind: 'all' };
    if (t === 'none') return { kind: 'none' };
    if (FIELDS.has(t)) {
      const values: string[] = [];
      while (pos < tokens.length && !RESERVED.has(peek()!)) values.push(tokens[pos++]!);
      if (values.length === 0) fail(`"${t}" needs at least one value`);
      return { kind: 'field', field: t as Field, values };
    }
    return fail(`unknown word "${tokens[pos - 1]}" (expected all, element, name, resname, chain, type, index, resid)`);
  };
  if (tokens.length === 0) fail('empty');
  const node = parseOr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]}"`);
  return node;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** a:b, a:, :b or a single integer; `inclusive` says whether b belongs to the range. */
function parseRange(text: string, inclusive: boolean, fail: (why: string) => never): [number, number] {
  const m = /^(-?\d*)(?::(-?\d*))?$/.exec(text);
  if (!m) return fail(`"${text}" is not an integer or a range a:b`);
  if (m[2] === undefined) {
    const v = Number(m[1]);
    return [v, v];
  }
  const lo = m[1] === '' ? -Infinity : Number(m[1]);
  const hi = m[2] === '' ? Infinity : Number(m[2]) - (inclusive ? 0 : 1);
  return [lo, hi];
}

function column(frame: Structure, key: string, text: string): string[] | ArrayLike<number> {
  const col = frame.arrays[key];
  if (!col) throw new SelectionError(`selection "${text}": the file has no "${key}" column`);
  return col;
}

/** Evaluates a parsed selection into a 0/1 mask over the frame's atoms. */
function evaluate(node: Node, frame: Structure, text: string): Uint8Array {
  const n = frame.numbers.length;
  const fail = (why: string): never => {
    throw new SelectionError(`selection "${text}": ${why}`);
  };
  switch (node.kind) {
    case 'all':
      return new Uint8Array(n).fill(1);
    case 'none':
      return new Uint8Array(n);
    case 'not': {
      const m = evaluate(node.of, frame, text);
      for (let i = 0; i < n; i++) m[i] = m[i] ? 0 : 1;
      return m;
    }
    case 'and':
    case 'or': {
      const a = evaluate(node.left, frame, text);
      const b = evaluate(node.right, frame, text);
      for (let i = 0; i < n; i++) a[i] = node.kind === 'and' ? a[i]! & b[i]! : a[i]! | b[i]!;
      return a;
    }
    case 'field':
      return evaluateField(node.field, node.values, frame, text, fail);
  }
}

function evaluateField(
  field: Field,
  values: string[],
  frame: Structure,
  text: string,
  fail: (why: string) => never,
): Uint8Array {
  const n = frame.numbers.length;
  const m = new Uint8Array(n);
  if (field === 'element') {
    const zs = new Set(
      values.map((v) => {
        const z = atomicNumber(v);
        if (z === 0 && v.toUpperCase() !== 'X') fail(`"${v}" is not an element symbol`);
        return z;
      }),
    );
    for (let i = 0; i < n; i++) m[i] = zs.has(frame.numbers[i]!) ? 1 : 0;
    return m;
  }
  if (field === 'index' || field === 'resid' || field === 'type') {
    const ranges = values.map((v) => parseRange(v, field !== 'index', fail));
    const col: ArrayLike<number> | null = field === 'index' ? null : (column(frame, field, text) as ArrayLike<number>);
    if (col && typeof (col as unknown as string[])[0] === 'string') fail(`the "${field}" column is not numeric`);
    for (let i = 0; i < n; i++) {
      const v = col ? Number(col[i]) : i;
      for (const [lo, hi] of ranges) {
        if (v >= lo && v <= hi) {
          m[i] = 1;
          break;
        }
      }
    }
    return m;
  }
  // String columns: name, resname, chain.
  const col = column(frame, field, text);
  const patterns = values.map(globToRegExp);
  for (let i = 0; i < n; i++) {
    const v = String(col[i] ?? '').trim();
    m[i] = patterns.some((p) => p.test(v)) ? 1 : 0;
  }
  return m;
}

/** The indices (ascending) of the atoms of `frame` that `text` selects. */
export function selectAtoms(frame: Structure, text: string): Int32Array {
  const mask = evaluate(parseSelection(text), frame, text);
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i]!;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/**
 * The atoms of one species for a pair A-B: an element symbol (`Ar`), or a LAMMPS type number
 * (`1`) for files that carry types but no elements.
 */
export function speciesAtoms(frame: Structure, species: string): Int32Array {
  const isType = /^\d+$/.test(species);
  if (isType && !frame.arrays['type']) {
    throw new SelectionError(`species "${species}": the file has no "type" column to match a type number`);
  }
  return selectAtoms(frame, isType ? `type ${species}` : `element ${species}`);
}

/** Parses "A-B" (element symbols or type numbers) into its two species. */
export function parsePair(text: string): [string, string] {
  const m = /^\s*([A-Za-z]{1,3}|\d+)\s*-\s*([A-Za-z]{1,3}|\d+)\s*$/.exec(text);
  if (!m) throw new SelectionError(`pair "${text}": expected A-B with element symbols or type numbers (Ar-Ar, 1-2)`);
  return [m[1]!, m[2]!];
}
