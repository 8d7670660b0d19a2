import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, type ByteSource } from '../source.js';
import { sniffTrr, trrFormat } from './trr.js';

const gmxRef = reference('04_gromacs').systems;
const badRef = reference('bad').files;
/** kJ/mol/nm -> eV/Å: 1 kJ/mol = 0.010364269656262174 eV, 1/nm = 0.1/Å. */
const FORCE_TO_EV_A = 0.010364269656262174 / 10;

/** src/core tests may not import src/node (lint layering): corpus files go in a MemorySource. */
function corpusSource(...parts: string[]): MemorySource {
  const path = corpusPath(...parts);
  return new MemorySource(path, readFileSync(path));
}

function openCorpus(...parts: string[]): TrajectoryReader {
  return trrFormat.open(corpusSource(...parts));
}

function rows(a: Float64Array | undefined, atoms: number[]): number[][] {
  return atoms.map((i) => [a![3 * i]!, a![3 * i + 1]!, a![3 * i + 2]!]);
}

const scaled = (table: number[][], factor: number): number[][] => table.map((r) => r.map((v) => v * factor));

describe.each([
  ['water', 'water_public.trr'],
  ['peptide', 'peptide_public.trr'],
])('trr: GROMACS 2022 %s run (x, v, f every frame)', (system, file) => {
  const ref = gmxRef[system].trr;
  const reader = openCorpus('04_gromacs', file);
  const atoms = [0, 1, 2, ref.natoms - 1];
  const first = reader.readFrame(0);
  const last = reader.readFrame(ref.n_frames - 1);

  it('counts frames and atoms and reads every time, step and lambda', () => {
    expect([reader.frameCount, reader.atomCount]).toEqual([ref.n_frames, ref.natoms]);
    expect(reader.warnings).toEqual([]);
    for (let i = 0; i < reader.frameCount; i++) {
      const s = reader.readFrame(i);
      expect(s.info.step).toBe(ref.steps[i]);
      expect(s.info.time).toBeCloseTo(ref.times_ps[i], 6);
    }
    expect(first.info.lambda).toBe(ref.lambda_first);
  });

  it('reads the box in Å', () => {
    expect(Array.from(first.cell!)).toEqual(ref.box_nm_first.flat().map((v: number) => v * 10));
    expect(Array.from(last.cell!)).toEqual(ref.box_nm_last.flat().map((v: number) => v * 10));
    expect(first.pbc).toEqual([true, true, true]);
  });

  it('reads positions (nm -> Å), velocities (nm/ps -> Å/ps) and forces (kJ/mol/nm -> eV/Å) exactly', () => {
    // float32 in the file, widened and scaled in double: equal to the last bit.
    expect(rows(first.positions, atoms)).toEqual(scaled(ref.first_frame_x_nm_atoms_0_1_2_last, 10));
    expect(rows(last.positions, atoms)).toEqual(scaled(ref.last_frame_x_nm_atoms_0_1_2_last, 10));
    expect(rows(first.velocities, atoms)).toEqual(scaled(ref.first_frame_v_nm_ps_atoms_0_1_2_last, 10));
    expect(rows(first.forces, atoms)).toEqual(scaled(ref.first_frame_f_kJ_mol_nm_atoms_0_1_2_last, FORCE_TO_EV_A));
    expect(rows(last.forces, atoms)).toEqual(scaled(ref.last_frame_f_kJ_mol_nm_atoms_0_1_2_last, FORCE_TO_EV_A));
    expect(ref.has_x_v_f).toEqual([true, true, true]);
    expect([first.positions.length, first.velocities!.length, first.forces!.length]).toEqual(
      Array(3).fill(3 * ref.natoms),
    );
  });
});

