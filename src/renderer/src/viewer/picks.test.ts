import { describe, expect, test } from 'vitest';
import { MAX_PICKS, nextPicks, pickedAtom } from './picks';
import { invert3 } from './scene-uniforms';

describe('picks', () => {
  test('a click picks one atom, shift+click extends the chain, empty space clears', () => {
    expect(nextPicks([3, 4], 7, false)).toEqual([7]);
    expect(nextPicks([3], 7, true)).toEqual([3, 7]);
    expect(nextPicks([1, 2, 3, 4], 5, true)).toEqual([2, 3, 4, 5]);
    expect(nextPicks([1, 2, 3, 4], 5, true)).toHaveLength(MAX_PICKS);
    expect(nextPicks([3, 7], 7, true)).toEqual([3]); // the last one again: unpicked
    expect(nextPicks([3, 7], null, false)).toEqual([]);
    expect(nextPicks([3, 7], null, true)).toEqual([3, 7]);
  });

  test('picked atoms carry the element symbol and what the viewer knows', () => {
    const source = {
      atomInfo: (i: number) =>
        i === 2
          ? { index: 2, z: 29, position: [1, 2, 3] as [number, number, number], labels: { name: 'CU' }, properties: {} }
          : null,
    };
    expect(pickedAtom(source, 2)).toMatchObject({ index: 2, symbol: 'Cu', labels: { name: 'CU' } });
    expect(pickedAtom(source, 5)).toBeNull();
  });

  test('the cell inverse used for minimum-image bonds', () => {
    const cell = [10, 0, 0, 2, 9, 0, 1, 1, 8];
    const inv = invert3(cell)!;
    // Row-major product cell x inv = identity.
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let k = 0; k < 3; k++) v += cell[3 * r + k]! * inv[3 * k + c]!;
        expect(v).toBeCloseTo(r === c ? 1 : 0, 12);
      }
    expect(invert3([1, 0, 0, 0, 0, 0, 0, 0, 1])).toBeNull();
  });
});
