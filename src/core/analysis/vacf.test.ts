// VACF against LAMMPS compute vacf on the corpus argon dump (velocities vx vy vz), the
// reference first minimum and zero crossing, all origins against the direct sum, and the
// cosine transform against an analytic spectrum.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { iterateFrames } from '../io/frames';
import { collectSeries } from './series';
import { firstMinimum, firstZeroCrossing, normalise, vacfAllOrigins, vacfSingleOrigin, vacfSpectrum } from './vacf';

const ar = reference('01_lj_argon');

describe('VACF of LJ argon (LAMMPS dump with velocities, 51 frames every 0.02 ps)', () => {
  const { reader } = openTrajectory(corpusPath('01_lj_argon', 'argon_public_short.lammpstrj'));
  const s = collectSeries(iterateFrames(reader), 'velocities');
  const dt = (s.steps![1]! - s.steps![0]!) * ar.system.dt_ps;
  const t = Float64Array.from({ length: s.frames }, (_, m) => m * dt);
  const single = vacfSingleOrigin(s.data, s.frames, s.atoms);
  const all = vacfAllOrigins(s.data, s.frames, s.atoms);

  it('single origin equals LAMMPS compute vacf to 1e-6 relative (the dump keeps 8 digits)', () => {
    const rows = readFileSync(corpusPath('01_lj_argon', 'argon_public_vacf_lammps.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    let maxRel = 0;
    let compared = 0;
    for (const r of rows) {
      const k = Math.round(r[1]! / dt);
      if (Math.abs(k * dt - r[1]!) > 1e-9 || k >= s.frames) continue;
      maxRel = Math.max(maxRel, Math.abs(single[k]! - r[2]!) / ar.vacf.vacf0_A2ps2);
      compared++;
    }
    expect(compared).toBe(51);
    expect(maxRel).toBeLessThan(1e-6); // observed 3.8e-7 of C(0)
    expect(single[0]).toBeCloseTo(ar.vacf.vacf0_A2ps2, 6);
  });

  it('finds the reference first minimum and zero crossing (single origin)', () => {
    const c = normalise(single);
    const min = firstMinimum(t, c)!;
    expect(Math.abs(min.t - ar.vacf.first_minimum_t_ps_sample_grid)).toBeLessThanOrEqual(ar.vacf.sample_interval_ps);
    expect(Math.abs(min.value - ar.vacf.first_minimum_value)).toBeLessThan(0.005); // observed 3e-11
    // The dump samples every 0.02 ps, the reference every 0.01 ps: linear interpolation differs slightly.
    expect(Math.abs(firstZeroCrossing(t, c)! - ar.vacf.first_zero_crossing_ps_linear_interp)).toBeLessThan(0.002);
  });

  it('all origins: the direct average, and a shallower, earlier dip than the single-origin curve', () => {
    const width = 3 * s.atoms;
    for (const m of [0, 1, 13, 24, 50]) {
      let sum = 0;
      for (let k = 0; k + m < s.frames; k++)
        for (let c = 0; c < width; c++) sum += s.data[k * width + c]! * s.data[(k + m) * width + c]!;
      expect(all[m]).toBeCloseTo(sum / ((s.frames - m) * s.atoms), 10);
    }
    // A 1 ps run: origins 0..0.5 ps see a different sample of the cage; the averaged minimum
    // is -0.107 at 0.44 ps against -0.130 at 0.48 ps from the first frame alone.
    const min = firstMinimum(t, normalise(all))!;
    expect(min.t).toBeCloseTo(0.44, 9);
    expect(min.value).toBeGreaterThan(-0.12);
    expect(min.value).toBeLessThan(-0.09);
  });
});

describe('VACF spectrum', () => {
  it('is the analytic 4τ/(1 + (2πντ)²) for an exponential C(t) = exp(-t/τ)', () => {
    const tau = 0.1;
    const dt = 0.001;
    const c = Float64Array.from({ length: 8001 }, (_, k) => Math.exp((-k * dt) / tau));
    const sp = vacfSpectrum(c, dt, 200);
    for (let q = 0; q < 40; q++) {
      const nu = sp.nu[q]!;
      expect(sp.intensity[q]).toBeCloseTo((4 * tau) / (1 + (2 * Math.PI * nu * tau) ** 2), 4);
    }
    expect(sp.wavenumber[1]! / sp.nu[1]!).toBeCloseTo(33.35641, 4); // cm⁻¹ per THz
  });
});