describe('trr: damaged files', () => {
  it('keeps the 2 complete frames of a cut file and names frame 2 at byte 110400', () => {
    const ref = badRef['water_truncated_2frames_plus_partial.trr'];
    const reader = openCorpus('bad', 'water_truncated_2frames_plus_partial.trr');
    expect(reader.frameCount).toBe(ref.complete_frames);
    expect(Array.from(reader.frameIndex!().offsets)).toEqual(ref.frame_start_bytes);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toMatch(/truncated in frame 2 at byte 110400 \(file size 147200\)/);
    const s = reader.readFrame(1);
    expect([s.info.time, s.velocities?.length, s.forces?.length]).toEqual([0.5, 4590, 4590]);
    const whole = openCorpus('04_gromacs', 'water_public.trr');
    expect(s).toEqual(whole.readFrame(1));
    expect(() => reader.readFrame(2)).toThrow(RangeError);
  });

  it('rejects a bad magic number naming the file, frame 0 and byte 0', () => {
    const bytes = readFileSync(corpusPath('04_gromacs', 'water_public.trr'));
    const e = catchError(() =>
      trrFormat.open(
        new MemorySource(
          'bad.trr',
          patched(bytes, (v) => v.setInt32(0, 1995)),
        ),
      ),
    );
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).location).toEqual({ frame: 0, offset: 0 });
    expect((e as ParseError).message).toMatch(/^bad\.trr: trr \(frame 0, byte 0\): bad magic 1995, expected 1993/);
  });

  it('turns lying headers into ParseErrors before allocating', () => {
    const bytes = readFileSync(corpusPath('04_gromacs', 'water_public.trr')).subarray(0, 3 * 55200);
    const open = (edit: (v: DataView) => void): unknown =>
      trrFormat.open(new MemorySource('lie.trr', patched(bytes, edit)));
    // natoms 2^31 - 1 with sizes to match would need 24 GB: refused from the file size.
    expect(() => open((v) => v.setInt32(64, 0x7fffffff))).toThrow(/implausible atom count 2147483647/);
    // A consistent header whose data runs past the end of the file.
    const many = 13_000;
    expect(() =>
      open((v) => {
        for (const at of [52, 56, 60]) v.setInt32(at, 12 * many);
        v.setInt32(64, many);
      }),
    ).toThrow(/truncated in frame 0 at byte 0.*no complete frame/);
    expect(() => open((v) => v.setInt32(52, 999))).toThrow(/x size 999 does not match 18360/);
    expect(() => open((v) => v.setInt32(32, 40))).toThrow(/cannot tell float from double: 4.444/);
    expect(() => open((v) => v.setInt32(8, 1 << 30))).toThrow(/implausible version string length/);
  });

  it('keeps the good frames before a corrupt header in the middle of a file', () => {
    const bytes = readFileSync(corpusPath('04_gromacs', 'water_public.trr')).subarray(0, 4 * 55200);
    const reader = trrFormat.open(
      new MemorySource(
        'mid.trr',
        patched(bytes, (v) => v.setInt32(2 * 55200 + 64, 1531)),
      ),
    );
    expect(reader.frameCount).toBe(2);
    expect(reader.warnings[0]).toMatch(/frame 2, byte 110400.*natoms 1531.*2 complete frames kept/);
  });
});

describe('trr: precision and optional blocks (files written by the test encoder)', () => {
  const x = [0.1, 0.2, 0.3, 1.25, -2.5, 3.0000001];
  const v = [1, 2, 3, 4, 5, 6];
  const f = [-10, 20, 0.5, 100, 200, 300];

  it('detects double precision from x_size when there is no box', () => {
    const reader = trrFormat.open(new MemorySource('d.trr', trrFrame({ real: 8, x, time: 2.5, step: 7 })));
    const s = reader.readFrame(0);
    expect(Array.from(s.positions)).toEqual(x.map((c) => c * 10));
    expect(s.cell).toBeNull();
    expect(s.pbc).toEqual([false, false, false]);
    expect(s.info).toEqual({ time: 2.5, step: 7, lambda: 0 });
    expect(s.velocities).toBeUndefined();
  });

  it('detects double precision from v_size or f_size alone', () => {
    const onlyV = trrFormat.open(new MemorySource('v.trr', trrFrame({ real: 8, v }))).readFrame(0);
    expect(Array.from(onlyV.velocities!)).toEqual(v.map((c) => c * 10));
    expect(onlyV.positions.every(Number.isNaN)).toBe(true);
    expect(onlyV.info.has_positions).toBe(false);
    const onlyF = trrFormat.open(new MemorySource('f.trr', trrFrame({ real: 8, f }))).readFrame(0);
    expect(Array.from(onlyF.forces!)).toEqual(f.map((c) => c * FORCE_TO_EV_A));
  });

  it('reads a double-precision box and skips virial and pressure', () => {
    const box = [3, 0, 0, 0.5, 3, 0, 0.25, 0.5, 3];
    const s = trrFormat.open(new MemorySource('b.trr', trrFrame({ real: 8, box, vir: true, x, f }))).readFrame(0);
    expect(Array.from(s.cell!)).toEqual(box.map((c) => c * 10));
    expect(Array.from(s.positions)).toEqual(x.map((c) => c * 10));
    expect(Array.from(s.forces!)).toEqual(f.map((c) => c * FORCE_TO_EV_A));
  });

  it('keeps frames aligned with times when x, v and f come at different strides', () => {
    const frames = [
      trrFrame({ real: 4, box: [2, 0, 0, 0, 2, 0, 0, 0, 2], x, v, f, step: 0, time: 0 }),
      trrFrame({ real: 4, box: [2, 0, 0, 0, 2, 0, 0, 0, 2], v, step: 10, time: 0.1 }),
      trrFrame({ real: 4, box: [2, 0, 0, 0, 2, 0, 0, 0, 2], f, step: 20, time: 0.2 }),
      trrFrame({ real: 4, box: [2, 0, 0, 0, 2, 0, 0, 0, 2], x, step: 30, time: 0.3 }),
    ];
    const reader = trrFormat.open(new MemorySource('mixed.trr', concat(frames)));
    expect(reader.frameCount).toBe(4);
    expect(reader.warnings).toEqual(['mixed.trr: 2 of 4 frames carry no coordinates; their positions are NaN']);
    const got = [0, 1, 2, 3].map((i) => reader.readFrame(i));
    expect(got.map((s) => s.info.step)).toEqual([0, 10, 20, 30]);
    expect(got.map((s) => [!Number.isNaN(s.positions[0]), !!s.velocities, !!s.forces])).toEqual([
      [true, true, true],
      [false, true, false],
      [false, false, true],
      [true, false, false],
    ]);
    expect(Array.from(got[3]!.positions)).toEqual(x.map((c) => Math.fround(c) * 10));
  });

  it('refuses a frame with nothing to tell the precision from', () => {
    expect(() => trrFormat.open(new MemorySource('e.trr', trrFrame({ real: 4 })))).toThrow(/no box, x, v or f/);
  });
});

