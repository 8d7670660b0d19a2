/**
 * An adatom on fcc(100), after the LAMMPS deck of seeds/lammps-adatom-diffusion.txt as the
 * corpus ran it (corpus 03_adatom): units metal, boundary p p s, an NX × NX × NZ slab of
 * 2·NZ (100) layers with one adatom in a four-fold hollow site above the top layer, the
 * bottom two layers frozen (fix setforce 0, never integrated), every other atom NVE.
 * Equilibration rescales all mobile atoms to T every 10 steps (temp/rescale, window 20 K,
 * fraction 1); production rescales only the next two layers, a heat bath under a free
 * surface. Time step 5 fs.
 *
 * The adatom is followed two ways: by identity (the atom placed on the surface) and as
 * the highest atom (whichever atom is the adatom after an exchange event). Its site is the
 * nearest four-fold hollow site: hollow sites of a (100) surface form a square lattice of
 * spacing a/√2 along ⟨110⟩, labelled (u, v) = (round((x + y)/a), round((x − y)/a)). A site
 * counts once the atom has stayed `residence` consecutive samples on it (transient visits
 * are vibrations); a hop is a change between counted sites, nearest-neighbour when
 * |Δu| + |Δv| = 1. The diffusion coefficient follows from the hop rate Γ of a 2D random
 * walk on that lattice, D = Γ (a/√2)² / 4, and independently from the in-plane MSD of the
 * highest atom. Over several temperatures, ln D against 1/k_BT gives the Arrhenius
 * barrier. (Hops are rare events: at 900 K the corpus saw 4 in 50 ps, so D(T) needs long
 * runs; the numbers report how many hops each estimate rests on.)
 *
 * The default potential is the seed's Voter–Chen Ni (no file needed);
 * `potential=Cu_mishin1.eam.alloy element=Cu temperature=900 equil_steps=1000
 * steps=10000` is the corpus run.
 */
import { A2_PER_PS_TO_CM2_PER_S, diffusionCoefficient, msdAllOrigins } from '../../analysis/msd.js';
import { linearFit } from '../../analysis/linear-fit.js';
import { atomicNumber } from '../../model/elements.js';
import { Calculator } from '../calculator.js';
import { Dynamics, maxwellVelocities } from '../integrate.js';
import { cubicCrystal } from '../lattice.js';
import { minimizeFIRE } from '../minimize.js';
import { EamPotential } from '../potentials/eam.js';
import { eamElements, parseEamFile, type EamElementInfo, type EamFile } from '../potentials/eam-file.js';
import { voterChenElements, voterChenSetfl } from '../potentials/voter-chen.js';
import { Random } from '../random.js';
import { runStages } from '../runner.js';
import { METAL } from '../units.js';
import {
  booleanSetting,
  numberSetting,
  PresetError,
  stringSetting,
  writeCsv,
  type Preset,
  type PresetIO,
  type PresetReport,
  type Settings,
} from './types.js';

const K_B = METAL.boltz;

