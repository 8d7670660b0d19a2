import { describe, expect, it } from 'vitest';
import { FileSource } from '../../node/file-source';
import { corpusPath } from '../../../test/corpus';
import { applyTopology, checkPairing, pairFiles } from './pairing';
import { formatById } from './registry';

function first(format: string, ...p: string[]) {
  const src = new FileSource(corpusPath(...p));
  const reader = formatById(format)!.open(src);
  return { reader, frame0: reader.readFrame(0) };
}

describe('topology + trajectory pairing', () => {
  it('pairs by atom count, preferring the closest file name', () => {
    const pairs = pairFiles([
      { key: 'a', name: 'water_public.xtc', format: 'xtc', atoms: 648 },
      { key: 'b', name: 'peptide_public_final.gro', format: 'gro', atoms: 648 },
      { key: 'c', name: 'water_public_final.gro', format: 'gro', atoms: 648 },
      { key: 'd', name: 'other.pdb', format: 'pdb', atoms: 10 },
    ]);
    expect(pairs.get('a')).toBe('c');
    expect(pairs.size).toBe(1);
  });

  it('refuses a topology with another atom count, naming both files', () => {
    expect(() => checkPairing('a.gro', 100, 'b.xtc', 99)).toThrow(
      /b\.xtc has 99 atoms but its topology a\.gro has 100/,
    );
  });

  it('gives the GROMACS water XTC the elements and residue names of its GRO', () => {
    const gro = first('gro', '04_gromacs', 'water_public_final.gro');
    const xtc = first('xtc', '04_gromacs', 'water_public.xtc');
    expect(xtc.frame0.numbers.every((z) => z === 0)).toBe(true);
    const paired = applyTopology(xtc.frame0, gro.frame0);
    expect(paired.numbers.length).toBe(gro.frame0.numbers.length);
    const counts = new Map<number, number>();
    for (const z of paired.numbers) counts.set(z, (counts.get(z) ?? 0) + 1);
    // SPC/E water: twice as many H as O, nothing else.
    expect(counts.get(1)).toBe(2 * counts.get(8)!);
    expect([...counts.keys()].sort()).toEqual([1, 8]);
    expect(paired.arrays['resname']).toBeDefined();
    expect(paired.positions).toBe(xtc.frame0.positions);
  });
});
