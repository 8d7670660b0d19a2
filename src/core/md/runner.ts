/**
 * Runs a protocol of stages (NVT then NVE, equilibration then production...) on a
 * Dynamics and handles everything around the time steps: a thermo CSV, extXYZ frames,
 * live callbacks for plots and the viewer, progress, and cancellation checked every few
 * steps so a synchronous run in a worker stops promptly.
 *
 * Frames carry positions wrapped into the cell plus an integer `image` column (LAMMPS's
 * ix iy iz), so the viewer shows atoms in the box while MSD readers (analysis/unwrap.ts)
 * recover the continuous paths exactly.
 */
import { invert3 } from '../model/cell.js';
import type { Structure } from '../model/structure.js';
import type { ByteSink } from '../io/source.js';
import { xyzFormat } from '../io/formats/xyz.js';
import { AbortError } from '../io/format.js';
import type { Dynamics, Thermo, ThermostatSpec } from './integrate.js';

export interface Stage {
  /** Shown in progress messages and the thermo CSV (`stage` column). */
  name: string;
  steps: number;
  /** Thermostats of this stage ([] = NVE). */
  thermostats: ThermostatSpec[];
  /** Write frames and call onFrame during this stage (default true). */
  record?: boolean;
}

/** One row of thermo output: the standard columns plus any extras of the preset. */
export interface ThermoRow extends Thermo {
  stage: string;
  extra: Record<string, number>;
}

export interface RunHooks {
  /** Thermo every this many steps (default 100); 0 = never. */
  thermoEvery?: number;
  /** Frames every this many steps (default 0 = never). */
  frameEvery?: number;
  /** The CSV sink (header written at the first row). */
  thermoSink?: ByteSink;
  /** extXYZ trajectory sink. */
  trajectorySink?: ByteSink;
  /** Extra thermo columns (name -> value now), e.g. a group temperature. */
  extraThermo?: Record<string, (d: Dynamics) => number>;
  onThermo?(row: ThermoRow): void;
  onFrame?(frame: Structure, d: Dynamics): void;
  /** Called at the start of each stage, before its first step (its step-0 state). */
  onStageStart?(d: Dynamics, stage: Stage): void;
  /** Called every step after the update (collect series for analyses here). */
  onStep?(d: Dynamics, stage: Stage): void;
  progress?(fraction: number, message: string): void;
  /** Polled every `cancelEvery` steps (default 10); true stops the run with AbortError. */
  isCancelled?(): boolean;
  cancelEvery?: number;
  /** Atomic numbers of the frames (default 0 = unknown). */
  numbers?: Uint8Array;
  /** Per-frame info keys added to every frame. */
  frameInfo?: Record<string, string | number>;
}

export interface RunSummary {
  steps: number;
  seconds: number;
  /** Atom-steps per second of the whole run (stepping, output and hooks included). */
  atomStepsPerSecond: number;
}

/** Column names of the thermo CSV for a unit system. */
function thermoColumns(d: Dynamics, extra: string[]): string[] {
  const metal = d.units.name === 'metal';
  const base = metal
    ? ['step', 'time_ps', 'temp_K', 'pe_eV', 'ke_eV', 'etotal_eV', 'press_bar', 'conserved_eV']
    : ['step', 'time', 'temp', 'pe', 'ke', 'etotal', 'press', 'conserved'];
  return [...base, ...extra, 'stage'];
}

function num(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '';
  return String(Number(v.toPrecision(12)));
}

/**
 * Runs `stages` in order on `d`. Thermo is written at step 0 of the first stage and every
 * `thermoEvery` steps; frames every `frameEvery` steps of recorded stages (including
 * their first step).
 */