export const adatomPreset: Preset = {
  id: 'adatom',
  title: 'Adatom diffusion on fcc(100) (frozen bottom, heated layers)',
  description:
    'An adatom on an fcc(100) slab as in the LAMMPS adatom tutorial: frozen bottom layers, a heat bath below a free surface, the adatom tracked by identity and as the highest atom, hops counted, D from hops and from the MSD, D(T) and an Arrhenius barrier over several temperatures.',
  settings: [
    { key: 'potential', description: 'EAM file (setfl/funcfl/fs) or voter-chen:Ni', default: 'voter-chen:Ni' },
    { key: 'element', description: 'element of the slab (default: the potential’s first)', default: '' },
    { key: 'lattice', description: 'fcc lattice constant (0 = from the potential)', default: 0, min: 0, unit: 'Å' },
    { key: 'nx', description: 'cells along x and y', default: 8, min: 2, max: 64, integer: true },
    { key: 'nz', description: 'cells along z (2 layers each)', default: 6, min: 2, max: 64, integer: true },
    { key: 'temperature', description: 'temperature (when temperatures is empty)', default: 900, min: 1, unit: 'K' },
    { key: 'temperatures', description: 'comma-separated temperatures for D(T) and the Arrhenius fit', default: '' },
    { key: 'seed', description: 'velocity seed', default: 12345, min: 0, integer: true },
    { key: 'dt', description: 'time step', default: 0.005, min: 1e-5, max: 0.05, unit: 'ps' },
    {
      key: 'equil_steps',
      description: 'equilibration steps (all mobile atoms rescaled)',
      default: 1000,
      min: 0,
      integer: true,
    },
    { key: 'steps', description: 'production steps (heat layers rescaled)', default: 10000, min: 1, integer: true },
    { key: 'rescale_every', description: 'temp/rescale every N steps', default: 10, min: 1, integer: true },
    { key: 'rescale_window', description: 'temp/rescale window', default: 20, min: 0, unit: 'K' },
    { key: 'minimize', description: 'relax the slab (FIRE) before MD, as the seed deck does', default: false },
    { key: 'sample_every', description: 'adatom sample every N steps', default: 5, min: 1, integer: true },
    { key: 'residence', description: 'samples on a site before it counts', default: 8, min: 1, integer: true },
    { key: 'thermo_every', description: 'thermo row every N steps', default: 200, min: 1, integer: true },
    {
      key: 'traj_every',
      description: 'slab frame every N production steps (0 = no file)',
      default: 1000,
      min: 0,
      integer: true,
    },
    { key: 'skin', description: 'neighbor skin', default: 1.0, min: 0, unit: 'Å' },
  ],
  run: runAdatom,
};

interface LoadedEam {
  potential: EamPotential;
  info: EamElementInfo;
  species: number;
}

