import { describe, expect, it } from 'vitest';
import {
  ELEMENT_COUNT,
  atomicNumber,
  colors,
  covalentRadii,
  elementByMass,
  elementName,
  elementSymbol,
  masses,
  symbols,
  vdwRadii,
} from './elements.js';

describe('element table', () => {
  it('covers Z = 0..118 in every array', () => {
    expect(ELEMENT_COUNT).toBe(119);
    expect(symbols.length).toBe(119);
    expect(masses.length).toBe(119);
    expect(covalentRadii.length).toBe(119);
    expect(vdwRadii.length).toBe(119);
    expect(colors.length).toBe(3 * 119);
    expect(symbols[0]).toBe('X');
    expect(symbols[118]).toBe('Og');
  });

  it('has the ASE values scientists compare against', () => {
    expect(masses[29]).toBe(63.546); // Cu
    expect(masses[1]).toBe(1.008); // H
    expect(masses[6]).toBe(12.011); // C
    expect(covalentRadii[1]).toBe(0.31); // H
    expect(covalentRadii[6]).toBe(0.76); // C (sp3)
    expect(covalentRadii[29]).toBe(1.32); // Cu
    expect(vdwRadii[1]).toBe(1.2); // H, Bondi
    expect(vdwRadii[6]).toBe(1.7); // C, Bondi
    expect(vdwRadii[29]).toBe(1.4); // Cu, Bondi
    expect(vdwRadii[26]).toBe(2.44); // Fe: NaN in ASE, Alvarez 2013 fallback
    expect(Array.from(colors.subarray(18, 21))).toEqual([0.565, 0.565, 0.565].map(Math.fround)); // C
    expect(Array.from(colors.subarray(3 * 8, 3 * 8 + 3))).toEqual([1, 0.051, 0.051].map(Math.fround)); // O
    expect(Array.from(colors.subarray(3 * 29, 3 * 29 + 3))).toEqual([0.784, 0.502, 0.2].map(Math.fround)); // Cu
  });

  it('has no missing numbers', () => {
    for (const arr of [masses, covalentRadii, vdwRadii, colors]) {
      expect(arr.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    }
    expect(vdwRadii.every((v) => v > 0)).toBe(true);
  });

  it('maps symbols to numbers forgivingly about case', () => {
    expect(atomicNumber('Cu')).toBe(29);
    expect(atomicNumber('CU')).toBe(29);
    expect(atomicNumber('cu')).toBe(29);
    expect(atomicNumber(' Cl ')).toBe(17);
    expect(atomicNumber('H')).toBe(1);
    expect(atomicNumber('og')).toBe(118);
    expect(atomicNumber('Xx')).toBe(0);
    expect(atomicNumber('')).toBe(0);
    expect(atomicNumber('Carbon')).toBe(0);
    for (let z = 0; z < ELEMENT_COUNT; z++) expect(atomicNumber(elementSymbol(z))).toBe(z);
  });

  it('maps numbers to symbols and names', () => {
    expect(elementSymbol(29)).toBe('Cu');
    expect(elementSymbol(0)).toBe('X');
    expect(elementSymbol(500)).toBe('X');
    expect(elementName(8)).toBe('Oxygen');
    expect(elementName(110)).toBe('Darmstadtium');
  });

  it('finds elements by mass within a tolerance', () => {
    expect(elementByMass(63.546)).toBe(29);
    expect(elementByMass(63.55)).toBe(29);
    expect(elementByMass(1.008)).toBe(1);
    expect(elementByMass(1.0)).toBe(1); // never X
    expect(elementByMass(12.0107)).toBe(6);
    expect(elementByMass(39.948)).toBe(18); // Ar, not K (39.098) or Ca (40.078)
    expect(elementByMass(15.9994)).toBe(8);
    expect(elementByMass(64.2)).toBe(0);
    expect(elementByMass(64.2, 1)).toBe(29); // closest wins: Cu 63.546 over Zn 65.38
    expect(elementByMass(Number.NaN)).toBe(0);
  });
});