export function runStages(
  d: Dynamics,
  stages: Stage[],
  hooks: RunHooks = {},
  now: () => number = Date.now,
): RunSummary {
  const thermoEvery = hooks.thermoEvery ?? 100;
  const frameEvery = hooks.frameEvery ?? 0;
  const cancelEvery = Math.max(1, hooks.cancelEvery ?? 10);
  const extraNames = Object.keys(hooks.extraThermo ?? {});
  const total = stages.reduce((s, st) => s + st.steps, 0);
  let headerWritten = false;
  let done = 0;
  const t0 = now();
  const numbers = hooks.numbers ?? new Uint8Array(d.atomCount);
  const thermo = (stage: Stage): void => {
    const t = d.thermo();
    const extra: Record<string, number> = {};
    for (const name of extraNames) extra[name] = hooks.extraThermo![name]!(d);
    const row: ThermoRow = { ...t, stage: stage.name, extra };
    if (hooks.thermoSink) {
      if (!headerWritten) {
        hooks.thermoSink.write(thermoColumns(d, extraNames).join(',') + '\n');
        headerWritten = true;
      }
      const values = [
        String(t.step),
        num(t.time),
        num(t.temperature),
        num(t.potentialEnergy),
        num(t.kineticEnergy),
        num(t.totalEnergy),
        num(t.pressure),
        num(t.conserved),
        ...extraNames.map((k) => num(extra[k]!)),
        stage.name,
      ];
      hooks.thermoSink.write(values.join(',') + '\n');
    }
    hooks.onThermo?.(row);
    const p = t.pressure === null ? '' : `, P ${t.pressure.toFixed(1)}`;
    hooks.progress?.(
      total > 0 ? done / total : 1,
      `${stage.name} step ${t.step}: T ${t.temperature.toFixed(2)}, E ${t.totalEnergy.toFixed(6)}${p}`,
    );
  };
  const frame = (stage: Stage): void => {
    if (!hooks.trajectorySink && !hooks.onFrame) return;
    const s = snapshot(d, numbers, { stage: stage.name, ...(hooks.frameInfo ?? {}) });
    if (hooks.trajectorySink) xyzFormat.write!([s], hooks.trajectorySink);
    hooks.onFrame?.(s, d);
  };
  stages.forEach((stage, index) => {
    d.setThermostats(stage.thermostats);
    const record = stage.record ?? true;
    if (index === 0 && thermoEvery > 0) thermo(stage);
    if (record && frameEvery > 0) frame(stage);
    hooks.onStageStart?.(d, stage);
    for (let s = 1; s <= stage.steps; s++) {
      // Energies only where a thermo row or a frame will need them.
      const wanted =
        (thermoEvery > 0 && (d.step + 1) % thermoEvery === 0) || (record && frameEvery > 0 && s % frameEvery === 0);
      d.run(1, wanted);
      done++;
      hooks.onStep?.(d, stage);
      if (thermoEvery > 0 && d.step % thermoEvery === 0) thermo(stage);
      if (record && frameEvery > 0 && s % frameEvery === 0) frame(stage);
      if (s % cancelEvery === 0 && hooks.isCancelled?.()) {
        throw new AbortError(`cancelled at step ${d.step} (${stage.name})`);
      }
    }
  });
  const seconds = (now() - t0) / 1000;
  return { steps: done, seconds, atomStepsPerSecond: seconds > 0 ? (d.atomCount * done) / seconds : 0 };
}

/**
 * The current state as a Structure: positions wrapped into the cell with integer images
 * (periodic directions), velocities, per-frame step, time (ps), energy and temperature.
 */
export function snapshot(d: Dynamics, numbers: Uint8Array, info: Record<string, string | number> = {}): Structure {
  const { cell, pbc } = d.system;
  const n = d.atomCount;
  const x = d.positions;
  const positions = new Float64Array(3 * n);
  const image = new Int32Array(3 * n);
  if (cell && pbc.some(Boolean)) {
    const inv = invert3(cell);
    for (let i = 0; i < n; i++) {
      const px = x[3 * i]!;
      const py = x[3 * i + 1]!;
      const pz = x[3 * i + 2]!;
      const shift = [0, 0, 0];
      for (let k = 0; k < 3; k++) {
        if (!pbc[k]) continue;
        const f = px * inv[k]! + py * inv[3 + k]! + pz * inv[6 + k]!;
        shift[k] = Math.floor(f);
        image[3 * i + k] = shift[k]!;
      }
      for (let c = 0; c < 3; c++) {
        positions[3 * i + c] =
          x[3 * i + c]! - shift[0]! * cell[c]! - shift[1]! * cell[3 + c]! - shift[2]! * cell[6 + c]!;
      }
    }
  } else {
    positions.set(x);
  }
  // The energy only when this step computed it: a snapshot must not cost a force evaluation.
  const energy: Record<string, number> = { temperature: d.temperature() };
  if (d.energyValid) energy['energy'] = d.result.energy;
  return {
    numbers,
    positions,
    cell: cell ? cell.slice() : null,
    pbc: [...d.system.pbc],
    velocities: d.velocities.slice(),
    arrays: { image },
    arrayWidths: { image: 3 },
    info: {
      step: d.step,
      time: Number(d.time.toPrecision(12)),
      ...energy,
      ...info,
    },
  };
}
