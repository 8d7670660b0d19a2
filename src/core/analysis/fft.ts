/**
 * A small radix-2 FFT and the one thing the time-correlation analyses need from it: the sum
 * of the autocorrelations of many real series (MSD, VACF over all time origins).
 *
 * Sizes are powers of two; callers zero-pad to at least 2T so the circular correlation equals
 * the linear one for lags 0..T-1.
 */

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** A reusable plan for complex FFTs of one size: twiddles and bit reversal computed once. */
export class FFT {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly reversed: Uint32Array;

  constructor(size: number) {
    if (size < 1 || (size & (size - 1)) !== 0) throw new Error(`FFT size ${size} is not a power of two`);
    this.size = size;
    const half = size >> 1;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      // Computed directly, not by recurrence, so error does not accumulate with the index.
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.reversed = new Uint32Array(size);
    let bits = 0;
    while (1 << bits < size) bits++;
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.reversed[i] = r;
    }
  }

  /**
   * In-place transform of (re, im). Forward uses exp(-2πi jk/n); inverse uses exp(+2πi jk/n)
   * and does not divide by n (callers scale once where they need it).
   */
  transform(re: Float64Array, im: Float64Array, inverse = false): void {
    const n = this.size;
    const rev = this.reversed;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    const sign = inverse ? 1 : -1;
    for (let len = 2; len <= n; len <<= 1) {
      const halfLen = len >> 1;
      const step = n / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = this.cos[k * step]!;
          const wi = sign * this.sin[k * step]!;
          const a = start + k;
          const b = a + halfLen;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
  }
}

/**
 * Σ_c Σ_{k=0}^{T-1-m} x_c(k) x_c(k+m) for m = 0..T-1, over the `width` columns of `data`
 * laid out frame-major (data[k*width + c]), i.e. the un-normalised autocorrelation summed
 * over all columns.
 *
 * Two real columns ride in one complex transform (x + iy): |X_k|² + |Y_k|² =
 * (|Z_k|² + |Z_{n-k}|²)/2, so only the summed power spectrum is kept and one inverse
 * transform gives the summed correlation. Cost: width/2 forward FFTs of size ≥ 2T.
 */
export function autocorrelationSum(
  data: Float64Array,
  frames: number,
  width: number,
  out = new Float64Array(frames),
): Float64Array {
  const n = nextPowerOfTwo(2 * frames);
  const fft = new FFT(n);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const power = new Float64Array(n);
  for (let c = 0; c < width; c += 2) {
    const pair = c + 1 < width;
    for (let k = 0; k < frames; k++) {
      re[k] = data[k * width + c]!;
      im[k] = pair ? data[k * width + c + 1]! : 0;
    }
    re.fill(0, frames);
    im.fill(0, frames);
    fft.transform(re, im);
    for (let k = 0; k < n; k++) {
      const m = k === 0 ? 0 : n - k;
      power[k] = power[k]! + 0.5 * (re[k]! * re[k]! + im[k]! * im[k]! + re[m]! * re[m]! + im[m]! * im[m]!);
    }
  }
  re.set(power);
  im.fill(0);
  fft.transform(re, im, true);
  for (let m = 0; m < frames; m++) out[m] = re[m]! / n;
  return out;
}
