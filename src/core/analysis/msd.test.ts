// MSD and D against MDAnalysis (all origins) and LAMMPS (single origin) on the corpus argon
// XTC; the FFT method against the direct sum; unwrapping of wrapped and imaged input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { iterateFrames } from '../io/frames';
import { invert3 } from '../model/cell';
import type { Structure } from '../model/structure';
import { diffusionCoefficient, msdAllOrigins, msdSingleOrigin } from './msd';
import { collectSeries, uniformStep } from './series';

const ar = reference('01_lj_argon');
const xtc = corpusPath('01_lj_argon', 'argon_public_prod.xtc');

function csv(name: string): number[][] {
  return readFileSync(corpusPath('01_lj_argon', name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));
}

/** Positions folded back into the cell: what a wrapped dump of the same run would hold. */
function wrapped(frame: Structure): Structure {
  const cell = frame.cell!;
  const inv = invert3(cell);
  const p = frame.positions.slice();
  for (let i = 0; i < p.length; i += 3) {
    const s = [0, 1, 2].map((k) => p[i]! * inv[k]! + p[i + 1]! * inv[3 + k]! + p[i + 2]! * inv[6 + k]!);
    const f = s.map((v) => v - Math.floor(v));
    for (let c = 0; c < 3; c++) p[i + c] = f[0]! * cell[c]! + f[1]! * cell[3 + c]! + f[2]! * cell[6 + c]!;
  }
  return { ...frame, positions: p };
}

