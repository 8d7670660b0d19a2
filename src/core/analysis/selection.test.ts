// The selection language on real topologies: PDB names/residues, LAMMPS types, elements.
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { parsePair, parseSelection, selectAtoms, SelectionError, speciesAtoms } from './selection';

const peptide = openTrajectory(corpusPath('04_gromacs', 'peptide_public_xtc_frame0_protein.pdb')).reader.readFrame(0);
const dump = openTrajectory(corpusPath('01_lj_argon', 'argon_public_short.lammpstrj')).reader.readFrame(0);

describe('selectAtoms', () => {
  it('names, elements, residues and their combinations', () => {
    expect(selectAtoms(peptide, 'all').length).toBe(75);
    expect(selectAtoms(peptide, 'none').length).toBe(0);
    expect(selectAtoms(peptide, 'name N CA C').length).toBe(15); // YGGFM backbone
    expect(selectAtoms(peptide, 'name CA').length).toBe(5);
    const carbons = selectAtoms(peptide, 'element C');
    expect(carbons.length).toBe(Array.from(peptide.numbers).filter((z) => z === 6).length);
    expect(selectAtoms(peptide, 'element c').length).toBe(carbons.length); // case-forgiving
    const hydrogens = selectAtoms(peptide, 'element H').length;
    expect(selectAtoms(peptide, 'not element H').length).toBe(75 - hydrogens);
    expect(selectAtoms(peptide, 'name CA and resname GLY').length).toBe(2);
    expect(selectAtoms(peptide, 'resname TYR or resname MET').length).toBe(
      selectAtoms(peptide, 'resname TYR').length + selectAtoms(peptide, 'resname MET').length,
    );
    expect(selectAtoms(peptide, 'name H*').length).toBe(hydrogens);
    // not binds tighter than and, and tighter than or; parentheses override.
    expect(selectAtoms(peptide, 'not name CA and resname GLY').length).toBe(
      selectAtoms(peptide, 'resname GLY').length - 2,
    );
    expect(selectAtoms(peptide, 'not (name CA or resname GLY)').length).toBe(
      75 - selectAtoms(peptide, 'resname GLY').length - 3,
    );
    expect(Array.from(selectAtoms(peptide, 'resid 1:2 and name CA'))).toEqual(
      Array.from(selectAtoms(peptide, '(resid 1 or resid 2) and name CA')),
    );
  });

  it('index ranges are half-open like --frames; lists and open ends work', () => {
    expect(Array.from(selectAtoms(peptide, 'index 0:3'))).toEqual([0, 1, 2]);
    expect(Array.from(selectAtoms(peptide, 'index 5 7 70:'))).toEqual([5, 7, 70, 71, 72, 73, 74]);
    expect(Array.from(selectAtoms(peptide, 'index :2 or index 74'))).toEqual([0, 1, 74]);
  });

  it('LAMMPS types and the species of a pair', () => {
    expect(selectAtoms(dump, 'type 1').length).toBe(864);
    expect(speciesAtoms(dump, '1').length).toBe(864);
    expect(speciesAtoms(peptide, 'N').length).toBe(Array.from(peptide.numbers).filter((z) => z === 7).length);
    expect(parsePair('Ar-Ar')).toEqual(['Ar', 'Ar']);
    expect(parsePair(' 1 - 2 ')).toEqual(['1', '2']);
    expect(() => parsePair('Ar')).toThrow(SelectionError);
  });

  it('says what is wrong', () => {
    expect(() => parseSelection('name')).toThrow(/needs at least one value/);
    expect(() => parseSelection('colour red')).toThrow(/unknown word "colour"/);
    expect(() => parseSelection('(name CA')).toThrow(/missing "\)"/);
    expect(() => parseSelection('name CA )')).toThrow(/unexpected "\)"/);
    expect(() => parseSelection('')).toThrow(/empty/);
    expect(() => selectAtoms(peptide, 'element Qq')).toThrow(/not an element symbol/);
    expect(() => selectAtoms(dump, 'name CA')).toThrow(/no "name" column/);
    expect(() => selectAtoms(peptide, 'index a:b')).toThrow(/not an integer/);
  });
});
