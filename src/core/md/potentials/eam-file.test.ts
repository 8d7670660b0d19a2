import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../../test/corpus.js';
import { mdFixture } from '../../../../test/md-helpers.js';
import { ParseError } from '../../io/errors.js';
import { memorySourceFromText } from '../../io/source.js';
import {
  eamKindFromName,
  parseEamFile,
  readEamFile,
  sniffEamKind,
  type FuncflFile,
  type SetflFile,
} from './eam-file.js';
import { eamTables, funcflTables, interpolate } from './eam-tables.js';
import { writeSetfl } from './eam-write.js';

const text = (p: string): string => readFileSync(p, 'utf8');

describe('EAM file readers', () => {
  it('reads the funcfl Cu_u3.eam header and tables', () => {
    const f = parseEamFile('Cu_u3.eam', text(corpusPath('02_eam', 'Cu_u3.eam'))) as FuncflFile;
    expect(f.kind).toBe('funcfl');
    expect(f.element).toMatchObject({ symbol: 'Cu', z: 29, mass: 63.55, a0: 3.615, lattice: 'FCC' });
    expect([f.nrho, f.nr]).toEqual([500, 500]);
    expect(f.drho).toBe(5.0100200400801306e-4);
    expect(f.dr).toBe(1.0000000000000009e-2);
    expect(f.cut).toBe(4.9499999999999886);
    expect(f.frho[1]).toBe(-3.156163690342435e-1);
    expect(f.warnings).toEqual([]);
    // LAMMPS moves funcfl onto a grid one point shorter (int(rmax/dr + 0.5)).
    const t = funcflTables([f]);
    expect([t.nr, t.nrho]).toEqual([499, 499]);
    expect(t.rhomax).toBeCloseTo(499 * 5.0100200400801306e-4, 15);
  });

  it('reads the setfl Cu_mishin1.eam.alloy header and tables', () => {
    const f = parseEamFile('Cu_mishin1.eam.alloy', text(corpusPath('02_eam', 'Cu_mishin1.eam.alloy'))) as SetflFile;
    expect(f.kind).toBe('setfl');
    expect(f.elements.map((e) => e.symbol)).toEqual(['Cu']);
    expect([f.nrho, f.nr, f.cut]).toEqual([10001, 10001, 5.50679]);
    expect(f.frho[0]![0]).toBe(4.99999999981071e-6);
    expect(f.z2r).toHaveLength(1);
    expect(reference('02_eam').systems.Cu_mishin1.isolated_atom_energy_eV.Cu).toBeCloseTo(f.frho[0]![0]!, 15);
  });

  it('reads two-element setfl and Finnis–Sinclair files (fs has N densities per element)', () => {
    const a = parseEamFile('x.eam.alloy', text(mdFixture('synth_CuNi.eam.alloy'))) as SetflFile;
    const fs = parseEamFile('x.eam.fs', text(mdFixture('synth_CuNi.eam.fs'))) as SetflFile;
    expect(a.rhor).toHaveLength(2);
    expect(fs.rhor).toHaveLength(4);
    expect(a.z2r).toHaveLength(3);
    expect(fs.elements.map((e) => e.symbol)).toEqual(['Cu', 'Ni']);
    // setfl's rho_Cu is fs's rho_CuCu (the fixture writes both from the same function).
    expect(Array.from(fs.rhor[0]!)).toEqual(Array.from(a.rhor[0]!));
  });

  it('tells the kind by name, else by content', () => {
    expect(eamKindFromName('a/Cu_u3.eam')).toBe('funcfl');
    expect(eamKindFromName('Cu.eam.alloy')).toBe('setfl');
    expect(eamKindFromName('Fe_mm.eam.fs')).toBe('fs');
    expect(eamKindFromName('potential.txt')).toBeUndefined();
    expect(sniffEamKind(text(corpusPath('02_eam', 'Cu_u3.eam')))).toBe('funcfl');
    expect(sniffEamKind(text(corpusPath('02_eam', 'Cu_mishin1.eam.alloy')))).toBe('setfl');
    expect(sniffEamKind(text(mdFixture('synth_CuNi.eam.alloy')))).toBe('setfl');
    expect(sniffEamKind(text(mdFixture('synth_CuNi.eam.fs')))).toBe('fs');
    const f = readEamFile(memorySourceFromText('renamed.txt', text(mdFixture('synth_CuNi.eam.fs'))));
    expect(f.kind).toBe('fs');
  });

  it('a truncated file is an error naming the file, element, section and values read (corpus bad/)', () => {
    const bad = corpusPath('bad', 'Cu_mishin1_cut.eam.alloy');
    let err: unknown;
    try {
      parseEamFile(bad, text(bad));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ParseError);
    const msg = (err as ParseError).message;
    expect(msg).toContain(bad);
    expect(msg).toContain('element 1 (Cu) density rho(r)');
    // 17987 complete lines: 5 header lines, 10001 F values, then 7981 density values.
    expect(msg).toContain('read 7981 of 10001 values');
    expect(msg).toContain('Nrho 10001, Nr 10001');
    expect((err as ParseError).location.line).toBe(17988);
  });

  it('a cut inside a number is reported as truncation too, and bad tokens by line', () => {
    const good = text(corpusPath('02_eam', 'Cu_u3.eam'));
    // Header (3 lines), three lines of 5 values, then line 7 cut inside its first number.
    const cut = good.split('\n').slice(0, 6).join('\n') + '\n -1.5847099936904741e';
    expect(() => parseEamFile('cut.eam', cut)).toThrow(
      /cut\.eam: eam funcfl \(line 7\): premature end of file in embedding F\(rho\) of Cu: read 15 of 500 values/,
    );
    const lines = good.split('\n');
    lines[6] = lines[6]!.replace(/\S+$/, 'abc');
    expect(() => parseEamFile('typo.eam', lines.join('\n'))).toThrow(
      /typo\.eam: eam funcfl \(line 7\): embedding F\(rho\) of Cu, value 20: 'abc' is not a number/,
    );
    expect(() => parseEamFile('empty.eam.alloy', '')).toThrow(/empty\.eam\.alloy: .*empty file/);
    expect(() => parseEamFile('what.txt', 'hello\nworld\n')).toThrow(/what\.txt: eam: not an EAM potential file/);
  });

  it('values after the end of a section on its last line are dropped, as LAMMPS drops them, with a warning', () => {
    const head = 'comment\n29 63.55 3.615 FCC\n5 0.1 5 0.5 2.0\n';
    const f = parseEamFile('x.eam', head + '1 2 3 4 5 99\n1 1 1 1 1\n2 2 2 2 2\n') as FuncflFile;
    expect(Array.from(f.frho)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(f.zr)).toEqual([1, 1, 1, 1, 1]);
    expect(f.warnings[0]).toMatch(/line 4: 1 value\(s\) after the end of embedding F\(rho\) of Cu ignored/);
  });

  it('writeSetfl round-trips a file exactly (17 significant digits)', () => {
    const f = parseEamFile('x.eam.fs', text(mdFixture('synth_CuNi.eam.fs'))) as SetflFile;
    const back = parseEamFile('y.eam.fs', writeSetfl(f)) as SetflFile;
    expect(back.elements).toEqual(f.elements);
    expect([back.nrho, back.drho, back.nr, back.dr, back.cut]).toEqual([f.nrho, f.drho, f.nr, f.dr, f.cut]);
    for (const key of ['frho', 'rhor', 'z2r'] as const) {
      // (+ 0 turns the file's -0 into 0: the writer does not keep the sign of zero.)
      const plain = (t: Float64Array[]): number[][] => t.map((a) => Array.from(a, (v) => v + 0));
      expect(plain(back[key])).toEqual(plain(f[key]));
    }
  });
});

