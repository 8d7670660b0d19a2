import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import type { Structure } from '../../model/structure.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, type ByteSource } from '../source.js';
import { sniffXtc, xtcFormat } from './xtc.js';

const argonRef = reference('01_lj_argon').xtc;
const gmxRef = reference('04_gromacs').systems;
const formatsRef = reference('05_formats');
const badRef = reference('bad').files;

/**
 * Corpus files as in-memory sources: src/core tests may not import src/node (lint layering),
 * so FileSource is out of reach; MemorySource is the same ByteSource contract.
 */
function corpusSource(...parts: string[]): MemorySource {
  const path = corpusPath(...parts);
  return new MemorySource(path, readFileSync(path));
}

function openCorpus(...parts: string[]): TrajectoryReader {
  return xtcFormat.open(corpusSource(...parts));
}

function atom(s: Structure, i: number): number[] {
  return [s.positions[3 * i]!, s.positions[3 * i + 1]!, s.positions[3 * i + 2]!];
}

/** Positions of a plain XYZ block (the 07_rmsd pair files hold two frames, %.6f Å). */
function xyzFrames(file: string): number[][][] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const frames: number[][][] = [];
  for (let l = 0; l < lines.length && lines[l]!.trim() !== '';) {
    const n = Number(lines[l]);
    frames.push(lines.slice(l + 2, l + 2 + n).map((line) => line.trim().split(/\s+/).slice(1).map(Number)));
    l += n + 2;
  }
  return frames;
}

/** Tolerance as a number (Å) or as a function of the expected value. */
type Tolerance = number | ((expected: number) => number);

/** One float32 rounding (relative 2^-24) of a value: MDAnalysis converts nm to Å in float32. */
const float32Tolerance = (v: number): number => Math.abs(v) * 2 ** -24;
/** Values printed with %.6f from float32 Å: half a unit in the 6th decimal plus the float32 rounding. */
const printedFloat32Tolerance = (v: number): number => 5e-7 + float32Tolerance(v) + 1e-12;

