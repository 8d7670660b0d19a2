// The FFT against a direct DFT, and the summed autocorrelation against its definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autocorrelationSum, FFT, nextPowerOfTwo } from './fft';

describe('FFT', () => {
  it('equals the direct DFT, forward and inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 1, max: 1e6 }), (bits, seed) => {
        const n = 1 << bits;
        let s = seed;
        const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
        const re = Float64Array.from({ length: n }, rand);
        const im = Float64Array.from({ length: n }, rand);
        const [r0, i0] = [re.slice(), im.slice()];
        new FFT(n).transform(re, im);
        for (let k = 0; k < n; k++) {
          let sr = 0;
          let si = 0;
          for (let j = 0; j < n; j++) {
            const a = (-2 * Math.PI * j * k) / n;
            sr += r0[j]! * Math.cos(a) - i0[j]! * Math.sin(a);
            si += r0[j]! * Math.sin(a) + i0[j]! * Math.cos(a);
          }
          expect(re[k]).toBeCloseTo(sr, 9);
          expect(im[k]).toBeCloseTo(si, 9);
        }
        new FFT(n).transform(re, im, true);
        for (let j = 0; j < n; j++) {
          expect(re[j]! / n).toBeCloseTo(r0[j]!, 12);
          expect(im[j]! / n).toBeCloseTo(i0[j]!, 12);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => new FFT(12)).toThrow(/power of two/);
    expect(nextPowerOfTwo(1000)).toBe(1024);
    expect(nextPowerOfTwo(1024)).toBe(1024);
  });
});

describe('autocorrelationSum', () => {
  it('equals Σ_c Σ_k x_c(k) x_c(k+m) for odd and even column counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 1e6 }),
        (frames, width, seed) => {
          let s = seed;
          const rand = (): number => ((s = (s * 48271) % 2147483647) / 2147483647) * 10 - 5;
          const data = Float64Array.from({ length: frames * width }, rand);
          const got = autocorrelationSum(data, frames, width);
          for (let m = 0; m < frames; m++) {
            let want = 0;
            for (let c = 0; c < width; c++) {
              for (let k = 0; k + m < frames; k++) want += data[k * width + c]! * data[(k + m) * width + c]!;
            }
            expect(got[m]).toBeCloseTo(want, 8);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
