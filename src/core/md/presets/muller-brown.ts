/**
 * The Müller–Brown surface (seeds/muller-brown.txt) as a gallery example:
 *
 * 1. minima by conjugate-gradient descent from every point of a grid, which also gives the
 *    basins-of-attraction map (which minimum a descent from each point reaches);
 * 2. the saddles S1 (MA–MC) and S2 (MC–MB) by climbing-image NEB between neighbouring
 *    minima, classified by the Hessian (one negative eigenvalue);
 * 3. Langevin (BAOAB) sampling with independent walkers, its histogram compared with the
 *    Boltzmann distribution exp(−V/kT) integrated over the same bins.
 *
 * Reduced units throughout (mass 1, k_B = 1), as in the seed (Δt 0.01, γ 1). Walkers start
 * in the basins in proportion to their Boltzmann weight, so the histogram converges to the
 * canonical one even when the deep MA basin is rarely left at low kT: each walker only has
 * to equilibrate within its basin, and detailed balance keeps the basins' shares.
 */
import { Dynamics } from '../integrate.js';
import { minimizeCG } from '../minimize.js';
import { neb, type EnergyGradient } from '../neb.js';
import {
  eigenvalues2,
  MB_STATIONARY,
  MB_WINDOW,
  mullerBrown,
  mullerBrownEnergy,
  mullerBrownHessian,
  MullerBrownField,
} from '../potentials/muller-brown.js';
import { runStages } from '../runner.js';
import { REDUCED } from '../units.js';
import { numberSetting, writeCsv, type Preset, type PresetIO, type PresetReport, type Settings } from './types.js';

export const mullerBrownPreset: Preset = {
  id: 'muller-brown',
  title: 'Müller–Brown surface: minima, saddles, NEB path, Langevin sampling',
  description:
    'The 2D Müller–Brown test surface: minima and basins of attraction by descent, saddles by climbing-image NEB, and Langevin walkers whose histogram is compared with the Boltzmann distribution.',
  settings: [
    { key: 'temperature', description: 'k_B T (reduced units)', default: 20, min: 0.1 },
    { key: 'walkers', description: 'independent Langevin walkers', default: 200, min: 1, integer: true },
    { key: 'steps', description: 'production steps per walker', default: 20000, min: 1, integer: true },
    { key: 'equil_steps', description: 'equilibration steps before sampling', default: 1000, min: 0, integer: true },
    { key: 'dt', description: 'time step', default: 0.01, min: 1e-5 },
    { key: 'friction', description: 'Langevin friction γ', default: 1, min: 1e-6 },
    { key: 'sample_every', description: 'histogram sample every N steps', default: 10, min: 1, integer: true },
    { key: 'bin', description: 'histogram bin width', default: 0.05, min: 0.005 },
    { key: 'seed', description: 'noise seed', default: 1, min: 0, integer: true },
    { key: 'images', description: 'movable NEB images per segment', default: 15, min: 1, integer: true },
    { key: 'spring', description: 'NEB spring constant', default: 10, min: 0 },
    { key: 'neb_fmax', description: 'NEB force tolerance', default: 1e-4, min: 1e-12 },
    { key: 'basin_grid', description: 'spacing of the basins-of-attraction grid', default: 0.025, min: 0.002 },
    { key: 'thermo_every', description: 'thermo row every N steps', default: 100, min: 1, integer: true },
    { key: 'traj_every', description: 'walker frame every N steps (0 = no file)', default: 200, min: 0, integer: true },
  ],
  run: runMullerBrown,
};

const energyGradient: EnergyGradient = (x, g) => {
  const v = mullerBrown(x[0]!, x[1]!);
  g[0] = v.gx;
  g[1] = v.gy;
  return v.energy;
};

/** Descent from (x, y) to the minimum below it. */
export function descend(x: number, y: number): Float64Array {
  const p = Float64Array.of(x, y);
  minimizeCG({ x: p, evaluate: (g) => energyGradient(p, g) }, { fmax: 1e-9, maxStep: 0.05, maxIterations: 2000 });
  return p;
}

/** Newton–Raphson on ∇V = 0 from (x, y): converges quadratically to the nearby stationary point. */
export function refineStationary(x: number, y: number, iterations = 50): Float64Array {
  let px = x;
  let py = y;
  for (let k = 0; k < iterations; k++) {
    const v = mullerBrown(px, py);
    const [a, b, c] = mullerBrownHessian(px, py);
    const det = a * c - b * b;
    if (det === 0) break;
    const dx = -(c * v.gx - b * v.gy) / det;
    const dy = -(-b * v.gx + a * v.gy) / det;
    px += dx;
    py += dy;
    if (Math.hypot(dx, dy) < 1e-14) break;
  }
  return Float64Array.of(px, py);
}

