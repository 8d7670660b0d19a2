import { describe, expect, test } from 'vitest';
import {
  categoryColor,
  colormap,
  colormapRamp,
  COLORMAP_NAMES,
  finiteRange,
  isColormapName,
  normalize,
} from './colormaps';

/** matplotlib 3.x `cm.<name>(i / 255)` for table entries i (the 256-entry tables / Moreland's stops). */
const KNOWN: [string, number, [number, number, number]][] = [
  ['viridis', 0, [0.267004, 0.004874, 0.329415]],
  ['viridis', 100 / 255, [0.166617, 0.463708, 0.558119]], // entry 100, between stops
  ['viridis', 128 / 255, [0.127568, 0.566949, 0.550556]],
  ['viridis', 200 / 255, [0.440137, 0.811138, 0.340967]],
  ['viridis', 1, [0.993248, 0.906157, 0.143936]],
  ['plasma', 0, [0.050383, 0.029803, 0.527975]],
  ['plasma', 71 / 255, [0.534952, 0.031217, 0.650165]], // entry 71, between stops
  ['plasma', 128 / 255, [0.798216, 0.280197, 0.469538]],
  ['plasma', 1, [0.940015, 0.975158, 0.131326]],
  ['coolwarm', 0, [0.2298057, 0.298717966, 0.753683153]],
  ['coolwarm', 0.5, [0.865395197, 0.86541021, 0.865395561]],
  ['coolwarm', 0.25, [0.552953156, 0.688929332, 0.995375608]],
  ['coolwarm', 1, [0.705673158, 0.01555616, 0.150232812]],
  ['grayscale', 0, [0, 0, 0]],
  ['grayscale', 0.25, [0.25, 0.25, 0.25]],
  ['grayscale', 1, [1, 1, 1]],
];

describe('colormaps', () => {
  test.each(KNOWN)('%s(%f) matches matplotlib', (name, t, rgb) => {
    const got = colormap(name as never, t);
    // Stops are every 8th table entry: linear interpolation is within 0.002 of the full table.
    for (let c = 0; c < 3; c++) expect(Math.abs(got[c]! - rgb[c]!)).toBeLessThan(0.002);
  });

  test('between two coolwarm stops the colour is their linear blend (as matplotlib interpolates)', () => {
    const a = colormap('coolwarm', 16 / 32);
    const b = colormap('coolwarm', 17 / 32);
    const mid = colormap('coolwarm', 16.5 / 32);
    for (let c = 0; c < 3; c++) expect(mid[c]).toBeCloseTo((a[c]! + b[c]!) / 2, 6);
  });

  test('values outside [0, 1] clamp; NaN draws as the low end', () => {
    for (const name of COLORMAP_NAMES) {
      expect(colormap(name, -3)).toEqual(colormap(name, 0));
      expect(colormap(name, 7)).toEqual(colormap(name, 1));
      expect(colormap(name, NaN)).toEqual(colormap(name, 0));
    }
  });

  test('viridis gets lighter monotonically (perceptually ordered)', () => {
    let last = -1;
    for (let i = 0; i <= 64; i++) {
      const [r, g, b] = colormap('viridis', i / 64);
      const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      expect(luma).toBeGreaterThan(last);
      last = luma;
    }
  });

  test('a ramp gives n RGBA8 colours from the low to the high end', () => {
    const ramp = colormapRamp('viridis', 3);
    expect(ramp.length).toBe(12);
    expect(Array.from(ramp.subarray(0, 4))).toEqual([68, 1, 84, 255]);
    expect(Array.from(ramp.subarray(8, 12))).toEqual([253, 231, 37, 255]);
  });

  test('normalize and finiteRange', () => {
    expect(normalize(5, 0, 10)).toBe(0.5);
    expect(normalize(3, 3, 3)).toBe(0.5);
    expect(normalize(Infinity, 0, 1)).toBeNaN();
    expect(finiteRange(Float64Array.of(NaN, 2, -1, Infinity, 4))).toEqual([-1, 4]);
    expect(finiteRange([NaN])).toBeNull();
  });

  test('names and category colours', () => {
    expect(isColormapName('plasma')).toBe(true);
    expect(isColormapName('jet')).toBe(false);
    expect(categoryColor(0)).toEqual([0x1f / 255, 0x77 / 255, 0xb4 / 255]);
    expect(categoryColor(10)).toEqual(categoryColor(0));
    expect(categoryColor(-1)).toEqual(categoryColor(9));
  });
});
