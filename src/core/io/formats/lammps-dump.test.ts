import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import { AbortError, type TrajectoryReader } from '../format.js';
import { MemorySource, memorySourceFromText } from '../source.js';
import { boxFromDumpBounds, lammpsDumpFormat } from './lammps-dump.js';

/** Core may not import src/node (layering lint), so tests read corpus files into memory. */
function openSource(path: string): MemorySource {
  return new MemorySource(path, readFileSync(path));
}

function openCorpus(...parts: string[]): TrajectoryReader {
  return lammpsDumpFormat.open(openSource(corpusPath(...parts)));
}

function openText(text: string, name = 'fixture.lammpstrj'): TrajectoryReader {
  return lammpsDumpFormat.open(memorySourceFromText(name, text));
}

/** Atom i's row of a width-3 column. */
function row(data: Float64Array | undefined, i: number): number[] {
  if (!data) throw new Error('missing column');
  return [data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!];
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThanOrEqual(tol);
}

function caught(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

/** The atom lines of frame `frame` of a dump, as the file text has them (independent of the reader). */
function atomLinesOfFrame(text: string, frame: number): string[][] {
  const blocks = text.split('ITEM: TIMESTEP\n').slice(1);
  const lines = blocks[frame]!.trimEnd().split('\n');
  const at = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
  return lines.slice(at + 1).map((l) => l.trim().split(/\s+/));
}

describe('lammps-dump: argon (LAMMPS dump custom id type x y z vx vy vz)', () => {
  const ref = reference('01_lj_argon');
  const file = corpusPath('01_lj_argon', 'argon_public_short.lammpstrj');
  const reader = openCorpus('01_lj_argon', 'argon_public_short.lammpstrj');

  it('counts frames and atoms and reads TIMESTEP as a step', () => {
    expect(reader.frameCount).toBe(ref.short_dump.n_frames);
    expect(reader.atomCount).toBe(ref.system.natoms);
    expect(reader.warnings).toEqual([]);
    const [first, last] = ref.short_dump.steps as [number, number];
    expect(reader.readFrame(0).info.step).toBe(first);
    expect(reader.readFrame(reader.frameCount - 1).info.step).toBe(last);
    expect(reader.readFrame(1).info.step).toBe(first + ref.short_dump.stride_steps);
    expect(reader.readFrame(0).info.time).toBeUndefined();
  });

  it('reads the box and periodicity', () => {
    const s = reader.readFrame(0);
    const [a, b, c] = ref.system.box_A as number[];
    expectClose(s.cell!, [a!, 0, 0, 0, b!, 0, 0, 0, c!], 1e-12);
    expect(s.pbc).toEqual([true, true, true]);
    expect(s.info.coordinates).toBe('wrapped');
    expect(s.info.cellOrigin).toEqual([0, 0, 0]);
  });

  it('reads positions and velocities of atom 1 (frame 0) and the last atom (last frame)', () => {
    const s0 = reader.readFrame(0);
    const r0 = ref.short_dump.frame0_atom1_xyz_v as number[];
    expectClose(row(s0.positions, 0), r0.slice(0, 3), 1e-9);
    expectClose(row(s0.velocities, 0), r0.slice(3), 1e-9);
    const sl = reader.readFrame(reader.frameCount - 1);
    const rl = ref.short_dump.last_frame_atom864_or_last_xyz_v as number[];
    expectClose(row(sl.positions, 863), rl.slice(0, 3), 1e-9);
    expectClose(row(sl.velocities, 863), rl.slice(3), 1e-9);
    expect((sl.arrays.id as Int32Array)[863]).toBe(864);
  });

  it('matches the file text for every atom of frames 0 and 25 (ids, types, x, v)', () => {
    const text = readFileSync(file, 'utf8');
    for (const frame of [0, 25]) {
      const s = reader.readFrame(frame);
      const rows = atomLinesOfFrame(text, frame).sort((p, q) => Number(p[0]) - Number(q[0]));
      expect(rows.length).toBe(864);
      const ids = s.arrays.id as Int32Array;
      const types = s.arrays.type as Int32Array;
      expect(ids).toBeInstanceOf(Int32Array);
      rows.forEach((f, i) => {
        expect(ids[i]).toBe(Number(f[0]));
        expect(types[i]).toBe(Number(f[1]));
        expect(row(s.positions, i)).toEqual(f.slice(2, 5).map(Number));
        expect(row(s.velocities, i)).toEqual(f.slice(5, 8).map(Number));
      });
      expect(s.numbers.every((z) => z === 0)).toBe(true); // the type -> element map comes later
    }
  });

  it('reuses a frame index and reports progress', () => {
    const fractions: number[] = [];
    const r = lammpsDumpFormat.open(openSource(file), { onProgress: (f) => fractions.push(f) });
    expect(fractions.at(-1)).toBe(1);
    const index = r.frameIndex!();
    expect(index.offsets.length).toBe(52);
    expect(index.offsets[0]).toBe(0);
    expect(index.offsets[51]).toBe(readFileSync(file).length);
    expect(index.lines![1]).toBe(1 + 9 + 864);
    const again = lammpsDumpFormat.open(openSource(file), { index });
    expect(again.frameCount).toBe(51);
    expect(again.atomCount).toBe(864);
    expect(again.readFrame(37).positions).toEqual(r.readFrame(37).positions);
  });

  it('stops indexing when cancelled', () => {
    expect(() => lammpsDumpFormat.open(openSource(file), { isCancelled: () => true })).toThrow(AbortError);
  });

  it('keeps the complete frames of a truncated file and says where the cut is', () => {
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    let frame50 = -1;
    for (let k = 0; k < 51; k++) frame50 = text.indexOf('ITEM: TIMESTEP', frame50 + 1);
    // Cut in the middle of an atom line, inside the last frame.
    const cut = frame50 + 20_000 + 7;
    const r = lammpsDumpFormat.open(new MemorySource('cut.lammpstrj', bytes.subarray(0, cut)));
    expect(r.frameCount).toBe(50);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('truncated in frame 50');
    expect(r.warnings[0]).toContain(`byte ${frame50}`);
    expect(r.readFrame(49).info.step).toBe(490);
    expect(r.frameIndex!().offsets[50]).toBe(frame50);
    // A cut inside the very last atom line (the file would otherwise look complete).
    const r2 = lammpsDumpFormat.open(new MemorySource('cut2.lammpstrj', bytes.subarray(0, bytes.length - 5)));
    expect(r2.frameCount).toBe(50);
    expect(r2.warnings[0]).toContain('truncated in frame 50');
    // A cut inside the header of the last frame.
    const r3 = lammpsDumpFormat.open(new MemorySource('cut3.lammpstrj', bytes.subarray(0, frame50 + 30)));
    expect(r3.frameCount).toBe(50);
    expect(r3.warnings[0]).toContain('truncated in frame 50');
    // A one-frame file without a final newline is kept, with a warning.
    const one = frameText(0, 'pp pp pp', ['0 1', '0 1', '0 1'], 'id type x y z', ['1 1 0.5 0.5 0.5']).trimEnd();
    const r4 = openText(one);
    expect(r4.frameCount).toBe(1);
    expect(r4.warnings[0]).toContain('does not end with a newline');
  });
});

describe('lammps-dump: 02_eam forces dumps (fx fy fz c_pea)', () => {
  const ref = reference('02_eam');
  for (const [system, sys] of Object.entries(ref.systems as Record<string, { structures: object }>)) {
    for (const [name, st] of Object.entries(sys.structures as Record<string, Record<string, unknown>>)) {
      it(`${name}: counts, atom 1 energy and force, the largest force, sum of c_pea`, () => {
        const r = openCorpus('02_eam', st.forces_dump as string);
        expect(r.frameCount).toBe(1);
        const s = r.readFrame(0);
        expect(s.numbers.length).toBe(st.natoms);
        const pea = s.arrays.c_pea as Float64Array;
        expect(pea).toBeInstanceOf(Float64Array);
        const ids = s.arrays.id as Int32Array;
        expect(ids[0]).toBe(1);
        expect(pea[0]).toBeCloseTo(st.atom1_pe_eV as number, 12);
        expectClose(row(s.forces, 0), st.atom1_force as number[], 1e-12);
        const imax = ids.indexOf(st.max_force_atom_id as number);
        expectClose(row(s.forces, imax), st.max_force_atom_force as number[], 1e-12);
        const sum = pea.reduce((acc, v) => acc + v, 0);
        expect(Math.abs(sum - (st.sum_per_atom_energy_eV as number))).toBeLessThan(1e-9);
        expect(s.velocities).toBeUndefined();
        expect(system).toMatch(/^Cu_/);
      });
    }
  }
});

describe('lammps-dump: 03_adatom (xu yu zu, boundary p p s)', () => {
  it('reads 2001 one-atom frames of unwrapped coordinates that match the CSV', () => {
    const r = openCorpus('03_adatom', 'adatom_Cu100_adatom.lammpstrj');
    expect(r.frameCount).toBe(2001);
    expect(r.atomCount).toBe(1);
    const csv = readFileSync(corpusPath('03_adatom', 'adatom_Cu100_adatom_by_id.csv'), 'utf8').trim().split('\n');
    for (const k of [0, 3, 1000, 2000]) {
      const f = csv[k + 1]!.split(',').map(Number);
      const s = r.readFrame(k);
      expect(s.info.step).toBe(f[0]);
      expect(s.info.coordinates).toBe('unwrapped');
      expectClose(s.positions, f.slice(2, 5), 1e-9);
      expect((s.arrays.id as Int32Array)[0]).toBe(1537);
      expect((s.arrays.type as Int32Array)[0]).toBe(2);
    }
  });

  it('reads the shrink-wrapped box with its origin below zero', () => {
    const r = openCorpus('03_adatom', 'adatom_Cu100_slab_every1000.lammpstrj');
    expect(r.frameCount).toBe(11);
    expect(r.atomCount).toBe(1537);
    const s = r.readFrame(0);
    expect(s.pbc).toEqual([true, true, false]);
    expectClose(s.cell!, [28.912, 0, 0, 0, 28.912, 0, 0, 0, 22.930790304708889 + 3.0719e-3], 1e-12);
    expect(s.info.cellOrigin).toEqual([0, 0, -3.0718999999999998e-3]);
    expectClose(row(s.positions, 1), [1.807, 1.807, 0], 0);
  });

  it('names the file, frame 3 and line 35 when BOX BOUNDS is missing (bad/adatom_no_box_bounds)', () => {
    const path = corpusPath('bad', 'adatom_no_box_bounds.lammpstrj');
    const e = caught(() => lammpsDumpFormat.open(openSource(path)));
    expect(e.file).toBe(path);
    expect(e.format).toBe('lammps-dump');
    expect(e.location).toEqual({ frame: 3, line: 35 });
    expect(e.message).toContain("expected 'ITEM: BOX BOUNDS', found 'ITEM: ATOMS id type xu yu zu'");
    expect(e.message).toContain(path);
  });
});

/** A frame of a dump as LAMMPS writes it (BOX BOUNDS lines as given). */
function frameText(step: number, boxHeader: string, boxLines: string[], columns: string, atoms: string[]): string {
  return [
    'ITEM: TIMESTEP',
    String(step),
    'ITEM: NUMBER OF ATOMS',
    String(atoms.length),
    `ITEM: BOX BOUNDS ${boxHeader}`,
    ...boxLines,
    `ITEM: ATOMS ${columns}`,
    ...atoms,
    '',
  ].join('\n');
}

describe('lammps-dump: hand-made fixtures', () => {
  it('sorts atoms by id, follows a changing atom count and keeps extra columns', () => {
    const box = ['0 10', '0 10', '0 10'];
    const text =
      frameText(0, 'pp pp pp', box, 'id type x y z ix iy iz q mass c_cna element', [
        '3 2 3.0 3.1 3.2 0 0 1 -0.5 15.999 2 O',
        '1 1 1.0 1.1 1.2 1 0 0 0.25 1.008 1 H',
        '2 1 2.0 2.1 2.2 0 -1 0 0.25 1.008 1 H',
      ]) + frameText(100, 'pp pp pp', box, 'id type x y z', ['7 1 7 7 7', '5 1 5 5 5']);
    const r = openText(text);
    expect(r.frameCount).toBe(2);
    expect(r.atomCount).toBe(3);
    const s = r.readFrame(0);
    expect(Array.from(s.arrays.id as Int32Array)).toEqual([1, 2, 3]);
    expect(Array.from(s.arrays.type as Int32Array)).toEqual([1, 1, 2]);
    expect(Array.from(s.positions)).toEqual([1, 1.1, 1.2, 2, 2.1, 2.2, 3, 3.1, 3.2]);
    expect(Array.from(s.arrays.image as Int32Array)).toEqual([1, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(s.arrayWidths).toEqual({ image: 3 });
    expect(Array.from(s.arrays.charge as Float64Array)).toEqual([0.25, 0.25, -0.5]);
    expect(Array.from(s.arrays.mass as Float64Array)).toEqual([1.008, 1.008, 15.999]);
    expect(Array.from(s.arrays.c_cna as Float64Array)).toEqual([1, 1, 2]);
    expect(s.arrays.element).toEqual(['H', 'H', 'O']);
    expect(Array.from(s.numbers)).toEqual([1, 1, 8]);
    const s1 = r.readFrame(1);
    expect(s1.info.step).toBe(100);
    expect(Array.from(s1.arrays.id as Int32Array)).toEqual([5, 7]);
    expect(Array.from(s1.positions)).toEqual([5, 5, 5, 7, 7, 7]);
  });

  it('splits on any whitespace and tolerates CRLF and blank lines between frames', () => {
    const text = frameText(0, 'pp pp pp', ['0 10', '0 10', '0 10'], 'id  type\tx y z', ['  2\t1  2 2 2  ', '1 1 1 1 1'])
      .replace(/\n/g, '\r\n')
      .concat('\r\n\r\n', frameText(1, 'pp pp pp', ['0 10', '0 10', '0 10'], 'id type x y z', ['1 1 0 0 0']), '\n\n');
    const r = openText(text);
    expect(r.frameCount).toBe(2);
    expect(r.warnings).toEqual([]);
    expect(Array.from(r.readFrame(0).positions)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(r.readFrame(1).info.step).toBe(1);
  });

  it('recovers a restricted triclinic box from the bounding box (FORMATS.md) for x and xs columns', () => {
    // The true box, and the BOX BOUNDS lines LAMMPS writes for it (dump_custom.cpp header_item_triclinic).
    const [xlo, xhi, ylo, yhi, zlo, zhi] = [-1.5, 8.5, 0.5, 9.0, -2.0, 7.0];
    const [xy, xz, yz] = [-2.25, 1.5, -0.75];
    const bounds = [
      `${xlo + Math.min(0, xy, xz, xy + xz)} ${xhi + Math.max(0, xy, xz, xy + xz)} ${xy}`,
      `${ylo + Math.min(0, yz)} ${yhi + Math.max(0, yz)} ${xz}`,
      `${zlo} ${zhi} ${yz}`,
    ];
    const cell = [xhi - xlo, 0, 0, xy, yhi - ylo, 0, xz, yz, zhi - zlo];
    const frac = [0.25, 0.5, 0.75];
    const cart = [0, 1, 2].map(
      (k) => [xlo, ylo, zlo][k]! + frac[0]! * cell[k]! + frac[1]! * cell[3 + k]! + frac[2]! * cell[6 + k]!,
    );
    const text =
      frameText(0, 'xy xz yz pp pp ff', bounds, 'id type xs ys zs', [`1 1 ${frac.join(' ')}`]) +
      frameText(1, 'xy xz yz pp pp ff', bounds, 'id type x y z', [`1 1 ${cart.join(' ')}`]);
    const r = openText(text);
    const scaled = r.readFrame(0);
    expectClose(scaled.cell!, cell, 1e-12);
    expect(scaled.pbc).toEqual([true, true, false]);
    expect(scaled.info.coordinates).toBe('scaled');
    expectClose(scaled.info.cellOrigin as number[], [xlo, ylo, zlo], 1e-12);
    expectClose(scaled.positions, cart, 1e-12);
    const plain = r.readFrame(1);
    expectClose(plain.cell!, cell, 1e-12);
    expectClose(plain.positions, cart, 1e-12);
    // The exported inverse agrees on a tilt where every min/max term is active.
    const box = boxFromDumpBounds([-3, 10, -1, 9, 0, 5], [2, -4, 1]);
    expect(Array.from(box.cell)).toEqual([8 - 1, 0, 0, 2, 9, 0, -4, 1, 5]);
    expect(box.origin).toEqual([1, -1, 0]);
  });

  it('reads a general triclinic box (BOX BOUNDS abc origin) with scaled unwrapped coordinates', () => {
    const bounds = ['4 1 0 -1', '0 5 1 -2', '1 0 6 -3'];
    const text = frameText(0, 'abc origin pp pp pp', bounds, 'id type xsu ysu zsu', ['1 1 1.5 0 0', '2 1 0.5 0.5 0.5']);
    const s = openText(text).readFrame(0);
    expect(Array.from(s.cell!)).toEqual([4, 1, 0, 0, 5, 1, 1, 0, 6]);
    expect(s.info.cellOrigin).toEqual([-1, -2, -3]);
    expect(s.info.coordinates).toBe('scaled-unwrapped');
    expectClose(s.positions, [5, -0.5, -3, 1.5, 1, 0.5], 1e-12);
  });

  it('reads old `dump atom` files without column names as id type xs ys zs', () => {
    const text =
      'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS\n0 2\n0 4\n0 8\nITEM: ATOMS\n1 1 0.5 0.5 0.5\n';
    const s = openText(text).readFrame(0);
    expect(Array.from(s.positions)).toEqual([1, 2, 4]);
  });

  it('reads UNITS and TIME items (written before TIMESTEP) and converts real units', () => {
    const text =
      'ITEM: UNITS\nreal\nITEM: TIME\n2000\n' +
      frameText(1000, 'pp pp pp', ['0 10', '0 10', '0 10'], 'id type x y z vx vy vz fx fy fz', [
        '1 1 1 2 3 0.001 0 0 1 0 0',
      ]);
    const r = openText(text);
    expect(lammpsDumpFormat.sniff!(new TextEncoder().encode(text))).toBe(true);
    const s = r.readFrame(0);
    expect(s.info.units).toBe('real');
    expect(s.info.time).toBeCloseTo(2, 12); // 2000 fs
    expect(s.info.step).toBe(1000);
    expectClose(row(s.velocities, 0), [1, 0, 0], 1e-12); // 0.001 Å/fs = 1 Å/ps
    expectClose(row(s.forces, 0), [0.0433641043, 0, 0], 1e-12); // 1 kcal/mol/Å in eV/Å
  });

  it('sniffs the first line', () => {
    const enc = (t: string): Uint8Array => new TextEncoder().encode(t);
    expect(lammpsDumpFormat.sniff!(enc('ITEM: TIMESTEP\n0\n'))).toBe(true);
    expect(lammpsDumpFormat.sniff!(enc('ITEM: TIMESTEP\r\n0\r\n'))).toBe(true);
    expect(lammpsDumpFormat.sniff!(enc('3\ncomment\nC 0 0 0\n'))).toBe(false);
    expect(lammpsDumpFormat.extensions).toEqual(['lammpstrj', 'dump']);
  });
});

describe('lammps-dump: bad input', () => {
  const box = ['0 10', '0 10', '0 10'];

  it('names the line of a non-numeric coordinate', () => {
    const text = frameText(0, 'pp pp pp', box, 'id type x y z', ['1 1 0 0 0', '2 1 abc 0 0', '3 1 0 0 0']);
    const r = openText(text, 'nonnumeric.lammpstrj');
    const e = caught(() => r.readFrame(0));
    expect(e.location).toEqual({ frame: 0, line: 11 });
    expect(e.message).toContain('nonnumeric.lammpstrj');
    expect(e.message).toContain("'abc'");
  });

  it('rejects nan coordinates but keeps nan in other columns', () => {
    const bad = frameText(0, 'pp pp pp', box, 'id type x y z', ['1 1 nan 0 0']);
    expect(caught(() => openText(bad).readFrame(0)).location).toEqual({ frame: 0, line: 10 });
    const ok = frameText(0, 'pp pp pp', box, 'id type x y z c_x', ['1 1 0 0 0 -nan']);
    expect(Number.isNaN((openText(ok).readFrame(0).arrays.c_x as Float64Array)[0])).toBe(true);
  });

  it('names the line where an atom count runs into the next frame', () => {
    const text =
      frameText(0, 'pp pp pp', box, 'id type x y z', ['1 1 0 0 0']).replace('ATOMS\n1\n', 'ATOMS\n2\n') +
      frameText(1, 'pp pp pp', box, 'id type x y z', ['1 1 0 0 0']);
    const e = caught(() => openText(text));
    expect(e.location).toEqual({ frame: 0, line: 11 });
  });

  it('refuses an empty file, a file without ITEM lines, missing coordinates and dump local', () => {
    expect(caught(() => openText('', 'empty.lammpstrj')).message).toContain('empty file');
    expect(caught(() => openText('hello\nworld\n')).location).toEqual({ frame: 0, line: 1 });
    const noCoords = frameText(0, 'pp pp pp', box, 'id type vx vy vz', ['1 1 0 0 0']);
    expect(caught(() => openText(noCoords).readFrame(0)).message).toContain('no coordinate columns');
    const local = 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ENTRIES\n1\n';
    expect(caught(() => openText(local)).message).toContain("unsupported item 'ITEM: NUMBER OF ENTRIES'");
  });

  it('does not allocate for a NUMBER OF ATOMS the frame cannot hold (lying cached index)', () => {
    const text = frameText(0, 'pp pp pp', box, 'id type x y z', ['1 1 0 0 0']);
    const r = openText(text);
    const lying = frameText(0, 'pp pp pp', box, 'id type x y z', ['1 1 0 0 0']).replace(
      'ATOMS\n1\n',
      'ATOMS\n999999999\n',
    );
    const r2 = lammpsDumpFormat.open(memorySourceFromText('lie.lammpstrj', lying), {
      index: { offsets: Float64Array.of(0, lying.length), lines: Float64Array.of(1), warnings: [] },
    });
    expect(r.readFrame(0).numbers.length).toBe(1);
    expect(caught(() => r2.readFrame(0)).message).toContain('does not fit');
  });
});