export interface BasinMap {
  x0: number;
  y0: number;
  h: number;
  nx: number;
  ny: number;
  /** Index into `minima` of the minimum each grid point descends to (-1: none found). */
  label: Int32Array;
  minima: Float64Array[];
}

/** Descent from every point of a grid over `window`: the basins of attraction and the minima. */
export function basinMap(h: number, window = MB_WINDOW): BasinMap {
  const nx = Math.floor((window.xmax - window.xmin) / h) + 1;
  const ny = Math.floor((window.ymax - window.ymin) / h) + 1;
  const label = new Int32Array(nx * ny);
  const minima: Float64Array[] = [];
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p = descend(window.xmin + i * h, window.ymin + j * h);
      let found = minima.findIndex((m) => Math.hypot(m[0]! - p[0]!, m[1]! - p[1]!) < 1e-4);
      if (found < 0 && Number.isFinite(p[0]!) && Number.isFinite(p[1]!)) {
        minima.push(p);
        found = minima.length - 1;
      }
      label[j * nx + i] = found;
    }
  }
  return { x0: window.xmin, y0: window.ymin, h, nx, ny, label, minima };
}

/** The basin label at (x, y): the nearest grid point's (points off the grid: the nearest edge). */
export function basinAt(map: BasinMap, x: number, y: number): number {
  const i = Math.min(map.nx - 1, Math.max(0, Math.round((x - map.x0) / map.h)));
  const j = Math.min(map.ny - 1, Math.max(0, Math.round((y - map.y0) / map.h)));
  return map.label[j * map.nx + i]!;
}

function nameOf(x: number, y: number, kind: 'minimum' | 'saddle'): string {
  let best = '';
  let dist = Infinity;
  for (const p of MB_STATIONARY) {
    if (p.kind !== kind) continue;
    const d = Math.hypot(p.x - x, p.y - y);
    if (d < dist) {
      dist = d;
      best = p.name;
    }
  }
  return dist < 0.1 ? best : `${kind === 'minimum' ? 'M' : 'S'}?`;
}

function stationaryReport(name: string, kind: 'minimum' | 'saddle', p: Float64Array): Record<string, unknown> {
  const seed = MB_STATIONARY.find((s) => s.name === name);
  const energy = mullerBrownEnergy(p[0]!, p[1]!);
  const ev = eigenvalues2(mullerBrownHessian(p[0]!, p[1]!));
  const v = mullerBrown(p[0]!, p[1]!);
  return {
    name,
    kind,
    x: p[0]!,
    y: p[1]!,
    energy,
    gradient_norm: Math.hypot(v.gx, v.gy),
    hessian_eigenvalues: ev,
    negative_eigenvalues: ev.filter((e) => e < 0).length,
    seed: seed ? { x: seed.x, y: seed.y, energy: seed.energy } : null,
    matches_seed: seed
      ? Math.abs(p[0]! - seed.x) <= 0.01 && Math.abs(p[1]! - seed.y) <= 0.01 && Math.abs(energy - seed.energy) <= 0.1
      : false,
  };
}

