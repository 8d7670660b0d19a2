import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { cellParameters } from '../../model/cell.js';
import type { Structure } from '../../model/structure.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource } from '../source.js';
import { dcdFormat, sniffDcd } from './dcd.js';

const ref = reference('05_formats');
const MDA = 'Cu111_slab_mda.dcd';
const MDTRAJ = 'Cu111_slab_mdtraj.dcd';
/** MDAnalysis' file: header 92 + titles 252 + natoms 12 bytes, then 8 frames of 56 + 3 * 116 bytes. */
const FIRST_FRAME = 356;
const FRAME_BYTES = 404;

/** src/core tests may not import src/node (lint layering): corpus files go in a MemorySource. */
function corpusBytes(file: string): Uint8Array {
  return readFileSync(corpusPath('05_formats', file));
}

function open(file: string, bytes = corpusBytes(file)): TrajectoryReader {
  return dcdFormat.open(new MemorySource(file, bytes));
}

function rows(s: Structure, atoms: number[]): number[][] {
  return atoms.map((i) => [s.positions[3 * i]!, s.positions[3 * i + 1]!, s.positions[3 * i + 2]!]);
}

function maxDeviation(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((r, i) => r.map((v, d) => Math.abs(v - b[i]![d]!))));
}

const atoms = [0, 1, ref.natoms - 1];

describe('dcd: MDAnalysis DCDWriter (CHARMM, unit cell in degrees)', () => {
  const reader = open(MDA);

  it('counts frames and atoms; DCD has no elements', () => {
    expect([reader.frameCount, reader.atomCount]).toEqual([ref.files[MDA].n_frames, ref.natoms]);
    expect(reader.warnings).toEqual([]);
    expect(Array.from(reader.readFrame(0).numbers)).toEqual(Array(ref.natoms).fill(0));
  });

  it('reads float32 positions (Å) of the first and last frames within the reference reader check', () => {
    const pos = ref.positions_A_atoms_0_1_last;
    const bound = ref.reader_checks.dcd_max_abs_pos_dev_A;
    expect(maxDeviation(rows(reader.readFrame(0), atoms), pos.first_frame)).toBeLessThanOrEqual(bound);
    expect(maxDeviation(rows(reader.readFrame(reader.frameCount - 1), atoms), pos.last_frame)).toBeLessThanOrEqual(
      bound,
    );
  });

  it('builds the triclinic cell from a, b, c, alpha, beta, gamma', () => {
    const s = reader.readFrame(0);
    expect(s.pbc).toEqual([true, true, true]);
    const params = cellParameters(s.cell!);
    ref.reader_checks.dcd_dimensions_frame0.forEach((v: number, k: number) => expect(params[k]).toBeCloseTo(v, 9));
    const cell = ref.cell_A.flat();
    for (let k = 0; k < 9; k++) expect(Math.abs(s.cell![k]! - cell[k])).toBeLessThan(1e-6);
  });

  it('gives steps and times from ISTART, NSAVC and DELTA (AKMA units)', () => {
    const last = reader.readFrame(7);
    expect(last.info.step).toBe(7);
    // MDAnalysis writes DELTA = 1 ps in AKMA units (20.45482...).
    expect(last.info.time).toBeCloseTo(7, 5);
  });
});

describe('dcd: mdtraj writer (unit-cell angles as cosines)', () => {
  it('turns cosines into angles and agrees with the MDAnalysis file frame by frame', () => {
    const mdtraj = open(MDTRAJ);
    const mda = open(MDA);
    expect([mdtraj.frameCount, mdtraj.atomCount]).toEqual([8, ref.natoms]);
    const [a, b, c, alpha, beta, gamma] = cellParameters(mdtraj.readFrame(0).cell!);
    expect([alpha, beta, gamma]).toEqual([expect.closeTo(90, 9), expect.closeTo(90, 9), expect.closeTo(60, 9)]);
    ref.cellpar_A_deg
      .slice(0, 3)
      .forEach((v: number, k: number) => expect(Math.abs([a, b, c][k]! - v)).toBeLessThan(1e-3));
    // mdtraj took its coordinates from a PDB (0.001 Å): compare every atom at that precision.
    const all = Array.from({ length: ref.natoms }, (_, i) => i);
    for (let i = 0; i < 8; i++) {
      expect(maxDeviation(rows(mdtraj.readFrame(i), all), rows(mda.readFrame(i), all))).toBeLessThanOrEqual(5.01e-4);
    }
  });
});