describe('trr: index, random access, callbacks', () => {
  it('reads a frame at random the same as in sequence, and reuses an index', () => {
    const reader = openCorpus('04_gromacs', 'peptide_public.trr');
    const sequential = Array.from({ length: reader.frameCount }, (_, i) => reader.readFrame(i));
    for (const i of [5, 0, 3, 1, 4, 2]) expect(reader.readFrame(i)).toEqual(sequential[i]);
    const counting = new CountingSource(corpusSource('04_gromacs', 'peptide_public.trr'));
    const again = trrFormat.open(counting, { index: reader.frameIndex!() });
    expect(counting.reads).toBe(1);
    for (const i of [4, 1]) expect(again.readFrame(i)).toEqual(sequential[i]);
  });

  it('reports progress and honours cancellation', () => {
    const source = corpusSource('04_gromacs', 'water_public.trr');
    const fractions: number[] = [];
    trrFormat.open(source, { onProgress: (p) => fractions.push(p) });
    expect(fractions[0]).toBe(0);
    expect(fractions.at(-1)).toBe(1);
    expect(() => trrFormat.open(source, { isCancelled: () => true })).toThrow(AbortError);
  });

  it('sniffs TRR bytes only and leaves the caller bytes untouched', () => {
    const head = (p: string[]): Uint8Array => readFileSync(corpusPath(...p)).subarray(0, 64);
    expect(sniffTrr(head(['04_gromacs', 'water_public.trr']))).toBe(true);
    expect(sniffTrr(head(['04_gromacs', 'water_public.xtc']))).toBe(false);
    expect(sniffTrr(head(['05_formats', 'Cu111_slab_mda.dcd']))).toBe(false);
    const file = readFileSync(corpusPath('04_gromacs', 'water_public.trr'));
    const backing = new Uint8Array(file.length + 5);
    backing.set(file, 5);
    const copy = Uint8Array.from(backing);
    const s = trrFormat.open(new MemorySource('w.trr', backing.subarray(5))).readFrame(3);
    expect(s).toEqual(openCorpus('04_gromacs', 'water_public.trr').readFrame(3));
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

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
  return out;
}

interface FrameSpec {
  real: 4 | 8;
  box?: number[];
  vir?: boolean;
  x?: number[];
  v?: number[];
  f?: number[];
  step?: number;
  time?: number;
}

/** One TRR frame laid out as GROMACS' do_trr_frame writes it (2 atoms when x/v/f are given). */
function trrFrame(spec: FrameSpec): Uint8Array {
  const natoms = (spec.x ?? spec.v ?? spec.f ?? []).length / 3;
  const r = spec.real;
  const blocks = [spec.box, spec.vir ? Array(9).fill(7) : undefined, undefined, spec.x, spec.v, spec.f];
  const sizes = blocks.map((b) => (b ? b.length * r : 0));
  const header = 4 + 4 + 4 + 12 + 13 * 4 + 2 * r;
  const out = new Uint8Array(header + sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  const int = (v: number): void => (view.setInt32(at, v), void (at += 4));
  const real = (v: number): void => (r === 4 ? view.setFloat32(at, v) : view.setFloat64(at, v), void (at += r));
  int(1993);
  int(13);
  int(12);
  for (const c of 'GMX_trn_file') out[at++] = c.charCodeAt(0);
  [0, 0, sizes[0]!, sizes[1]!, sizes[2]!, 0, 0, sizes[3]!, sizes[4]!, sizes[5]!, natoms, spec.step ?? 0, 0].forEach(
    int,
  );
  real(spec.time ?? 0);
  real(0);
  blocks.forEach((b) => b?.forEach(real));
  return out;
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
