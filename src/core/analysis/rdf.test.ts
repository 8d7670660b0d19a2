// g(r) against LAMMPS compute rdf on the corpus argon run (bin by bin, the first peak by the
// reference parabola, the running coordination number), pair selections, S(k).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { iterateFrames } from '../io/frames';
import type { Structure } from '../model/structure';
import { computeRdf, RdfAccumulator } from './rdf';
import { structureFactor } from './structure-factor';

const ar = reference('01_lj_argon');
const xtc = corpusPath('01_lj_argon', 'argon_public_prod.xtc');

function lammpsRdf(): { r: number[]; g: number[]; coord: number[] } {
  const rows = readFileSync(corpusPath('01_lj_argon', 'argon_public_rdf_lammps.csv'), 'utf8').trim().split('\n');
  expect(rows[0]).toBe('r_A,g_r,coord_r');
  const cols = rows.slice(1).map((l) => l.split(',').map(Number));
  return { r: cols.map((c) => c[0]!), g: cols.map((c) => c[1]!), coord: cols.map((c) => c[2]!) };
}

/** A fixed pseudo-random generator so the synthetic systems are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('g(r) of LJ argon (XTC, 864 atoms)', () => {
  const { reader } = openTrajectory(xtc);
  // LAMMPS sampled steps 20..10000 every 20 steps (fix ave/time 20 500 10000): XTC frames 1..500.
  const res = computeRdf(iterateFrames(reader, { start: 1 }), { rmax: ar.system.cutoff_A, bins: ar.rdf.n_bins });
  const lmp = lammpsRdf();

  it('matches LAMMPS compute rdf bin by bin (corpus tolerance 0.03; the reference recomputation saw 0.0071)', () => {
    expect(res.frames).toBe(500);
    expect(res.r.length).toBe(170);
    let maxDev = 0;
    for (let b = 0; b < lmp.r.length; b++) {
      expect(res.r[b]).toBeCloseTo(lmp.r[b]!, 9);
      maxDev = Math.max(maxDev, Math.abs(res.g[b]! - lmp.g[b]!));
    }
    // Observed 0.0055: the XTC rounds coordinates to 0.01 Å, nothing else differs.
    expect(maxDev).toBeLessThanOrEqual(ar.rdf.max_abs_dev_g_recomputed_from_xtc_all_frames);
  });

  it('puts the first peak where the reference parabola does', () => {
    // Reference 3.69147 Å, 2.84159; observed 3.69095 Å, 2.84304.
    expect(Math.abs(res.peak.x - ar.rdf.first_peak_r_A_parabolic)).toBeLessThan(0.005);
    expect(Math.abs(res.peak.y / ar.rdf.first_peak_g_parabolic - 1)).toBeLessThan(0.002);
    expect(res.r[res.peak.index]).toBeCloseTo(ar.rdf.first_peak_r_A_bin_center, 9);
  });

  it('reproduces the reference parabola exactly from the LAMMPS curve', async () => {
    const { parabolicPeak } = await import('./peak');
    const p = parabolicPeak(lmp.r, lmp.g);
    expect(p.x).toBeCloseTo(ar.rdf.first_peak_r_A_parabolic, 9);
    expect(p.y).toBeCloseTo(ar.rdf.first_peak_g_parabolic, 9);
  });

  it('gives the running coordination number of LAMMPS (third column)', () => {
    let maxDev = 0;
    for (let b = 0; b < lmp.r.length; b++) maxDev = Math.max(maxDev, Math.abs(res.coordination[b]! - lmp.coord[b]!));
    expect(maxDev).toBeLessThan(0.005); // observed 0.0015 of 53 neighbours at 8.5 Å
    expect(res.density).toBeCloseTo(863 / ar.system.box_A[0] ** 3, 6);
  });

  it('S(k) of argon peaks near 2 Å⁻¹ (σk ≈ 6.8, the first diffraction peak of liquid argon)', () => {
    for (const window of ['none', 'lorch'] as const) {
      const sk = structureFactor(res.r, res.g, res.density, { window });
      let best = 0;
      for (let i = 0; i < sk.s.length; i++) if (sk.s[i]! > sk.s[best]!) best = i;
      expect(sk.k[best]).toBeGreaterThan(1.9);
      expect(sk.k[best]).toBeLessThan(2.15);
      // The Lorch window trades height for smoothness: 2.11 without, 1.62 with.
      expect(sk.s[best]).toBeGreaterThan(window === 'none' ? 2 : 1.5);
    }
  });
});

describe('g(r) on synthetic systems', () => {
  it('is 1 on average for an ideal gas in a triclinic cell', () => {
    const random = rng(7);
    const cell = Float64Array.of(20, 0, 0, 6, 19, 0, -4, 5, 21);
    const acc = new RdfAccumulator({ rmax: 8, bins: 16 });
    for (let f = 0; f < 40; f++) {
      const n = 400;
      const positions = new Float64Array(3 * n);
      for (let i = 0; i < n; i++) {
        const [u, v, w] = [random(), random(), random()];
        for (let c = 0; c < 3; c++) positions[3 * i + c] = u * cell[c]! + v * cell[3 + c]! + w * cell[6 + c]!;
      }
      acc.add({ numbers: new Uint8Array(n).fill(18), positions, cell, pbc: [true, true, true], arrays: {}, info: {} });
    }
    const g = acc.result().g;
    // Outer bins hold thousands of pairs per frame: within a few percent of 1.
    for (let b = 8; b < 16; b++) expect(Math.abs(g[b]! - 1)).toBeLessThan(0.03);
  });

  it('A-B of a one-species system equals the total g(r); partials add up to the total exactly', () => {
    const { reader } = openTrajectory(xtc);
    const frames = { stop: 20 };
    const opts = { rmax: 8.5, bins: 85 };
    const all = Int32Array.from({ length: 864 }, (_, i) => i);
    const total = computeRdf(iterateFrames(reader, frames), opts);
    const same = computeRdf(iterateFrames(reader, frames), { ...opts, groupA: all, groupB: all });
    for (let b = 0; b < 85; b++) expect(same.g[b]).toBeCloseTo(total.g[b]!, 12);
    // Split into two "species" A (380 atoms) and B (484): N(N-1) g = nA(nA-1) gAA + nB(nB-1) gBB + 2 nA nB gAB.
    const a = all.filter((i) => i % 9 < 4);
    const b = all.filter((i) => i % 9 >= 4);
    const [nA, nB, n] = [a.length, b.length, 864];
    const gAA = computeRdf(iterateFrames(reader, frames), { ...opts, groupA: a, groupB: a }).g;
    const gBB = computeRdf(iterateFrames(reader, frames), { ...opts, groupA: b, groupB: b }).g;
    const gAB = computeRdf(iterateFrames(reader, frames), { ...opts, groupA: a, groupB: b }).g;
    const gBA = computeRdf(iterateFrames(reader, frames), { ...opts, groupA: b, groupB: a }).g;
    for (let k = 0; k < 85; k++) {
      expect(gAB[k]).toBeCloseTo(gBA[k]!, 12);
      const sum = (nA * (nA - 1) * gAA[k]! + nB * (nB - 1) * gBB[k]! + 2 * nA * nB * gAB[k]!) / (n * (n - 1));
      expect(sum).toBeCloseTo(total.g[k]!, 10);
    }
  });

  it('refuses rmax beyond half the cell and frames without a cell', () => {
    const frame: Structure = {
      numbers: new Uint8Array(2),
      positions: new Float64Array(6),
      cell: Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10),
      pbc: [true, true, true],
      arrays: {},
      info: {},
    };
    expect(() => new RdfAccumulator({ rmax: 6, bins: 10 }).add(frame)).toThrow(/half the shortest/);
    expect(() => new RdfAccumulator({ rmax: 4, bins: 10 }).add({ ...frame, cell: null })).toThrow(/periodic cell/);
  });
});

describe('S(k) from g(r)', () => {
  it('matches the analytic transform of a step g(r) (hard-sphere-like hole of radius a)', () => {
    const a = 3;
    const rho = 0.02;
    const bins = 4000;
    const rmax = 10;
    const r = Float64Array.from({ length: bins }, (_, i) => ((i + 0.5) * rmax) / bins);
    const g = r.map((x) => (x < a ? 0 : 1));
    const k = Float64Array.of(0.5, 1, 2, 4);
    const sk = structureFactor(r, g, rho, { k });
    k.forEach((kk, q) => {
      const exact = 1 - (4 * Math.PI * rho * (Math.sin(kk * a) - kk * a * Math.cos(kk * a))) / kk ** 3;
      expect(sk.s[q]).toBeCloseTo(exact, 5);
    });
  });
});
