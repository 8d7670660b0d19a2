/**
 * A seeded pseudo-random generator for the simulation engine: xoshiro128** (Blackman and
 * Vigna 2018) on four 32-bit words, so every operation is a 32-bit integer one that
 * JavaScript engines do natively (Math.imul, shifts) and no BigInt is involved. Its period
 * is 2^128 - 1 and it passes BigCrush; that is ample for thermostat noise and velocity
 * initialisation, where 10^9 variates per run is already a lot.
 *
 * Reproducibility is the point: the same seed gives the same stream on every platform, and
 * `state()` / `restore()` capture everything (including a pending Box–Muller partner), so
 * a paused simulation resumes with exactly the numbers it would have drawn.
 *
 * Variates:
 * - `uniform()` in [0, 1) with 53 random bits (two 32-bit draws, as a double needs);
 * - `gaussian()` by Box–Muller (both values of a pair are used);
 * - `exponential()` by inverse transform, X = -ln(1 - U);
 * - `exponentialVonNeumann()` by von Neumann's 1951 comparison method (no logarithm), as in
 *   seeds/exponential-random-numbers.txt. `uniformDraws` counts uniforms, so its cost
 *   (e²/(e - 1) ≈ 4.30 uniforms per variate) can be checked.
 */

export interface RandomState {
  /** The four xoshiro words. */
  s: [number, number, number, number];
  /** The second Box–Muller value waiting to be returned, or null. */
  spareGaussian: number | null;
}

/** SplitMix32-style mixer: spreads any 32-bit value over all 32 bits (for seeding). */
function mix32(x: number): number {
  let z = x | 0;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z >>> 0;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;
  /** Uniform variates drawn so far (each `uniform()` call counts one). */
  uniformDraws = 0;

  /**
   * `seed`: any integer in ±2^53 (LAMMPS-style seeds such as 4928459 included). Both 32-bit
   * halves enter the state, so seeds that differ only above bit 32 give different streams.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`random seed must be an integer, got ${seed}`);
    const lo = (seed % TWO_POW_32) >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    // Four SplitMix32 outputs from a counter that starts at the mixed seed: never all zero
    // in practice, and neighbouring seeds give unrelated states.
    let c = (lo ^ mix32(hi ^ 0x5bd1e995)) >>> 0;
    const next = (): number => {
      c = (c + 0x9e3779b9) >>> 0;
      return mix32(c);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    this.uniformDraws++;
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** Uniform integer in [0, n) (n ≤ 2^32), without modulo bias. */
  integer(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32) || !Number.isInteger(n))
      throw new Error(`integer(n) needs 1 ≤ n ≤ 2^32, got ${n}`);
    // Rejection of the top incomplete block keeps every value equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal variate (Box–Muller; the partner value is kept for the next call). */
  gaussian(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 - U is in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /** Exponential variate with rate 1 by inverse transform: X = -ln(1 - U). */
  exponential(): number {
    return -Math.log(1 - this.uniform());
  }

  /**
   * Exponential variate with rate 1 by von Neumann's method, which only compares numbers:
   * draw Y1 > Y2 > ... > Yn ≤ Y(n+1); if n is odd accept X = k + Y1, else reject, k += 1
   * and start a new trial. P(run of length ≥ n | Y1 = y) = y^(n-1)/(n-1)!, so the
   * acceptance probability given Y1 = y is e^-y, and each rejection happens with
   * probability 1/e: the integer part is geometric, the fraction truncated exponential.
   */
  exponentialVonNeumann(): number {
    let k = 0;
    for (;;) {
      const y1 = this.uniform();
      let prev = y1;
      let n = 1;
      for (;;) {
        const y = this.uniform();
        if (prev <= y) break;
        prev = y;
        n++;
      }
      if (n % 2 === 1) return k + y1;
      k++;
    }
  }

  /** Everything needed to continue the stream later (see `restore`). */
  state(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spareGaussian: this.hasSpare ? this.spare : null };
  }

  restore(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s.map((w) => w | 0) as [number, number, number, number];
    this.hasSpare = state.spareGaussian !== null;
    this.spare = state.spareGaussian ?? 0;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