function expectAtomsClose(s: Structure, atoms: number[], expected: number[][], tol: Tolerance): void {
  atoms.forEach((a, k) => {
    const got = atom(s, a);
    for (let d = 0; d < 3; d++) {
      const want = expected[k]![d]!;
      expect(Math.abs(got[d]! - want)).toBeLessThanOrEqual(typeof tol === 'number' ? tol : tol(want));
    }
  });
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('xtc: LAMMPS argon converted by MDAnalysis', () => {
  const reader = openCorpus('01_lj_argon', argonRef.file);

  it('counts frames and atoms and reads times and box', () => {
    expect(reader.frameCount).toBe(argonRef.n_frames);
    expect(reader.atomCount).toBe(argonRef.natoms);
    expect(reader.warnings).toEqual([]);
    const first = reader.readFrame(0);
    const last = reader.readFrame(reader.frameCount - 1);
    expect(first.info.time).toBe(argonRef.first_time_ps);
    expect(last.info.time).toBeCloseTo(argonRef.last_time_ps, 5);
    expect(reader.readFrame(1).info.time).toBeCloseTo(argonRef.frame_interval_ps, 6);
    expect(first.info.precision).toBe(argonRef.precision);
    expect(first.pbc).toEqual([true, true, true]);
    const box = argonRef.box_nm.map((v: number) => v * 10);
    expect(Array.from(first.cell!)).toEqual(
      [box[0], 0, 0, 0, box[1], 0, 0, 0, box[2]].map((v) => expect.closeTo(v, 5)),
    );
  });

  it('decodes atoms 1-3 of the first and last frame as MDAnalysis does', () => {
    // MDAnalysis scales the float32 nm values to Å in float32; we scale in float64, so the
    // two differ by at most one float32 rounding of the product.
    const first = reader.readFrame(0);
    const last = reader.readFrame(reader.frameCount - 1);
    expectAtomsClose(first, [0, 1, 2], argonRef.frame0_atoms_1_2_3_A, float32Tolerance);
    expectAtomsClose(last, [0, 1, 2], argonRef.last_frame_atoms_1_2_3_A, float32Tolerance);
  });

  it('decodes every atom of frames 0 and 25 (07_rmsd pair file, %.6f)', () => {
    const [a, b] = xyzFrames(corpusPath('07_rmsd', 'pair_argon_public_xtc_frame0_vs_frame25.xyz'));
    const all = Array.from({ length: 864 }, (_, i) => i);
    expectAtomsClose(reader.readFrame(0), all, a!, printedFloat32Tolerance);
    expectAtomsClose(reader.readFrame(25), all, b!, printedFloat32Tolerance);
  });
});

describe('xtc: GROMACS 2022 water and peptide', () => {
  it('water: 251 frames, every time and step, boxes and atoms 0, 1, 2, last', () => {
    const ref = gmxRef.water.xtc;
    const reader = openCorpus('04_gromacs', 'water_public.xtc');
    expect([reader.frameCount, reader.atomCount]).toEqual([ref.n_frames, ref.natoms]);
    for (let i = 0; i < reader.frameCount; i++) {
      const s = reader.readFrame(i);
      expect(s.info.step).toBe(ref.steps[i]);
      expect(s.info.time).toBeCloseTo(ref.times_ps[i], 5);
    }
    const atoms = [0, 1, 2, ref.natoms - 1];
    const toA = (rows: number[][]): number[][] => rows.map((r) => r.map((v) => v * 10));
    const first = reader.readFrame(0);
    const last = reader.readFrame(ref.n_frames - 1);
    expectAtomsClose(first, atoms, toA(ref.first_frame_x_nm_atoms_0_1_2_last), 1e-12);
    expectAtomsClose(last, atoms, toA(ref.last_frame_x_nm_atoms_0_1_2_last), 1e-12);
    expect(Array.from(first.cell!)).toEqual(ref.box_nm_first.flat().map((v: number) => v * 10));
    expect(Array.from(last.cell!)).toEqual(ref.box_nm_last.flat().map((v: number) => v * 10));
  });

  it('peptide: protein-only XTC, atoms 0, 1, 2, last and all 75 atoms of frames 0 and 250', () => {
    const ref = gmxRef.peptide.xtc;
    const reader = openCorpus('04_gromacs', 'peptide_public.xtc');
    expect([reader.frameCount, reader.atomCount]).toEqual([ref.n_frames, ref.natoms]);
    const first = reader.readFrame(0);
    const last = reader.readFrame(ref.n_frames - 1);
    const toA = (rows: number[][]): number[][] => rows.map((r) => r.map((v) => v * 10));
    expectAtomsClose(first, [0, 1, 2, 74], toA(ref.first_frame_x_nm_atoms_0_1_2_last), 1e-12);
    expectAtomsClose(last, [0, 1, 2, 74], toA(ref.last_frame_x_nm_atoms_0_1_2_last), 1e-12);
    const [a, b] = xyzFrames(corpusPath('07_rmsd', 'pair_peptide_public_allprotein_frame0_vs_last.xyz'));
    const all = Array.from({ length: 75 }, (_, i) => i);
    expectAtomsClose(first, all, a!, printedFloat32Tolerance);
    expectAtomsClose(last, all, b!, printedFloat32Tolerance);
    expect(last.info.time).toBeCloseTo(ref.times_ps[250], 5);
  });
});

describe('xtc: mdtraj writer, triclinic Cu(111) slab', () => {
  it('matches the ASE positions and cell within the XTC precision (0.001 nm)', () => {
    const reader = openCorpus('05_formats', 'Cu111_slab_mdtraj.xtc');
    expect([reader.frameCount, reader.atomCount]).toEqual([formatsRef.n_frames, formatsRef.natoms]);
    const atoms = [0, 1, formatsRef.natoms - 1];
    const pos = formatsRef.positions_A_atoms_0_1_last;
    const first = reader.readFrame(0);
    expectAtomsClose(first, atoms, pos.first_frame, 0.01);
    expectAtomsClose(reader.readFrame(formatsRef.n_frames - 1), atoms, pos.last_frame, 0.01);
    const cell = formatsRef.cell_A.flat();
    for (let k = 0; k < 9; k++) expect(Math.abs(first.cell![k]! - cell[k])).toBeLessThan(0.01);
  });
});

describe('xtc: damaged files', () => {
  it('keeps the 5 complete frames of a cut file and says where the cut frame starts', () => {
    const ref = badRef['argon_truncated_5frames_plus_partial.xtc'];
    const reader = openCorpus('bad', 'argon_truncated_5frames_plus_partial.xtc');
    expect(reader.frameCount).toBe(ref.complete_frames);
    expect(Array.from(reader.frameIndex!().offsets)).toEqual(ref.frame_start_bytes);
    const times = Array.from({ length: reader.frameCount }, (_, i) => reader.readFrame(i).info.time as number);
    times.forEach((t, i) => expect(t).toBeCloseTo([0.0, 0.04, 0.08, 0.12, 0.16][i]!, 6));
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toMatch(/truncated in frame 5 at byte 19296/);
    expect(reader.warnings[0]).toContain(String(ref.file_size));
    expect(() => reader.readFrame(5)).toThrow(RangeError);
  });

  it('rejects a bad magic number naming the file, frame 0 and byte 0', () => {
    const ref = badRef['argon_bad_magic_frame0.xtc'];
    const path = corpusPath('bad', 'argon_bad_magic_frame0.xtc');
    const e = catchError(() => xtcFormat.open(corpusSource('bad', 'argon_bad_magic_frame0.xtc')));
    expect(e).toBeInstanceOf(ParseError);
    const pe = e as ParseError;
    expect(pe.file).toBe(path);
    expect(pe.location).toEqual({ frame: ref.bad_frame, offset: ref.bad_byte });
    expect(pe.message).toMatch(/bad magic 1996, expected 1995/);
    expect(pe.message).toContain('argon_bad_magic_frame0.xtc');
  });

  it('turns lying headers into ParseErrors before allocating', () => {
    const bytes = readFileSync(corpusPath('01_lj_argon', argonRef.file)).subarray(0, 3 * 3912);
    const huge = patched(bytes, (v) => (v.setInt32(4, 0x7fffffff), v.setInt32(52, 0x7fffffff)));
    expect(() => xtcFormat.open(new MemorySource('huge.xtc', huge))).toThrow(/cannot hold them/);
    const longCount = patched(bytes, (v) => v.setInt32(88, 0x7ffffff0));
    expect(() => xtcFormat.open(new MemorySource('long.xtc', longCount))).toThrow(/truncated in frame 0.*no complete/);
    const mismatch = patched(bytes, (v) => v.setInt32(52, 865));
    expect(() => xtcFormat.open(new MemorySource('n.xtc', mismatch))).toThrow(/atom count 864 in the header but 865/);
    const smallidx = patched(bytes, (v) => v.setInt32(84, 200));
    expect(() => xtcFormat.open(new MemorySource('s.xtc', smallidx)).readFrame(0)).toThrow(/small-integer index 200/);
  });

  it('keeps the good frames before a corrupt header in the middle of a file', () => {
    const bytes = readFileSync(corpusPath('01_lj_argon', argonRef.file)).subarray(0, 4 * 3912);
    const offsets = Array.from(openCorpus('01_lj_argon', argonRef.file).frameIndex!().offsets.slice(0, 5));
    const damaged = patched(bytes, (v) => v.setInt32(offsets[2]! + 4, 123456789));
    const reader = xtcFormat.open(new MemorySource('mid.xtc', damaged));
    expect(reader.frameCount).toBe(2);
    expect(reader.warnings[0]).toMatch(/frame 2, byte 7760.*2 complete frames kept/);
  });

  it('never hangs or throws anything but ParseError on scrambled packed bytes', () => {
    const original = readFileSync(corpusPath('04_gromacs', 'water_public.xtc'));
    const offsets = openCorpus('04_gromacs', 'water_public.xtc').frameIndex!().offsets;
    const random = mulberry32(7);
    let parseErrors = 0;
    for (let trial = 0; trial < 200; trial++) {
      const frame = Math.floor(random() * 250);
      const bytes = Uint8Array.from(original.subarray(offsets[frame]!, offsets[frame + 1]!));
      const at = 92 + Math.floor(random() * (bytes.length - 92));
      for (let k = at; k < Math.min(bytes.length, at + 1 + Math.floor(random() * 64)); k++) {
        bytes[k] = Math.floor(random() * 256);
      }
      try {
        expect(xtcFormat.open(new MemorySource('fuzz.xtc', bytes)).readFrame(0).positions.length).toBe(3 * 1530);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        parseErrors++;
      }
    }
    expect(parseErrors).toBeGreaterThan(0);
  });

  it('explains the 64-bit XTC variant (magic 2023) instead of misreading it', () => {
    const bytes = readFileSync(corpusPath('04_gromacs', 'peptide_public.xtc')).subarray(0, 1000);
    const v2023 = patched(bytes, (v) => v.setInt32(0, 2023));
    expect(sniffXtc(v2023)).toBe(true);
    expect(() => xtcFormat.open(new MemorySource('big.xtc', v2023))).toThrow(/64-bit XTC.*GROMACS 2023/);
  });

  it('rejects an empty file', () => {
    expect(() => xtcFormat.open(new MemorySource('empty.xtc', new Uint8Array(0)))).toThrow(/empty file/);
  });
});

describe('xtc: index, random access, callbacks', () => {
  it('reads a frame at random the same as in sequence', () => {
    const reader = openCorpus('04_gromacs', 'water_public.xtc');
    const sequential = Array.from({ length: reader.frameCount }, (_, i) => reader.readFrame(i));
    const random = mulberry32(3);
    for (let k = 0; k < 40; k++) {
      const i = Math.floor(random() * reader.frameCount);
      expect(reader.readFrame(i)).toEqual(sequential[i]);
    }
  });

  it('reuses a given index without a second pass and gives identical frames', () => {
    const first = openCorpus('01_lj_argon', argonRef.file);
    const counting = new CountingSource(corpusSource('01_lj_argon', argonRef.file));
    const again = xtcFormat.open(counting, { index: first.frameIndex!() });
    expect(counting.reads).toBeLessThanOrEqual(2);
    expect(again.frameCount).toBe(first.frameCount);
    for (const i of [0, 17, 250, 500]) expect(again.readFrame(i)).toEqual(first.readFrame(i));
  });

  it('rebuilds an index that does not fit the file', () => {
    const full = openCorpus('01_lj_argon', argonRef.file).frameIndex!();
    const reader = xtcFormat.open(corpusSource('bad', 'argon_truncated_5frames_plus_partial.xtc'), { index: full });
    expect(reader.frameCount).toBe(5);
  });

  it('reports progress and honours cancellation', () => {
    const source = corpusSource('01_lj_argon', argonRef.file);
    const fractions: number[] = [];
    xtcFormat.open(source, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.every((f, k) => f >= 0 && f <= 1 && (k === 0 || f >= fractions[k - 1]!))).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    let calls = 0;
    const open = (): unknown => xtcFormat.open(source, { isCancelled: () => ++calls > 2 });
    expect(open).toThrow(AbortError);
  });

  it('sniffs XTC bytes only', () => {
    const head = (p: string[]): Uint8Array => readFileSync(corpusPath(...p)).subarray(0, 64);
    expect(sniffXtc(head(['04_gromacs', 'water_public.xtc']))).toBe(true);
    expect(sniffXtc(head(['05_formats', 'Cu111_slab_mdtraj.xtc']))).toBe(true);
    expect(sniffXtc(head(['04_gromacs', 'water_public.trr']))).toBe(false);
    expect(sniffXtc(head(['05_formats', 'Cu111_slab_mda.dcd']))).toBe(false);
    expect(sniffXtc(head(['05_formats', 'Cu111_slab.extxyz']))).toBe(false);
  });

  it('leaves the caller bytes untouched (views with a byte offset)', () => {
    const file = readFileSync(corpusPath('05_formats', 'Cu111_slab_mdtraj.xtc'));
    const backing = new Uint8Array(file.length + 13);
    backing.set(file, 13);
    const view = backing.subarray(13);
    const copy = Uint8Array.from(backing);
    const reader = xtcFormat.open(new MemorySource('slab.xtc', view));
    const direct = openCorpus('05_formats', 'Cu111_slab_mdtraj.xtc');
    for (let i = 0; i < reader.frameCount; i++) expect(reader.readFrame(i)).toEqual(direct.readFrame(i));
    expect(Buffer.compare(backing, copy)).toBe(0);
  });
});

describe('xtc: round trips through a port of the xdrfile compressor', () => {
  it('decodes water-like frames: runs, swaps and a moving small index', () => {
    const random = mulberry32(11);
    const coords = waterBox(3000, 4.0, random);
    const expected = quantised(coords, 1000);
    const frames = [encodeFrame(coords, 5, 0.5, [4, 0, 0, 0, 4, 0, 0, 0, 4], 1000)];
    const s = xtcFormat.open(new MemorySource('w.xtc', concat(frames))).readFrame(0);
    expect(Array.from(s.positions)).toEqual(expected);
    expect(s.info).toEqual({ time: 0.5, step: 5, precision: 1000 });
  });

  it('decodes coordinate ranges past 2^24 (one bit size per dimension)', () => {
    const random = mulberry32(5);
    const coords = Array.from({ length: 3 * 50 }, (_, k) => (random() - 0.5) * (k % 3 === 1 ? 40000 : 2));
    const expected = quantised(coords, 1000);
    const s = xtcFormat.open(new MemorySource('big.xtc', encodeFrame(coords, 0, 0, zeroBox, 1000))).readFrame(0);
    expect(Array.from(s.positions)).toEqual(expected);
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
  });

  it('decodes triples packed in more than 52 bits (long division path)', () => {
    const random = mulberry32(9);
    // Ranges just under 2^24 in each dimension: the triple needs about 72 bits.
    const coords = Array.from({ length: 3 * 40 }, () => (random() - 0.5) * 16000);
    const expected = quantised(coords, 1000);
    const s = xtcFormat.open(new MemorySource('wide.xtc', encodeFrame(coords, 0, 0, zeroBox, 1000))).readFrame(0);
    expect(Array.from(s.positions)).toEqual(expected);
  });

  it.each([
    [1e5, 25, 52],
    [1e6, 53, 72],
  ])('decodes small deltas wider than 24 bits (precision %d)', (precision, minIdx, maxIdx) => {
    // Fixed O-H offsets keep every step between neighbours >= 0.18 nm: smallidx starts high.
    const random = mulberry32(precision);
    const coords: number[] = [];
    for (let m = 0; m < 200; m++) {
      const o = [random() * 2, random() * 2, random() * 2];
      const h1 = [o[0]! + 0.1, o[1]! + 0.05, o[2]! + 0.03];
      const h2 = [o[0]! - 0.06, o[1]! + 0.08, o[2]! - 0.05];
      coords.push(...o, ...h1, ...h2);
    }
    const frame = encodeFrame(coords, 0, 0, zeroBox, precision);
    const smallidx = new DataView(frame.buffer).getInt32(84);
    expect(smallidx).toBeGreaterThanOrEqual(minIdx);
    expect(smallidx).toBeLessThanOrEqual(maxIdx);
    const s = xtcFormat.open(new MemorySource('fine.xtc', frame)).readFrame(0);
    expect(Array.from(s.positions)).toEqual(quantised(coords, precision));
  });

  it('keeps the precision of each frame', () => {
    const random = mulberry32(1);
    const a = waterBox(300, 2, random);
    const b = waterBox(300, 2, random);
    const file = concat([encodeFrame(a, 0, 0, zeroBox, 1000), encodeFrame(b, 1, 1, zeroBox, 100)]);
    const reader = xtcFormat.open(new MemorySource('p.xtc', file));
    expect(reader.readFrame(0).info.precision).toBe(1000);
    expect(reader.readFrame(1).info.precision).toBe(100);
    expect(Array.from(reader.readFrame(1).positions)).toEqual(quantised(b, 100));
  });

  it('reads frames of up to 9 atoms as plain floats', () => {
    const coords = [0.1, 0.2, 0.3, -1.5, 2.25, 3.125, 7, 8, 9];
    const file = concat([encodeFrame(coords, 3, 0.25, zeroBox, 1000), encodeFrame(coords, 4, 0.5, zeroBox, 1000)]);
    const reader = xtcFormat.open(new MemorySource('tiny.xtc', file));
    expect([reader.frameCount, reader.atomCount]).toEqual([2, 3]);
    const s = reader.readFrame(1);
    expect(Array.from(s.positions)).toEqual(coords.map((v) => Math.fround(v) * 10));
    expect(s.info).toEqual({ time: 0.5, step: 4 });
  });
});

// ---------------------------------------------------------------------------------------
// Test helpers: a compressor ported from xdrfile.c (xdrfile_compress_coord_float), so that
// round trips reach the paths the corpus files never take.

const zeroBox = [0, 0, 0, 0, 0, 0, 0, 0, 0];
// prettier-ignore
const MAGICINTS = [
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406, 512,
  645, 812, 1024, 1290, 1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642, 26007, 32768,
  41285, 52015, 65536, 82570, 104031, 131072, 165140, 208063, 262144, 330280, 416127, 524287, 660561, 832255,
  1048576, 1321122, 1664510, 2097152, 2642245, 3329021, 4194304, 5284491, 6658042, 8388607, 10568983, 13316085,
  16777216,
];
const FIRSTIDX = 9;
const LASTIDX = MAGICINTS.length;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Water molecules (O then two H about 0.1 nm away) at random places in a cube (nm). */
function waterBox(molecules: number, edge: number, random: () => number): number[] {
  const out: number[] = [];
  for (let m = 0; m < molecules; m++) {
    const o = [random() * edge, random() * edge, random() * edge];
    out.push(...o);
    for (let h = 0; h < 2; h++) out.push(...o.map((v) => v + (random() - 0.5) * 0.2));
  }
  return out;
}

function patched(bytes: Uint8Array, edit: (v: DataView) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  edit(new DataView(copy.buffer));
  return copy;
}

/** What GROMACS stores and reads back: round(x * precision) then int * float32(1/precision). */
function quantised(coords: number[], precision: number): number[] {
  const inv = Math.fround(1 / precision);
  return toInts(coords, precision).map((i) => Math.fround(i * inv) * 10);
}

function toInts(coords: number[], precision: number): number[] {
  return coords.map((x) => {
    const scaled = Math.fround(Math.fround(x) * Math.fround(precision));
    return Math.trunc(Math.fround(scaled >= 0 ? scaled + 0.5 : scaled - 0.5)) + 0; // no -0
  });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class BitWriter {
  readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  put(nbits: number, value: number | bigint): void {
    const v = BigInt(value);
    for (let b = nbits - 1; b >= 0; b--) {
      this.current = (this.current << 1) | Number((v >> BigInt(b)) & 1n);
      if (++this.count === 8) {
        this.bytes.push(this.current);
        this.current = 0;
        this.count = 0;
      }
    }
  }

  finish(): number[] {
    if (this.count > 0) this.bytes.push(this.current << (8 - this.count));
    this.count = 0;
    return this.bytes;
  }
}

function sizeOfInts(sizes: number[]): number {
  const product = sizes.reduce((p, s) => p * BigInt(s), 1n);
  return product.toString(2).length;
}

function sendInts(w: BitWriter, nbits: number, sizes: number[], nums: number[]): void {
  let n = BigInt(nums[0]!);
  for (let k = 1; k < 3; k++) n = n * BigInt(sizes[k]!) + BigInt(nums[k]!);
  let left = nbits;
  let shift = 0n;
  while (left > 8) {
    w.put(8, (n >> shift) & 255n);
    shift += 8n;
    left -= 8;
  }
  if (n >> shift >= 1n << BigInt(left)) throw new Error('sendInts overflow');
  w.put(left, n >> shift);
}

/** One XTC frame: header, then xdr3dfcoord exactly as xdrfile_compress_coord_float writes it. */
function encodeFrame(coords: number[], step: number, time: number, box: number[], precision: number): Uint8Array {
  const natoms = coords.length / 3;
  const words: { kind: 'i' | 'f'; v: number }[] = [];
  const int = (v: number): number => words.push({ kind: 'i', v });
  const float = (v: number): number => words.push({ kind: 'f', v });
  int(1995);
  int(natoms);
  int(step);
  float(time);
  box.forEach(float);
  int(natoms);
  let packed: number[] = [];
  if (natoms <= 9) {
    coords.forEach(float);
  } else {
    packed = compress(toInts(coords, precision), precision, words);
  }
  const padded = packed.length + ((4 - (packed.length % 4)) % 4);
  const out = new Uint8Array(4 * words.length + padded);
  const view = new DataView(out.buffer);
  words.forEach((w, k) => (w.kind === 'i' ? view.setInt32(4 * k, w.v) : view.setFloat32(4 * k, w.v)));
  out.set(packed, 4 * words.length);
  return out;
}

function compress(ints: number[], precision: number, words: { kind: 'i' | 'f'; v: number }[]): number[] {
  const natoms = ints.length / 3;
  const minint = [0, 1, 2].map((d) => Math.min(...ints.filter((_, k) => k % 3 === d)));
  const maxint = [0, 1, 2].map((d) => Math.max(...ints.filter((_, k) => k % 3 === d)));
  let mindiff = Infinity;
  for (let i = 1; i < natoms; i++) {
    let diff = 0;
    for (let d = 0; d < 3; d++) diff += Math.abs(ints[3 * i + d]! - ints[3 * i - 3 + d]!);
    mindiff = Math.min(mindiff, diff);
  }
  words.push({ kind: 'f', v: precision });
  minint.forEach((v) => words.push({ kind: 'i', v }));
  maxint.forEach((v) => words.push({ kind: 'i', v }));
  const sizeint = [0, 1, 2].map((d) => maxint[d]! - minint[d]! + 1);
  const separate = Math.max(...sizeint) > 0xffffff;
  const bitsizeint = sizeint.map((s) => s.toString(2).length);
  const bitsize = separate ? 0 : sizeOfInts(sizeint);
  let smallidx = FIRSTIDX;
  while (smallidx < LASTIDX && MAGICINTS[smallidx]! < mindiff) smallidx++;
  words.push({ kind: 'i', v: smallidx });
  const maxidx = Math.min(LASTIDX, smallidx + 8);
  const minidx = maxidx - 8;
  let smaller = MAGICINTS[Math.max(FIRSTIDX, smallidx - 1)]! >> 1;
  let smallnum = MAGICINTS[smallidx]! >> 1;
  let sizesmall = MAGICINTS[smallidx]!;
  const larger = (MAGICINTS[maxidx] ?? 0) >> 1;
  const w = new BitWriter();
  const c = ints.slice();
  const prev = [0, 0, 0];
  let prevrun = -1;
  let i = 0;
  while (i < natoms) {
    let isSmall = false;
    let isSmaller: number;
    const at = 3 * i;
    if (smallidx < maxidx && i >= 1 && [0, 1, 2].every((d) => Math.abs(c[at + d]! - prev[d]!) < larger)) {
      isSmaller = 1;
    } else if (smallidx > minidx) {
      isSmaller = -1;
    } else {
      isSmaller = 0;
    }
    if (i + 1 < natoms && [0, 1, 2].every((d) => Math.abs(c[at + d]! - c[at + 3 + d]!) < smallnum)) {
      for (let d = 0; d < 3; d++) [c[at + d], c[at + 3 + d]] = [c[at + 3 + d]!, c[at + d]!];
      isSmall = true;
    }
    const rel = [0, 1, 2].map((d) => c[at + d]! - minint[d]!);
    if (separate) rel.forEach((v, d) => w.put(bitsizeint[d]!, v));
    else sendInts(w, bitsize, sizeint, rel);
    for (let d = 0; d < 3; d++) prev[d] = c[at + d]!;
    i++;
    const small: number[] = [];
    if (!isSmall && isSmaller === -1) isSmaller = 0;
    while (isSmall && small.length < 8 * 3) {
      const p = 3 * i;
      const d2 = [0, 1, 2].reduce((s, d) => s + (c[p + d]! - prev[d]!) ** 2, 0);
      if (isSmaller === -1 && d2 >= smaller * smaller) isSmaller = 0;
      for (let d = 0; d < 3; d++) small.push(c[p + d]! - prev[d]! + smallnum);
      for (let d = 0; d < 3; d++) prev[d] = c[p + d]!;
      i++;
      const q = 3 * i;
      isSmall = i < natoms && [0, 1, 2].every((d) => Math.abs(c[q + d]! - prev[d]!) < smallnum);
    }
    const run = small.length;
    if (run !== prevrun || isSmaller !== 0) {
      prevrun = run;
      w.put(1, 1);
      w.put(5, run + isSmaller + 1);
    } else {
      w.put(1, 0);
    }
    for (let k = 0; k < run; k += 3) sendInts(w, smallidx, [sizesmall, sizesmall, sizesmall], small.slice(k, k + 3));
    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (isSmaller === -1) {
        smallnum = smaller;
        smaller = MAGICINTS[smallidx - 1]! >> 1;
      } else {
        smaller = smallnum;
        smallnum = MAGICINTS[smallidx]! >> 1;
      }
      sizesmall = MAGICINTS[smallidx]!;
    }
  }
  const bytes = w.finish();
  words.push({ kind: 'i', v: bytes.length });
  return bytes;
}

class CountingSource implements ByteSource {
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get name(): string {
    return this.inner.name;
  }
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Uint8Array {
    this.reads++;
    return this.inner.read(offset, length);
  }
}
