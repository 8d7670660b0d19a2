import { describe, expect, test } from 'vitest';
import { colormap } from '../../../core/model/colormaps';
import { vdwRadii } from '../../../core/model/elements';
import {
  atomRadii,
  colorAtoms,
  colorOptions,
  colorsFollowPositions,
  parseHexColor,
  resolveRepresentation,
} from './appearance';

const water = {
  numbers: Uint8Array.of(8, 1, 1),
  positions: Float32Array.of(0, 0, 0, 0.96, 0, 0.5, -0.24, 0.93, -1),
};

describe('appearance', () => {
  test('auto: ball and stick for molecules, spacefill for close-packed or unbonded atoms', () => {
    expect(resolveRepresentation('auto', 3, 2)).toBe('ball-and-stick'); // water
    expect(resolveRepresentation('auto', 108, 648)).toBe('spacefill'); // FCC metal, 12 bonds per atom
    expect(resolveRepresentation('auto', 8, 16)).toBe('ball-and-stick'); // diamond, 4 per atom
    expect(resolveRepresentation('auto', 500, 0)).toBe('spacefill'); // LJ argon
    expect(resolveRepresentation('licorice', 3, 2)).toBe('licorice');
  });

  test('radii per representation and scale', () => {
    const sf = atomRadii(water.numbers, 'spacefill', 1);
    expect(sf[0]).toBeCloseTo(vdwRadii[8]!, 6);
    expect(sf[1]).toBeCloseTo(vdwRadii[1]!, 6);
    const bs = atomRadii(water.numbers, 'ball-and-stick', 2);
    expect(bs[0]).toBeCloseTo(2 * 0.2 * vdwRadii[8]!, 6);
    expect(Array.from(atomRadii(water.numbers, 'licorice', 1))).toEqual([0.25, 0.25, 0.25]);
  });

  test('element colours are Jmol, unknown atoms grey, with a legend of the elements present', () => {
    const c = colorAtoms({ ...water, numbers: Uint8Array.of(8, 1, 0) }, 'element', 'viridis', null);
    expect(Array.from(c.colors.subarray(0, 4))).toEqual([255, 13, 13, 255]); // O: 1, 0.051, 0.051
    expect(Array.from(c.colors.subarray(4, 8))).toEqual([255, 255, 255, 255]); // H
    expect(Array.from(c.colors.subarray(8, 11))).toEqual([140, 140, 148]); // unknown: grey
    expect(c.legend).toMatchObject({ kind: 'categories', title: 'Element' });
    expect(c.legend?.kind === 'categories' && c.legend.entries.map((e) => e.label)).toEqual(['?', 'H', 'O']);
  });

  test('colour by z maps the frame range through the colormap; a given range is kept', () => {
    const c = colorAtoms(water, 'prop:z', 'viridis', null);
    expect(c.range).toEqual([-1, 0.5]);
    const top = colormap('viridis', 1).map((v) => Math.round(v * 255));
    const bottom = colormap('viridis', 0).map((v) => Math.round(v * 255));
    expect(Array.from(c.colors.subarray(4, 7))).toEqual(top); // atom 1: z = 0.5
    expect(Array.from(c.colors.subarray(8, 11))).toEqual(bottom); // atom 2: z = -1
    expect(c.legend).toMatchObject({ kind: 'ramp', min: -1, max: 0.5, colormap: 'viridis' });
    const fixed = colorAtoms(water, 'prop:z', 'grayscale', [-2, 2]);
    expect(Array.from(fixed.colors.subarray(0, 3))).toEqual([128, 128, 128]); // z = 0: the middle
  });

  test('colour by a file column, by chain and by residue; unavailable colourings fall back to elements', () => {
    const frame = {
      ...water,
      atomProperties: { charge: Float32Array.of(-0.8, 0.4, 0.4), resid: Float32Array.of(1, 1, 2) },
      atomLabels: { chain: { labels: ['A', 'B'], codes: Uint32Array.of(0, 0, 1) } },
    };
    const byCharge = colorAtoms(frame, 'prop:charge', 'coolwarm', null);
    expect(byCharge.legend).toMatchObject({ kind: 'ramp', title: 'Charge', min: expect.closeTo(-0.8, 5) });
    const byChain = colorAtoms(frame, 'chain', 'viridis', null);
    expect(Array.from(byChain.colors.subarray(0, 4))).toEqual(Array.from(byChain.colors.subarray(4, 8)));
    expect(Array.from(byChain.colors.subarray(0, 4))).not.toEqual(Array.from(byChain.colors.subarray(8, 12)));
    expect(byChain.legend?.kind === 'categories' && byChain.legend.entries.map((e) => e.label)).toEqual(['A', 'B']);
    const byResidue = colorAtoms(frame, 'residue', 'viridis', null);
    expect(byResidue.legend?.kind === 'categories' && byResidue.legend.entries.map((e) => e.label)).toEqual(['1', '2']);
    expect(colorAtoms(water, 'prop:speed', 'viridis', null).legend).toMatchObject({ title: 'Element' });
  });

  test('colouring choices follow the frame; only positional colourings follow positions', () => {
    const ids = colorOptions({
      atomProperties: { speed: new Float32Array(1) },
      atomLabels: { resname: { labels: [], codes: new Uint32Array(1) } },
    }).map((o) => o.id);
    expect(ids).toEqual([
      'element',
      'residue',
      'label:resname',
      'prop:index',
      'prop:x',
      'prop:y',
      'prop:z',
      'prop:speed',
    ]);
    expect(colorOptions(null).map((o) => o.id)[0]).toBe('element');
    expect(colorsFollowPositions('prop:z')).toBe(true);
    expect(colorsFollowPositions('prop:speed')).toBe(false);
  });

  test('hex colours', () => {
    expect(parseHexColor('#ffffff')).toEqual([1, 1, 1]);
    expect(parseHexColor('#000')).toEqual([0, 0, 0]);
    expect(parseHexColor('red')).toBeNull();
  });
});
