import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { ParseError } from '../errors.js';
import type { TrajectoryReader } from '../format.js';
import { MemorySource, memorySourceFromText } from '../source.js';
import { cellFromParameters, invert3 } from '../../model/cell.js';
import { cifFormat, cifNumber, elementOf, expandSites, parseSymOp } from './cif.js';

function openText(text: string, name = 'fixture.cif'): TrajectoryReader {
  return cifFormat.open(memorySourceFromText(name, text));
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

function maxAbsDiff(p: ArrayLike<number>, q: ArrayLike<number>): number {
  expect(p.length).toBe(q.length);
  let m = 0;
  for (let k = 0; k < p.length; k++) m = Math.max(m, Math.abs(p[k]! - q[k]!));
  return m;
}

/** Fractional coordinates of Cartesian rows in a cell. */
function fractional(cart: ArrayLike<number>, cell: Float64Array): number[] {
  const inv = invert3(cell);
  return Array.from(cart, (_, k) => {
    const b = k - (k % 3);
    const j = k % 3;
    return cart[b]! * inv[j]! + cart[b + 1]! * inv[3 + j]! + cart[b + 2]! * inv[6 + j]!;
  });
}

describe('cif: corpus file (ASE, P1, fractional)', () => {
  const ref = reference('05_formats');
  const path = corpusPath('05_formats', 'Cu111_slab_frame0.cif');
  const reader = cifFormat.open(new MemorySource(path, readFileSync(path)));
  const s = reader.readFrame(0);
  const refCell = Float64Array.from((ref.cell_A as number[][]).flat());

  it('reads one block of 27 Cu atoms with its name, labels and space group', () => {
    expect(reader.frameCount).toBe(1);
    expect(reader.atomCount).toBe(ref.natoms);
    expect(reader.warnings).toEqual([]);
    expect(s.numbers.every((z) => z === 29)).toBe(true);
    expect(s.info.title).toBe('image0');
    expect(s.info.spacegroup).toBe('P 1');
    expect((s.arrays.label as string[])[26]).toBe('Cu27');
    expect(s.pbc).toEqual([true, true, true]);
  });

  it('builds the cell from lengths and angles (the file writes 6 significant digits)', () => {
    expect(maxAbsDiff(s.cell!, refCell)).toBeLessThan(5e-5);
    expect(s.cell![1]).toBe(0);
    expect(s.cell![2]).toBe(0);
    expect(s.cell![5]).toBe(0);
  });

  it('puts atoms 0, 1 and the last at the reference fractional coordinates (5 decimals in the file)', () => {
    const [p0, p1, pl] = ref.positions_A_atoms_0_1_last.first_frame as number[][];
    const want = fractional([...p0!, ...p1!, ...pl!], refCell);
    const got = fractional([...s.positions.slice(0, 6), ...s.positions.slice(-3)], s.cell!);
    // Half a unit in the fifth decimal; the reference's "1e-6" assumes 6 decimals, this file has 5.
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(5e-6 + 1e-9);
    expect(maxAbsDiff([...s.positions.slice(0, 6), ...s.positions.slice(-3)], [...p0!, ...p1!, ...pl!])).toBeLessThan(
      2e-4,
    );
  });
});

const CELL_ITEMS = `_cell_length_a 4\n_cell_length_b 5\n_cell_length_c 6\n_cell_angle_alpha 90\n_cell_angle_beta 100\n_cell_angle_gamma 90\n`;

describe('cif: symmetry expansion', () => {
  it('expands P 21/c: a general site gives 4 atoms, a site on an inversion centre 2', () => {
    const text =
      `data_p21c\n${CELL_ITEMS}_symmetry_space_group_name_H-M 'P 1 21/c 1'\n` +
      "loop_\n_symmetry_equiv_pos_as_xyz\n'x, y, z'\n'-x, y+1/2, -z+1/2'\n'-x, -y, -z'\n'x, -y+1/2, z+1/2'\n" +
      'loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n' +
      'Fe1 Fe3+ 0.1 0.2 0.3\nO1 O2- 0 0 0\n';
    const s = openText(text).readFrame(0);
    expect(Array.from(s.numbers)).toEqual([26, 26, 26, 26, 8, 8]);
    expect(s.arrays.label).toEqual(['Fe1', 'Fe1', 'Fe1', 'Fe1', 'O1', 'O1']);
    const cell = cellFromParameters(4, 5, 6, 90, 100, 90);
    expect(maxAbsDiff(s.cell!, cell)).toBe(0);
    const want = [0.1, 0.2, 0.3, 0.9, 0.7, 0.2, 0.9, 0.8, 0.7, 0.1, 0.3, 0.8, 0, 0, 0, 0, 0.5, 0.5];
    expect(maxAbsDiff(fractional(s.positions, s.cell!), want)).toBeLessThan(1e-12);
    expect(s.info.spacegroup).toBe('P 1 21/c 1');
  });

  it('expands centring translations (fcc from one site) and wraps images into [0, 1)', () => {
    const text =
      `data_cu\n_cell_length_a 3.615(2)\n_cell_length_b 3.615(2)\n_cell_length_c 3.615(2)\n` +
      '_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n' +
      'loop_\n_space_group_symop_operation_xyz\nx,y,z\nx,1/2+y,1/2+z\n1/2+x,y,1/2+z\n1/2+x,1/2+y,z\n' +
      'loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nCu1 0.75 0.75 0.75\n';
    const s = openText(text).readFrame(0);
    expect(s.numbers.length).toBe(4);
    expect(Array.from(s.numbers)).toEqual([29, 29, 29, 29]);
    expect(s.cell![0]).toBe(3.615);
    const f = fractional(s.positions, s.cell!);
    expect(maxAbsDiff(f, [0.75, 0.75, 0.75, 0.75, 0.25, 0.25, 0.25, 0.75, 0.25, 0.25, 0.25, 0.75])).toBeLessThan(1e-12);
  });

  it('merges images that coincide within 1e-4 under periodic boundaries', () => {
    const ops = ['x,y,z', '-x,-y,-z'].map((t) => parseSymOp(t)!);
    const near = expandSites(Float64Array.of(2e-5, 0.5, 0.25), ops);
    expect(near.frac.length).toBe(6); // z: 0.25 vs 0.75 differ
    const same = expandSites(Float64Array.of(2e-5, 0.5, 0.5), ops);
    expect(same.frac.length).toBe(3);
    expect(Array.from(same.site)).toEqual([0]);
    const apart = expandSites(Float64Array.of(2e-4, 0.5, 0.5), ops);
    expect(apart.frac.length).toBe(6);
  });

  it('parses symmetry operations in any term order, with fractions and decimals', () => {
    const op = parseSymOp('-x+1/2, y-x, z+0.25')!;
    expect(Array.from(op.rot)).toEqual([-1, 0, 0, -1, 1, 0, 0, 0, 1]);
    expect(Array.from(op.trans)).toEqual([0.5, 0, 0.25]);
    expect(Array.from(parseSymOp('1/2+X, -Y, Z')!.trans)).toEqual([0.5, 0, 0]);
    expect(parseSymOp('a, b, c')).toBeNull();
    expect(parseSymOp('x, y')).toBeNull();
  });

  it('warns when a space group other than P1 comes without operations', () => {
    const text =
      `data_x\n${CELL_ITEMS}_symmetry_space_group_name_H-M 'F m -3 m'\n` +
      'loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nNa1 0 0 0\n';
    const r = openText(text);
    expect(r.readFrame(0).numbers.length).toBe(1);
    expect(r.warnings.join()).toContain('F m -3 m without symmetry operations');
  });
});

describe('cif: syntax', () => {
  it('reads several data_ blocks as frames, skipping blocks without atom sites', () => {
    const site = (x: number): string =>
      `loop_\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n_atom_site_occupancy\nSi ${x} 0 0 1.0\n`;
    const text =
      '#\\#CIF_1.1\n# comment\ndata_global\n_publ_section_title\n;\nA title with\ndata_ inside a text field\n;\n' +
      `data_first\n${CELL_ITEMS}${site(0.1)}\ndata_second\n${CELL_ITEMS}${site(0.2)}`;
    const r = openText(text);
    expect(r.frameCount).toBe(2);
    expect(r.warnings[0]).toContain('data_global (line 3) has no atom sites: skipped');
    expect(r.readFrame(0).info.title).toBe('first');
    expect(r.readFrame(1).info.title).toBe('second');
    expect(fractional(r.readFrame(1).positions, r.readFrame(1).cell!)[0]).toBeCloseTo(0.2, 12);
    expect(Array.from(r.readFrame(1).arrays.occupancy as Float64Array)).toEqual([1]);
    expect(cifFormat.sniff!(new TextEncoder().encode(text))).toBe(true);
    expect(cifFormat.sniff!(new TextEncoder().encode('3\n\nC 0 0 0\n'))).toBe(false);
  });

  it('reads values with uncertainties, quotes with inner apostrophes, and mmCIF dotted names', () => {
    expect(cifNumber('5.4307(2)')).toBe(5.4307);
    expect(cifNumber('-0.25(13)')).toBe(-0.25);
    expect(Number.isNaN(cifNumber('?'))).toBe(true);
    expect(Number.isNaN(cifNumber('.'))).toBe(true);
    const text =
      "data_mm\n_struct.title 'it's a test'\n_cell.length_a 10\n_cell.length_b 10\n_cell.length_c 10\n" +
      '_cell.angle_alpha 90\n_cell.angle_beta 90\n_cell.angle_gamma 90\n' +
      'loop_\n_atom_site.type_symbol\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\nC 1.5 2 3\nCL 0 0 0\n';
    const s = openText(text).readFrame(0);
    expect(Array.from(s.numbers)).toEqual([6, 17]);
    expect(maxAbsDiff(s.positions, [1.5, 2, 3, 0, 0, 0])).toBeLessThan(1e-12);
  });

  it('takes elements from type symbols or labels', () => {
    expect(elementOf('Fe3+')).toBe(26);
    expect(elementOf('O2-')).toBe(8);
    expect(elementOf('Os1')).toBe(76);
    expect(elementOf('O1a')).toBe(8);
    expect(elementOf('Cu12')).toBe(29);
    expect(elementOf('CA')).toBe(20);
  });
});

describe('cif: bad input', () => {
  const loopHead = 'loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n';

  it('names the line of a non-numeric coordinate', () => {
    const e = caught(() => openText(`data_x\n${CELL_ITEMS}${loopHead}Si1 0 0 0\nSi2 0.5 abc 0.5\n`, 'bad.cif'));
    expect(e.location).toEqual({ line: 14 });
    expect(e.message).toContain('bad.cif');
    expect(e.message).toContain("'abc'");
  });

  it('names the line where a loop runs short', () => {
    const e = caught(() => openText(`data_x\n${CELL_ITEMS}${loopHead}Si1 0 0 0\nSi2 0.5 0.5\n`));
    expect(e.message).toContain('has 7 values, not a multiple');
    expect(e.location).toEqual({ line: 14 });
  });

  it('refuses unterminated quotes and text fields, missing cells, no sites and empty files', () => {
    expect(caught(() => openText(`data_x\n_title 'open\n${CELL_ITEMS}${loopHead}Si 0 0 0\n`)).location).toEqual({
      line: 2,
    });
    expect(
      caught(() => openText(`data_x\n${CELL_ITEMS}${loopHead}Si 0 0 0\n_note\n;\nnever closed\n`)).location,
    ).toEqual({
      line: 15, // the line of the opening ';'
    });
    expect(caught(() => openText(`data_x\n${loopHead}Si 0 0 0\n`)).message).toContain('no _cell_length');
    expect(caught(() => openText(`data_x\n${CELL_ITEMS}`)).message).toContain('no data_ block with atom sites');
    expect(caught(() => openText('', 'empty.cif')).message).toContain('empty file');
    expect(
      caught(() => openText(`data_x\n${CELL_ITEMS}loop_\n_symmetry_equiv_pos_as_xyz\n'x,y,q'\n${loopHead}Si 0 0 0\n`))
        .message,
    ).toContain("cannot read symmetry operation 'x,y,q'");
  });
});