function runMullerBrown(settings: Settings, io: PresetIO): PresetReport {
  const get = (k: string): number => numberSetting(settings, k);
  const kT = get('temperature');
  io.progress?.(0, 'basins of attraction');

  // 1. Minima and basins.
  const map = basinMap(get('basin_grid'));
  const minima = map.minima.map((p) => ({ name: nameOf(p[0]!, p[1]!, 'minimum'), p }));
  const byName = (name: string): Float64Array | undefined => minima.find((m) => m.name === name)?.p;
  const areas = minima.map((_, k) => map.label.filter((l) => l === k).length / map.label.length);

  // 2. Saddles by climbing-image NEB between neighbouring minima (MA-MC, MC-MB), and the
  //    whole path MA -> MC -> MB for the profile.
  io.progress?.(0.05, 'climbing-image NEB');
  const nebOptions = {
    images: get('images'),
    spring: get('spring'),
    fmax: get('neb_fmax'),
    dt: 0.001,
    dtMax: 0.01,
    maxStep: 0.02,
  };
  const segments: { from: string; to: string }[] = [
    { from: 'MA', to: 'MC' },
    { from: 'MC', to: 'MB' },
  ];
  const saddles: Record<string, unknown>[] = [];
  const pathRows = {
    s: [] as number[],
    x: [] as number[],
    y: [] as number[],
    energy: [] as number[],
    climbing: [] as number[],
  };
  let arcOffset = 0;
  for (const seg of segments) {
    const a = byName(seg.from);
    const b = byName(seg.to);
    if (!a || !b) continue;
    const r = neb(energyGradient, a, b, nebOptions);
    const c = r.path[r.climbing]!;
    const refined = refineStationary(c[0]!, c[1]!);
    const name = nameOf(c[0]!, c[1]!, 'saddle');
    saddles.push({
      ...stationaryReport(name, 'saddle', c),
      between: [seg.from, seg.to],
      neb: { converged: r.converged, iterations: r.iterations, fmax: r.fmax, images: r.path.length },
      newton_refined: { x: refined[0]!, y: refined[1]!, energy: mullerBrownEnergy(refined[0]!, refined[1]!) },
    });
    r.path.forEach((p, i) => {
      if (pathRows.s.length > 0 && i === 0) return; // the shared minimum once
      pathRows.s.push(arcOffset + r.arc[i]!);
      pathRows.x.push(p[0]!);
      pathRows.y.push(p[1]!);
      pathRows.energy.push(r.energies[i]!);
      pathRows.climbing.push(i === r.climbing ? 1 : 0);
    });
    arcOffset += r.arc[r.arc.length - 1]!;
  }

  // 3. Langevin sampling.
  const sampling = sample(
    settings,
    io,
    map,
    minima.map((m) => m.p),
  );

  const files = {
    neb_path: writeCsv(io, 'neb_path.csv', {
      s: pathRows.s,
      x: pathRows.x,
      y: pathRows.y,
      energy: pathRows.energy,
      climbing: pathRows.climbing,
    }),
    basins: writeCsv(io, 'basins.csv', {
      x: Float64Array.from(map.label, (_, q) => map.x0 + (q % map.nx) * map.h),
      y: Float64Array.from(map.label, (_, q) => map.y0 + Math.floor(q / map.nx) * map.h),
      basin: map.label,
    }),
    histogram: sampling.file,
    thermo: sampling.thermoFile,
    trajectory: sampling.trajectoryFile,
  };
  io.progress?.(1, 'done');
  return {
    preset: 'muller-brown',
    settings,
    minima: minima.map((m, k) => ({ ...stationaryReport(m.name, 'minimum', m.p), basin_area_fraction: areas[k] })),
    saddles,
    neb_path: { points: pathRows.s.length, length: arcOffset, max_energy: Math.max(...pathRows.energy) },
    all_match_seed:
      minima.length === 3 &&
      saddles.length === 2 &&
      [...minima.map((m) => stationaryReport(m.name, 'minimum', m.p)), ...saddles].every(
        (p) => p['matches_seed'] === true,
      ),
    sampling: sampling.report,
    temperature: kT,
    files,
  };
}

interface SamplingOutcome {
  report: Record<string, unknown>;
  file: string | null;
  thermoFile: string | null;
  trajectoryFile: string | null;
}