describe('dcd: layouts', () => {
  const expected = Array.from({ length: 8 }, (_, i) => open(MDA).readFrame(i));

  it.each([
    ['big-endian, 4-byte markers', false, 4],
    ['little-endian, 8-byte markers', true, 8],
    ['big-endian, 8-byte markers', false, 8],
  ] as const)('reads %s the same as the original', (_, littleEndian, marker) => {
    const bytes = rewrite(corpusBytes(MDA), { littleEndian, marker });
    expect(sniffDcd(bytes)).toBe(true);
    const reader = open('rewritten.dcd', bytes);
    expect(reader.frameCount).toBe(8);
    for (let i = 0; i < 8; i++) expect(reader.readFrame(i)).toEqual(expected[i]);
  });

  it('reads an X-PLOR file (no CHARMM flag, no unit cell, DELTA as a double)', () => {
    const bytes = rewrite(corpusBytes(MDA), { littleEndian: true, marker: 4, xplor: true });
    const reader = open('xplor.dcd', bytes);
    const s = reader.readFrame(3);
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
    expect(s.positions).toEqual(expected[3]!.positions);
    expect(s.info.time).toBeCloseTo(3 * 2 * 0.04888821, 12);
  });
});

describe('dcd: damaged files', () => {
  it('keeps the complete frames of a cut file and says where the cut frame starts', () => {
    const bytes = corpusBytes(MDA).subarray(0, FIRST_FRAME + 5 * FRAME_BYTES + 100);
    const reader = open('cut.dcd', bytes);
    expect(reader.frameCount).toBe(5);
    expect(reader.warnings).toEqual([
      `cut.dcd: truncated in frame 5 at byte 2376 (file size 2476); 5 complete frames kept`,
    ]);
    expect(reader.readFrame(4)).toEqual(open(MDA).readFrame(4));
  });

  it('says when the header promises more frames than the file holds', () => {
    const reader = open('short.dcd', corpusBytes(MDA).subarray(0, FIRST_FRAME + 6 * FRAME_BYTES));
    expect(reader.frameCount).toBe(6);
    expect(reader.warnings).toEqual(['short.dcd: header promises 8 frames, the file holds 6']);
  });

  it('names the frame and byte of a broken record marker', () => {
    const at = FIRST_FRAME + 3 * FRAME_BYTES + 56;
    const reader = open(
      'm.dcd',
      patched(corpusBytes(MDA), (v) => v.setInt32(at, 100, true)),
    );
    expect(reader.readFrame(2).positions.length).toBe(81);
    const e = catchError(() => reader.readFrame(3)) as ParseError;
    expect(e).toBeInstanceOf(ParseError);
    expect(e.location).toEqual({ frame: 3, offset: at });
    expect(e.message).toMatch(/X record is 100\/108 bytes, expected 108/);
  });

  it('refuses fixed atoms, lying counts and non-DCD bytes with ParseErrors', () => {
    const bytes = corpusBytes(MDA);
    const fixed = patched(bytes, (v) => v.setInt32(4 + 4 + 4 * 8, 3, true));
    expect(() => open('fixed.dcd', fixed)).toThrow(/fixed atoms \(NAMNF = 3\) are not supported/);
    const huge = patched(bytes, (v) => v.setInt32(348, 0x7fffffff, true));
    expect(() => open('huge.dcd', huge)).toThrow(/implausible atom count 2147483647/);
    const title = patched(bytes, (v) => v.setInt32(92, 1 << 30, true));
    expect(() => open('title.dcd', title)).toThrow(/title record of 1073741824 bytes passes the end/);
    expect(() => open('x.dcd', readFileSync(corpusPath('04_gromacs', 'water_public.xtc')))).toThrow(/not a DCD file/);
    expect(() => open('empty.dcd', new Uint8Array(0))).toThrow(/empty file/);
    expect(() => open('hdr.dcd', bytes.subarray(0, FIRST_FRAME))).toThrow(/no frames after the header/);
  });
});