describe('MSD of LJ argon (XTC, unwrapped, 501 frames)', () => {
  const { reader } = openTrajectory(xtc);
  const series = collectSeries(iterateFrames(reader), 'positions', { expectedFrames: reader.frameCount });
  const dt = uniformStep(series.times!);
  const t = Float64Array.from({ length: series.frames }, (_, m) => m * dt);
  const single = msdSingleOrigin(series.data, series.frames, series.atoms);
  const raw = series.data.slice();
  const msd = msdAllOrigins(series.data, series.frames, series.atoms);

  it('samples every 0.04 ps', () => {
    expect(series.frames).toBe(ar.xtc.n_frames);
    expect(dt).toBeCloseTo(ar.xtc.frame_interval_ps, 9);
  });

  it('equals MDAnalysis EinsteinMSD (all origins) point by point', () => {
    const md = csv('argon_public_msd_multiorigin_mdanalysis.csv');
    expect(md.length).toBe(series.frames);
    let maxAbs = 0;
    md.forEach(([lag, v], m) => {
      expect(t[m]).toBeCloseTo(lag!, 9);
      maxAbs = Math.max(maxAbs, Math.abs(msd[m]! - v!));
    });
    expect(maxAbs).toBeLessThan(1e-6); // observed 1.1e-7 Å² (the CSV keeps 10 digits)
  });

  it('gives D within 3 % of MDAnalysis over lags 2 ps .. half the run', () => {
    const want = ar.msd.D_cm2_per_s_multi_origin_mdanalysis_EinsteinMSD_lag_2ps_to_half;
    const d = diffusionCoefficient(t, msd, 2, ar.xtc.last_time_ps / 2);
    expect(Math.abs(d.D_cm2_s / want - 1)).toBeLessThan(0.03);
    // Same points, same estimator: in fact equal to 1e-8 (2.2995573e-5 cm²/s both).
    expect(Math.abs(d.D_cm2_s / want - 1)).toBeLessThan(1e-6);
    expect(d.fit.n).toBe(201);
    expect(d.DErr_cm2_s).toBeGreaterThan(0);
    expect(d.DErr_cm2_s).toBeLessThan(0.01 * d.D_cm2_s);
  });

  it('single origin equals LAMMPS compute msd within the corpus tolerance', () => {
    let maxAbs = 0;
    let compared = 0;
    for (const row of csv('argon_public_msd_lammps.csv')) {
      const k = Math.round(row[1]! / dt);
      if (Math.abs(k * dt - row[1]!) > 1e-9) continue;
      maxAbs = Math.max(maxAbs, Math.abs(single[k]! - row[5]!));
      compared++;
    }
    expect(compared).toBe(501);
    expect(maxAbs).toBeLessThan(0.02); // corpus tolerance; observed 0.0030 (reference: 0.0030066)
    const d = diffusionCoefficient(t, single, ...(ar.msd.fit_window_ps as [number, number]));
    expect(Math.abs(d.D_cm2_s / ar.msd.D_cm2_per_s_single_origin_from_xtc_same_window - 1)).toBeLessThan(0.01);
    expect(Math.abs(d.D_cm2_s / ar.msd.D_cm2_per_s - 1)).toBeLessThan(0.01);
  });

  it('the FFT method equals the direct average over origins', () => {
    const width = 3 * series.atoms;
    for (const m of [1, 7, 50, 250, 499, 500]) {
      let s = 0;
      for (let k = 0; k + m < series.frames; k++) {
        for (let c = 0; c < width; c++) {
          const d = raw[(k + m) * width + c]! - raw[k * width + c]!;
          s += d * d;
        }
      }
      expect(msd[m]).toBeCloseTo(s / ((series.frames - m) * series.atoms), 9);
    }
    expect(msd[0]).toBe(0);
  });

  it('recovers the same MSD from wrapped positions, by jumps or by image columns', () => {
    const frames = [...iterateFrames(reader, { stop: 120 })];
    const direct = msdAllOrigins(collectSeries(frames, 'positions').data, 120, 864);
    const byJumps = msdAllOrigins(collectSeries(frames.map(wrapped), 'positions').data, 120, 864);
    for (let m = 0; m < 120; m++) expect(byJumps[m]).toBeCloseTo(direct[m]!, 8);
    // Image flags that undo the wrapping, with the jump tracking finding nothing left to do.
    const imaged = frames.map((f) => {
      const w = wrapped(f);
      const inv = invert3(f.cell!);
      const image = new Int32Array(f.positions.length);
      for (let i = 0; i < image.length; i += 3) {
        for (let k = 0; k < 3; k++) {
          const s = f.positions[i]! * inv[k]! + f.positions[i + 1]! * inv[3 + k]! + f.positions[i + 2]! * inv[6 + k]!;
          image[i + k] = Math.floor(s);
        }
      }
      return { ...w, arrays: { image }, arrayWidths: { image: 3 } };
    });
    const byImages = collectSeries(imaged, 'positions');
    const direct0 = collectSeries(frames, 'positions');
    for (let i = 0; i < byImages.data.length; i += 997) expect(byImages.data[i]).toBeCloseTo(direct0.data[i]!, 9);
    // --unwrap none keeps the folded coordinates: atoms crossing the box make the MSD jump.
    const folded = msdAllOrigins(collectSeries(frames.map(wrapped), 'positions', { unwrap: 'none' }).data, 120, 864);
    expect(folded[119]).toBeGreaterThan(10 * direct[119]!);
  });

  it('unwraps a wrapped LAMMPS dump (x, not xu) consistently with the unwrapped XTC', () => {
    const dump = openTrajectory(corpusPath('01_lj_argon', 'argon_public_short.lammpstrj')).reader;
    const s = collectSeries(iterateFrames(dump), 'positions');
    const m = msdSingleOrigin(s.data, s.frames, s.atoms);
    // The dump has steps 0..500 every 10 (0.02 ps); LAMMPS single-origin MSD at the same steps.
    const lmp = new Map(csv('argon_public_msd_lammps.csv').map((r) => [r[0]!, r[5]!]));
    for (let k = 0; k < s.frames; k++) expect(Math.abs(m[k]! - lmp.get(10 * k)!)).toBeLessThan(1e-4);
  });

  it('refuses an uneven time axis and a window without points', () => {
    expect(() => uniformStep([0, 1, 2, 4])).toThrow(/evenly spaced/);
    expect(() => diffusionCoefficient([0, 1, 2], [0, 1, 2], 5, 6)).toThrow(/holds 0 point/);
  });
});