function sample(settings: Settings, io: PresetIO, map: BasinMap, minima: Float64Array[]): SamplingOutcome {
  const get = (k: string): number => numberSetting(settings, k);
  const kT = get('temperature');
  const walkers = get('walkers');
  const bin = get('bin');
  // Histogram window: the plotting window plus a margin (V grows fast outside it).
  const hx0 = MB_WINDOW.xmin - 0.3;
  const hy0 = MB_WINDOW.ymin - 0.3;
  const nbx = Math.ceil((MB_WINDOW.xmax + 0.3 - hx0) / bin);
  const nby = Math.ceil((MB_WINDOW.ymax + 0.3 - hy0) / bin);

  // Boltzmann reference per bin (5 × 5 midpoint rule per bin) and per basin.
  const sub = 5;
  const ref = new Float64Array(nbx * nby);
  const vMin = Math.min(...minima.map((m) => mullerBrownEnergy(m[0]!, m[1]!)));
  const basinWeight = new Float64Array(minima.length);
  let refV = 0;
  let refZ = 0;
  for (let j = 0; j < nby; j++) {
    for (let i = 0; i < nbx; i++) {
      let w = 0;
      for (let b = 0; b < sub; b++) {
        for (let a = 0; a < sub; a++) {
          const x = hx0 + (i + (a + 0.5) / sub) * bin;
          const y = hy0 + (j + (b + 0.5) / sub) * bin;
          const v = mullerBrownEnergy(x, y);
          const p = Math.exp(-(v - vMin) / kT);
          w += p;
          refV += p * v;
          const basin = basinAt(map, x, y);
          if (basin >= 0) basinWeight[basin]! += p;
        }
      }
      ref[j * nbx + i] = w;
      refZ += w;
    }
  }
  for (let q = 0; q < ref.length; q++) ref[q]! /= refZ;
  const basinTotal = basinWeight.reduce((s, v) => s + v, 0);
  const basinRef = Array.from(basinWeight, (w) => w / basinTotal);

  // Walkers start at the minima in proportion to the basins' Boltzmann weights.
  const n = walkers;
  const positions = new Float64Array(3 * n);
  let w = 0;
  for (let k = 0; k < minima.length; k++) {
    const count = k === minima.length - 1 ? n - w : Math.round(basinRef[k]! * n);
    for (let c = 0; c < count && w < n; c++, w++) {
      positions[3 * w] = minima[k]![0]!;
      positions[3 * w + 1] = minima[k]![1]!;
    }
  }
  const md = new Dynamics({
    system: { positions, cell: null, pbc: [false, false, false], species: new Int32Array(n) },
    masses: new Float64Array(n).fill(1),
    forces: new MullerBrownField(),
    dt: get('dt'),
    units: REDUCED,
    dimension: 2,
    extraDof: 0,
    seed: get('seed'),
  });
  const thermostats = [{ kind: 'langevin' as const, temperature: kT, damping: 1 / get('friction') }];
  const hist = new Float64Array(nbx * nby);
  const basinCount = new Float64Array(minima.length);
  let samples = 0;
  let outside = 0;
  let vSum = 0;
  let crossings = 0;
  const lastBasin = new Int32Array(n).fill(-2);
  const every = get('sample_every');
  const thermoFile = io.open?.('thermo.csv');
  const trajEvery = get('traj_every');
  const trajFile = trajEvery > 0 ? io.open?.('trajectory.extxyz') : undefined;
  try {
    runStages(
      md,
      [
        { name: 'equilibrate', steps: get('equil_steps'), thermostats, record: false },
        { name: 'sample', steps: get('steps'), thermostats },
      ].filter((s) => s.steps > 0),
      {
        thermoEvery: get('thermo_every'),
        frameEvery: trajEvery,
        thermoSink: thermoFile,
        trajectorySink: trajFile,
        // Walkers drawn as hydrogen atoms in the viewer.
        numbers: new Uint8Array(n).fill(1),
        onThermo: io.onThermo,
        onFrame: io.onFrame ? (f) => io.onFrame!(f) : undefined,
        onStep: (d, stage) => {
          if (stage.name !== 'sample' || d.step % every !== 0) return;
          const x = d.positions;
          for (let i = 0; i < n; i++) {
            const px = x[3 * i]!;
            const py = x[3 * i + 1]!;
            samples++;
            vSum += mullerBrownEnergy(px, py);
            const bx = Math.floor((px - hx0) / bin);
            const by = Math.floor((py - hy0) / bin);
            if (bx >= 0 && bx < nbx && by >= 0 && by < nby) hist[by * nbx + bx]!++;
            else outside++;
            const basin = basinAt(map, px, py);
            if (basin >= 0) basinCount[basin]!++;
            if (lastBasin[i]! >= 0 && basin !== lastBasin[i]) crossings++;
            lastBasin[i] = basin;
          }
        },
        progress: io.progress ? (f, m) => io.progress!(0.1 + 0.9 * f, m) : undefined,
        isCancelled: io.isCancelled,
      },
    );
  } finally {
    thermoFile?.close();
    trajFile?.close();
  }
  // Total variation distance between the sampled and the Boltzmann histograms.
  let tvd = 0;
  const sampled = new Float64Array(hist.length);
  for (let q = 0; q < hist.length; q++) {
    sampled[q] = samples > 0 ? hist[q]! / samples : 0;
    tvd += Math.abs(sampled[q]! - ref[q]!);
  }
  tvd *= 0.5;
  const basinSampled = Array.from(basinCount, (c) => (samples > 0 ? c / samples : 0));
  const file = writeCsv(io, 'histogram.csv', {
    x: Float64Array.from(hist, (_, q) => hx0 + ((q % nbx) + 0.5) * bin),
    y: Float64Array.from(hist, (_, q) => hy0 + (Math.floor(q / nbx) + 0.5) * bin),
    sampled: sampled,
    boltzmann: ref,
  });
  return {
    report: {
      walkers: n,
      samples,
      samples_outside_histogram: outside,
      bins: [nbx, nby],
      bin_width: bin,
      total_variation_distance: tvd,
      basin_populations: basinSampled,
      basin_populations_boltzmann: basinRef,
      mean_energy: samples > 0 ? vSum / samples : null,
      mean_energy_boltzmann: refV / refZ,
      basin_changes: crossings,
      final_temperature: md.temperature(),
    },
    file,
    thermoFile: thermoFile ? 'thermo.csv' : null,
    trajectoryFile: trajFile ? 'trajectory.extxyz' : null,
  };
}