describe('dcd: index, random access, callbacks', () => {
  it('reads frames at random as in sequence and reuses an index', () => {
    const reader = open(MDA);
    const sequential = Array.from({ length: 8 }, (_, i) => reader.readFrame(i));
    for (const i of [7, 2, 5, 0]) expect(reader.readFrame(i)).toEqual(sequential[i]);
    const again = dcdFormat.open(new MemorySource(MDA, corpusBytes(MDA)), { index: reader.frameIndex!() });
    expect(Array.from(again.frameIndex!().offsets)).toEqual(Array.from(reader.frameIndex!().offsets));
    expect(again.readFrame(6)).toEqual(sequential[6]);
  });

  it('reports completion and honours cancellation', () => {
    const fractions: number[] = [];
    dcdFormat.open(new MemorySource(MDA, corpusBytes(MDA)), { onProgress: (f) => fractions.push(f) });
    expect(fractions).toEqual([1]);
    expect(() => dcdFormat.open(new MemorySource(MDA, corpusBytes(MDA)), { isCancelled: () => true })).toThrow(
      AbortError,
    );
  });

  it('sniffs DCD bytes only and leaves the caller bytes untouched', () => {
    expect(sniffDcd(corpusBytes(MDA))).toBe(true);
    expect(sniffDcd(corpusBytes(MDTRAJ))).toBe(true);
    expect(sniffDcd(readFileSync(corpusPath('04_gromacs', 'water_public.trr')).subarray(0, 64))).toBe(false);
    expect(sniffDcd(corpusBytes('Cu111_slab_mdtraj.xtc'))).toBe(false);
    const file = corpusBytes(MDA);
    const backing = new Uint8Array(file.length + 3);
    backing.set(file, 3);
    const copy = Uint8Array.from(backing);
    expect(open('offset.dcd', backing.subarray(3)).readFrame(5)).toEqual(open(MDA).readFrame(5));
    expect(Buffer.compare(backing, copy)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

function patched(bytes: Uint8Array, edit: (v: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  edit(new DataView(copy.buffer));
  return copy;
}

/**
 * Rewrites MDAnalysis' little-endian, 4-byte-marker DCD in another layout, swapping each
 * value by its own width; `xplor` drops the CHARMM flag and the unit-cell records and stores
 * DELTA = 2 AKMA as a double, as X-PLOR does.
 */
function rewrite(bytes: Uint8Array, to: { littleEndian: boolean; marker: 4 | 8; xplor?: boolean }): Uint8Array {
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: { body: Uint8Array; kind: 'header' | 'title' | 'int' | 'doubles' | 'floats' }[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = src.getInt32(at, true);
    const body = bytes.subarray(at + 4, at + 4 + length);
    const k = records.length;
    const kind = k === 0 ? 'header' : k === 1 ? 'title' : k === 2 ? 'int' : (k - 3) % 4 === 0 ? 'doubles' : 'floats';
    if (!(to.xplor && kind === 'doubles')) records.push({ body, kind });
    else records.push({ body: new Uint8Array(0), kind: 'doubles' });
    at += length + 8;
  }
  const parts: Uint8Array[] = [];
  for (const { body, kind } of records) {
    if (kind === 'doubles' && body.length === 0) continue;
    const out = Uint8Array.from(body);
    const view = new DataView(out.buffer);
    const inView = new DataView(body.buffer, body.byteOffset, body.byteLength);
    if (kind === 'header') {
      for (let w = 1; w < 21; w++) view.setInt32(4 * w, inView.getInt32(4 * w, true), to.littleEndian);
      if (to.xplor) {
        view.setInt32(4 + 4 * 10, 0, to.littleEndian);
        view.setInt32(4 + 4 * 19, 0, to.littleEndian);
        view.setFloat64(4 + 4 * 9, 2, to.littleEndian);
      }
    } else if (kind === 'title' || kind === 'int') {
      view.setInt32(0, inView.getInt32(0, true), to.littleEndian);
    } else {
      const width = kind === 'doubles' ? 8 : 4;
      for (let k = 0; k < out.length; k += width) {
        if (width === 8) view.setFloat64(k, inView.getFloat64(k, true), to.littleEndian);
        else view.setFloat32(k, inView.getFloat32(k, true), to.littleEndian);
      }
    }
    const marker = new Uint8Array(to.marker);
    const mv = new DataView(marker.buffer);
    if (to.marker === 4) mv.setInt32(0, out.length, to.littleEndian);
    else mv.setBigInt64(0, BigInt(out.length), to.littleEndian);
    parts.push(marker, out, marker);
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const file = new Uint8Array(total);
  parts.reduce((o, p) => (file.set(p, o), o + p.length), 0);
  return file;
}
