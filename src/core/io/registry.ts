/**
 * The format registry: one line per format. Detection order (FORMATS.md): file-name
 * patterns, then magic bytes / first lines, then extension, then the XYZ last resort.
 */
import type { FormatSpec } from './format.js';
import { groFormat } from './formats/gro.js';
import { pdbFormat } from './formats/pdb.js';
import { sdfFormat } from './formats/sdf.js';
import { cifFormat } from './formats/cif.js';
import { lammpsDataFormat } from './formats/lammps-data.js';
import { lammpsDumpFormat } from './formats/lammps-dump.js';
import { vaspFormat } from './formats/vasp.js';
import { dcdFormat } from './formats/dcd.js';
import { trrFormat } from './formats/trr.js';
import { xtcFormat } from './formats/xtc.js';
import { xyzFormat } from './formats/xyz.js';

export const formats: readonly FormatSpec[] = [
  groFormat,
  pdbFormat,
  sdfFormat,
  lammpsDumpFormat,
  lammpsDataFormat,
  vaspFormat,
  cifFormat,
  xtcFormat,
  trrFormat,
  dcdFormat,
  xyzFormat,
];

const COMPRESSION = /\.(gz|zst)$/i;

/** The file name without a compression suffix, and which compression it had. */
export function stripCompression(name: string): { name: string; compression: 'gz' | 'zst' | null } {
  const m = COMPRESSION.exec(name);
  if (!m) return { name, compression: null };
  return { name: name.slice(0, m.index), compression: m[1]!.toLowerCase() as 'gz' | 'zst' };
}

export function formatById(id: string): FormatSpec | undefined {
  return formats.find((f) => f.id === id);
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(i + 1);
}

export function extensionOf(path: string): string {
  const base = baseName(stripCompression(path).name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Formats a writer can produce, chosen by the output file's extension. */
export function formatForWriting(path: string): FormatSpec | undefined {
  const ext = extensionOf(path);
  const base = baseName(path);
  return (
    formats.find((f) => f.write && f.globs?.some((g) => g.test(base))) ??
    formats.find((f) => f.write && f.extensions.includes(ext))
  );
}

/**
 * Picks the format of a file from its name and first bytes (already decompressed).
 * Returns undefined when nothing claims it.
 */
export function detectFormat(path: string, head: Uint8Array): FormatSpec | undefined {
  const name = baseName(stripCompression(path).name);
  const byGlob = formats.find((f) => f.globs?.some((g) => g.test(name)));
  if (byGlob) return byGlob;
  const ext = extensionOf(path);
  // Magic first, but prefer the extension's own format when it sniffs true too, so that
  // text formats with loose sniffers (xyz vs extxyz) do not steal each other's files.
  const sniffed = formats.filter((f) => f.sniff?.(head));
  const sniffedWithExt = sniffed.find((f) => f.extensions.includes(ext));
  if (sniffedWithExt) return sniffedWithExt;
  const byExt = formats.find((f) => f.extensions.includes(ext));
  // Binary magic wins over an unknown or missing extension, but a file named for a text
  // format is read as that format, whose reader then refuses binary bytes by name
  // (a .pdb holding XTC bytes is an error to report, not a guess to make).
  const binarySniffed = sniffed.find((f) => f.binary);
  if (binarySniffed && !(byExt && !byExt.binary)) return binarySniffed;
  if (byExt) return byExt;
  if (sniffed.length > 0) return sniffed[0];
  return undefined;
}

/** NUL bytes or many control characters in the head mean binary content. */
export function looksBinary(head: Uint8Array): boolean {
  let control = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}