describe('LAMMPS spline tables', () => {
  it('reproduce a cubic exactly in the interior and interpolate the knots', () => {
    const n = 40;
    const d = 0.1;
    const f = new Float64Array(n + 1);
    for (let m = 1; m <= n; m++) f[m] = Math.pow((m - 1) * d, 3) - (m - 1) * d;
    const s = interpolate(n, d, f);
    for (let m = 1; m <= n; m++) expect(s[7 * m + 6]).toBe(f[m]);
    // The 5-point slope formula is exact for cubics: slope·delta at point m.
    for (let m = 3; m <= n - 2; m++) {
      const r = (m - 1) * d;
      expect(s[7 * m + 5]! / d).toBeCloseTo(3 * r * r - 1, 10);
      expect(s[7 * m + 2]!).toBeCloseTo(3 * r * r - 1, 10);
    }
  });

  it('map species pairs to tables as pair_eam does (setfl: rho by neighbor; fs: rho_IJ by both)', () => {
    const a = eamTables(parseEamFile('x.eam.alloy', text(mdFixture('synth_CuNi.eam.alloy'))));
    const fs = eamTables(parseEamFile('x.eam.fs', text(mdFixture('synth_CuNi.eam.fs'))));
    expect(Array.from(a.type2rhor)).toEqual([0, 0, 1, 1]);
    expect(Array.from(fs.type2rhor)).toEqual([0, 1, 2, 3]);
    expect(Array.from(a.type2z2r)).toEqual([0, 1, 1, 2]);
  });
});