function loadEam(settings: Settings, io: PresetIO): LoadedEam {
  const spec = stringSetting(settings, 'potential');
  let file: EamFile;
  if (/^voter-chen:/i.test(spec)) {
    try {
      file = voterChenSetfl(
        voterChenElements(
          spec
            .replace(/^voter-chen:/i, '')
            .split(',')
            .map((s) => s.trim()),
        ),
      );
    } catch (e) {
      throw new PresetError(`adatom: potential ${spec}: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    if (!io.readText) throw new PresetError(`adatom: cannot read ${spec} here (no file access)`);
    file = parseEamFile(spec, io.readText(spec));
  }
  const infos = eamElements(file).map((symbol, k) => elementInfo(file, symbol, k));
  const want = stringSetting(settings, 'element') || infos[0]!.symbol;
  const species = infos.findIndex((e) => e.symbol === want);
  if (species < 0) {
    throw new PresetError(`adatom: ${spec} has no element ${want} (it has ${infos.map((e) => e.symbol).join(', ')})`);
  }
  return { potential: EamPotential.fromFile(file), info: infos[species]!, species };
}

function elementInfo(file: EamFile, symbol: string, k: number): EamElementInfo {
  if (file.kind === 'funcfl') return file.element;
  return file.elements[k] ?? { symbol, z: atomicNumber(symbol), mass: 0, a0: 0, lattice: '' };
}

export interface Slab {
  positions: Float64Array;
  cell: Float64Array;
  /** Index of the adatom (the last atom). */
  adatom: number;
  bottom: Uint8Array;
  heat: Uint8Array;
  mobile: Uint8Array;
}

/**
 * The corpus deck's slab: fcc cells 0..nx in x and y, layers z = 0, a/2, .., (nz − ½)a,
 * the adatom at (nx/2, nx/2, nz)·a; bottom = z < 0.75a, heat = 0.75a ≤ z < 1.75a.
 */
export function adatomSlab(a: number, nx: number, nz: number): Slab {
  const crystal = cubicCrystal('fcc', a, [nx, nx, nz]);
  const ns = crystal.positions.length / 3;
  const n = ns + 1;
  const positions = new Float64Array(3 * n);
  positions.set(crystal.positions);
  positions.set([(nx / 2) * a, (nx / 2) * a, nz * a], 3 * ns);
  // z is open (boundary s); the cell's c only needs to be independent of a and b.
  const cell = Float64Array.of(nx * a, 0, 0, 0, nx * a, 0, 0, 0, (nz + 2.5) * a);
  const bottom = new Uint8Array(n);
  const heat = new Uint8Array(n);
  const mobile = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const z = positions[3 * i + 2]!;
    if (z < 0.75 * a) bottom[i] = 1;
    else {
      mobile[i] = 1;
      if (z < 1.75 * a) heat[i] = 1;
    }
  }
  return { positions, cell, adatom: ns, bottom, heat, mobile };
}

/** Hollow-site label (u, v) of an in-plane position on fcc(100) with lattice constant a. */
export function hollowSite(x: number, y: number, a: number): [number, number] {
  // + 0 turns a -0 from rounding into 0 (labels are compared and printed).
  return [Math.round((x + y) / a) + 0, Math.round((x - y) / a) + 0];
}

export interface HopEvent {
  t_ps: number;
  from_uv: [number, number];
  to_uv: [number, number];
  jump_A: number;
  nearest_neighbour: boolean;
}

/** Hops between sites held for at least `residence` consecutive samples. */
export function countHops(
  t: ArrayLike<number>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  a: number,
  residence: number,
): { events: HopEvent[]; sites: number } {
  const events: HopEvent[] = [];
  let current: [number, number] | null = null;
  let candidate: [number, number] | null = null;
  let run = 0;
  let runStart = 0;
  let sites = 0;
  for (let k = 0; k < t.length; k++) {
    const s = hollowSite(x[k]!, y[k]!, a);
    if (candidate && s[0] === candidate[0] && s[1] === candidate[1]) run++;
    else {
      candidate = s;
      run = 1;
      runStart = k;
    }
    if (run === residence && (!current || current[0] !== s[0] || current[1] !== s[1])) {
      if (current) {
        const du = s[0] - current[0];
        const dv = s[1] - current[1];
        events.push({
          t_ps: t[runStart]!,
          from_uv: current,
          to_uv: s,
          jump_A: (Math.hypot(du, dv) * a) / Math.SQRT2,
          nearest_neighbour: Math.abs(du) + Math.abs(dv) === 1,
        });
      }
      current = s;
      sites++;
    }
  }
  return { events, sites };
}

function runAdatom(settings: Settings, io: PresetIO): PresetReport {
  const { potential, info, species } = loadEam(settings, io);
  const a = numberSetting(settings, 'lattice') || info.a0;
  if (!(a > 0))
    throw new PresetError(`adatom: the potential gives no lattice constant for ${info.symbol}; set lattice=`);
  const mass = info.mass;
  if (!(mass > 0)) throw new PresetError(`adatom: the potential gives no mass for ${info.symbol}`);
  const list = stringSetting(settings, 'temperatures').trim();
  const temperatures = list
    ? list.split(',').map((s) => {
        const v = Number(s);
        if (!(v > 0)) throw new PresetError(`adatom: temperatures must be positive numbers, got "${s}"`);
        return v;
      })
    : [numberSetting(settings, 'temperature')];
  const runs = temperatures.map((T, k) =>
    runOne(settings, io, { potential, a, mass, species, Z: info.z || atomicNumber(info.symbol), T }, (f, m) =>
      io.progress?.((k + f) / temperatures.length, `T = ${T} K: ${m}`),
    ),
  );
  // Arrhenius: ln D = ln D0 − Ea / (k_B T) over temperatures with at least one hop.
  const usable = runs.filter((r) => (r['D_hops_cm2_s'] as number) > 0);
  let arrhenius: Record<string, unknown> | null = null;
  if (usable.length >= 2) {
    const invKT = usable.map((r) => 1 / (K_B * (r['temperature_K'] as number)));
    const lnD = usable.map((r) => Math.log(r['D_hops_cm2_s'] as number));
    const fit = linearFit(invKT, lnD);
    arrhenius = {
      barrier_eV: -fit.slope,
      barrier_err_eV: fit.slopeStdErr,
      D0_cm2_s: Math.exp(fit.intercept),
      temperatures_K: usable.map((r) => r['temperature_K']),
      from: 'hop rates',
    };
  }
  return {
    preset: 'adatom',
    settings,
    element: info.symbol,
    potential: potential.label,
    lattice_A: a,
    site_spacing_A: a / Math.SQRT2,
    runs,
    arrhenius,
  };
}

interface RunInput {
  potential: EamPotential;
  a: number;
  mass: number;
  species: number;
  Z: number;
  T: number;
}

function runOne(
  settings: Settings,
  io: PresetIO,
  input: RunInput,
  progress: (f: number, m: string) => void,
): Record<string, unknown> {
  const get = (k: string): number => numberSetting(settings, k);
  const { a, mass, T } = input;
  const slab = adatomSlab(a, get('nx'), get('nz'));
  const n = slab.positions.length / 3;
  const system = {
    positions: slab.positions,
    cell: slab.cell,
    pbc: [true, true, false] as [boolean, boolean, boolean],
    species: new Int32Array(n).fill(input.species),
  };
  const calculator = new Calculator(input.potential, { skin: get('skin') });
  if (booleanSetting(settings, 'minimize')) {
    const frozen = new Uint8Array(3 * n);
    for (let i = 0; i < n; i++) if (slab.bottom[i]) frozen.fill(1, 3 * i, 3 * i + 3);
    minimizeFIRE(
      {
        x: system.positions,
        frozen,
        evaluate: (g) => {
          const r = calculator.evaluate(system);
          for (let q = 0; q < g.length; q++) g[q] = -r.forces[q]!;
          return r.energy;
        },
      },
      { fmax: 1e-3, maxIterations: 2000 },
    );
  }
  const masses = new Float64Array(n).fill(mass);
  const velocities = new Float64Array(3 * n);
  maxwellVelocities(velocities, masses, T, new Random(get('seed')), { group: slab.mobile });
  const md = new Dynamics({ system, masses, velocities, forces: calculator, dt: get('dt'), frozen: slab.bottom });
  const mobile = md.groupMembers(slab.mobile);
  const heat = md.groupMembers(slab.heat);
  const rescale = {
    kind: 'rescale' as const,
    temperature: T,
    every: get('rescale_every'),
    window: get('rescale_window'),
    fraction: 1,
  };
  const tag = (name: string): string => (stringSetting(settings, 'temperatures').trim() ? `${name}_${T}K` : name);

  // Adatom samples during production: by identity, and the highest atom.
  const sampleEvery = get('sample_every');
  const steps = get('steps');
  const cap = Math.floor(steps / sampleEvery) + 1;
  const t = new Float64Array(cap);
  const byId = new Float64Array(3 * cap);
  const top = new Float64Array(3 * cap);
  const topId = new Int32Array(cap);
  let count = 0;
  let prodStart = 0;
  const sample = (): void => {
    if (count >= cap) return;
    const x = md.positions;
    let best = 0;
    for (let i = 1; i < n; i++) if (x[3 * i + 2]! > x[3 * best + 2]!) best = i;
    t[count] = (md.step - prodStart) * md.dt;
    byId.set(x.subarray(3 * slab.adatom, 3 * slab.adatom + 3), 3 * count);
    top.set(x.subarray(3 * best, 3 * best + 3), 3 * count);
    topId[count] = best;
    count++;
  };
  const thermoFile = io.open?.(`${tag('thermo')}.csv`);
  const trajEvery = get('traj_every');
  const trajFile = trajEvery > 0 ? io.open?.(`${tag('trajectory')}.extxyz`) : undefined;
  let summary;
  try {
    summary = runStages(
      md,
      [
        {
          name: 'equilibrate',
          steps: get('equil_steps'),
          thermostats: [{ ...rescale, group: slab.mobile }],
          record: false,
        },
        { name: 'production', steps, thermostats: [{ ...rescale, group: slab.heat }] },
      ].filter((s) => s.steps > 0),
      {
        thermoEvery: get('thermo_every'),
        frameEvery: trajEvery,
        thermoSink: thermoFile,
        trajectorySink: trajFile,
        numbers: new Uint8Array(n).fill(input.Z),
        extraThermo: {
          temp_mobile_K: (d) => d.temperature(mobile),
          temp_heat_K: (d) => d.temperature(heat),
          adatom_z_A: (d) => d.positions[3 * slab.adatom + 2]!,
        },
        frameInfo: { temperature_target: T },
        onThermo: io.onThermo,
        onFrame: io.onFrame ? (f) => io.onFrame!(f) : undefined,
        onStageStart: (d, stage) => {
          if (stage.name !== 'production') return;
          prodStart = d.step;
          sample();
        },
        onStep: (d, stage) => {
          if (stage.name === 'production' && (d.step - prodStart) % sampleEvery === 0) sample();
        },
        progress,
        isCancelled: io.isCancelled,
      },
    );
  } finally {
    thermoFile?.close();
    trajFile?.close();
  }

  const time = t.subarray(0, count);
  const col = (arr: Float64Array, c: number): Float64Array =>
    Float64Array.from({ length: count }, (_, k) => arr[3 * k + c]!);
  const [tx, ty, tz] = [col(top, 0), col(top, 1), col(top, 2)];
  const residence = get('residence');
  const hops = countHops(time, tx, ty, a, residence);
  const hopsById = countHops(time, col(byId, 0), col(byId, 1), a, residence);
  // Exchange events: the highest atom changes identity and the new one stays `residence` samples.
  const exchanges: { t_ps: number; new_adatom: number; previous: number }[] = [];
  let holder = topId[0] ?? -1;
  for (let k = 1; k < count; k++) {
    const id = topId[k]!;
    if (id === holder) continue;
    let stays = true;
    for (let q = k; q < Math.min(count, k + residence); q++) if (topId[q] !== id) stays = false;
    if (stays && k + residence <= count) {
      exchanges.push({ t_ps: time[k]!, new_adatom: id, previous: holder });
      holder = id;
    }
  }
  const duration = count > 1 ? time[count - 1]! : 0;
  const spacing = a / Math.SQRT2;
  const nn = hops.events.filter((e) => e.nearest_neighbour).length;
  // Å²/ps -> cm²/s.
  const dHops = duration > 0 ? ((hops.events.length * spacing * spacing) / (4 * duration)) * A2_PER_PS_TO_CM2_PER_S : 0;
  // In-plane MSD of the highest atom over all origins; D = slope / 4 in 2D.
  let dMsd: number | null = null;
  if (count >= 10) {
    const planar = new Float64Array(3 * count);
    for (let k = 0; k < count; k++) {
      planar[3 * k] = tx[k]!;
      planar[3 * k + 1] = ty[k]!;
    }
    const msd = msdAllOrigins(planar, count, 1);
    const fit = diffusionCoefficient(time, msd, 0.1 * duration, 0.5 * duration, 2);
    dMsd = fit.D_cm2_s;
  }
  const files = {
    thermo: thermoFile ? `${tag('thermo')}.csv` : null,
    trajectory: trajFile ? `${tag('trajectory')}.extxyz` : null,
    adatom: writeCsv(io, `${tag('adatom')}.csv`, {
      t_ps: time,
      x_A: col(byId, 0),
      y_A: col(byId, 1),
      z_A: col(byId, 2),
      highest_x_A: tx,
      highest_y_A: ty,
      highest_z_A: tz,
      highest_atom: Int32Array.from(topId.subarray(0, count), (i) => i + 1),
    }),
  };
  const first = (arr: Float64Array): number[] => [arr[0]!, arr[1]!, arr[2]!];
  const last = (arr: Float64Array): number[] => Array.from(arr.subarray(3 * (count - 1), 3 * count));
  return {
    temperature_K: T,
    natoms: n,
    frozen_atoms: slab.bottom.reduce((s, v) => s + v, 0),
    heat_atoms: slab.heat.reduce((s, v) => s + v, 0),
    production_ps: duration,
    timing: {
      seconds: summary.seconds,
      atom_steps_per_s: summary.atomStepsPerSecond,
      neighbor_builds: calculator.list.builds,
    },
    final_temperatures_K: { mobile: md.temperature(mobile), heat: md.temperature(heat), all: md.temperature() },
    adatom_by_id: {
      start_xyz_A: count ? first(byId) : null,
      end_xyz_A: count ? last(byId) : null,
      hops: hopsById.events.length,
    },
    highest_atom: {
      start_xyz_A: count ? first(top) : null,
      end_xyz_A: count ? last(top) : null,
      hops: hops.events.length,
      nn_hops: nn,
      other_jumps: hops.events.length - nn,
      events: hops.events,
      exchange_events: exchanges,
    },
    D_hops_cm2_s: dHops,
    D_msd_cm2_s: dMsd,
    files,
  };
}
