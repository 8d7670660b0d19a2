/**
 * Molecular dynamics time stepping: velocity Verlet (NVE), Langevin dynamics by the BAOAB
 * splitting, the Nosé–Hoover chain of LAMMPS's fix nvt, and velocity rescaling (LAMMPS's
 * temp/rescale, Berendsen, and the canonical stochastic CSVR of Bussi et al. 2007), with
 * frozen atoms and a thermostat per group of atoms — the adatom set-up of the seeds needs a
 * frozen bottom, a heated layer and free atoms in one run.
 *
 * Units are LAMMPS's (units.ts): metal by default (Å, eV, ps, amu, K, bar), or reduced ones
 * for model surfaces. Velocities are in length/time, a = F/m × ftm2v, KE = ½ m v² × mvv2e.
 *
 * One step of length Δt, for every atom that is not frozen (the splitting of LAMMPS's
 * Verlet with fixes, and of Leimkuhler–Matthews BAOAB for the Langevin atoms):
 *
 *   pre:  Nosé–Hoover chains advance Δt/2 and scale their group's velocities
 *   B:    v += Δt/2 · F/m
 *   A:    x += Δt/2 · v
 *   O:    Langevin atoms only: v = c₁ v + √((1 - c₁²) kT/m) ξ,  c₁ = exp(-γΔt), ξ ~ N(0, 1)
 *   A:    x += Δt/2 · v          (atoms without Langevin take both halves as x += Δt · v)
 *         F = F(x); frozen atoms' forces set to zero (LAMMPS fix setforce 0 0 0)
 *   B:    v += Δt/2 · F/m
 *   post: Nosé–Hoover chains advance Δt/2 again; rescaling thermostats act.
 *
 * Without thermostats this is velocity Verlet exactly, so energies match LAMMPS's fix nve.
 * Positions are never wrapped into the cell: the neighbor list wraps internally, and
 * unwrapped coordinates are what mean-square displacements need.
 *
 * Temperatures follow LAMMPS's compute temp: T = 2 KE / (N_f k_B) with N_f = d·N − d
 * (d = dimension), the d removed for the conserved centre-of-mass momentum. Frozen atoms
 * count in the all-atom temperature (as in LAMMPS, where fix setforce leaves the count
 * alone), which is why a slab with a frozen bottom reports a lower "temp" than its mobile
 * atoms have. The pressure is LAMMPS's: P = (N_f k_B T + Σ W_αα) / (3V) = (2 KE + tr W) / (3V).
 */
import { cellVolume } from '../model/cell.js';
import { Random } from './random.js';
import type { ComputeFlags, ForceResult, MdSystem } from './types.js';
import { METAL, type UnitSystem } from './units.js';

/** Anything that gives energies, forces and virial of a system (a Calculator, a model surface). */
export interface ForceProvider {
  evaluate(system: MdSystem, flags?: ComputeFlags): ForceResult;
}

interface ThermostatBase {
  /** Target temperature (K, or reduced units). */
  temperature: number;
  /** Member atoms (1 = in the group); absent = every atom that is not frozen. */
  group?: Uint8Array;
}

/** Langevin dynamics (BAOAB). `damping` = 1/γ in time units, as LAMMPS fix langevin's damp. */
export interface LangevinSpec extends ThermostatBase {
  kind: 'langevin';
  damping: number;
}

/** Nosé–Hoover chain as LAMMPS fix nvt: `damping` = T_damp (time units), `chain` = tchain (default 3). */
export interface NoseHooverSpec extends ThermostatBase {
  kind: 'nose-hoover';
  damping: number;
  chain?: number;
}

/**
 * LAMMPS fix temp/rescale N T T window fraction: every `every` steps, if the group's T is
 * more than `window` away from the target, scale velocities to bring it `fraction` of the
 * way there (fraction 1 = exactly the target).
 */
export interface RescaleSpec extends ThermostatBase {
  kind: 'rescale';
  every?: number;
  window?: number;
  fraction?: number;
}

/** Berendsen weak coupling: λ² = 1 + (Δt/τ)(T₀/T − 1) each step, τ = `damping`. */
export interface BerendsenSpec extends ThermostatBase {
  kind: 'berendsen';
  damping: number;
}

/** Bussi–Donadio–Parrinello stochastic rescaling (LAMMPS fix temp/csvr), τ = `damping`: canonical. */
export interface CsvrSpec extends ThermostatBase {
  kind: 'csvr';
  damping: number;
}

export type ThermostatSpec = LangevinSpec | NoseHooverSpec | RescaleSpec | BerendsenSpec | CsvrSpec;

export interface DynamicsOptions {
  system: MdSystem;
  /** Mass of every atom (amu in metal units). */
  masses: Float64Array;
  /** Initial velocities (length/time), copied; absent = all zero. */
  velocities?: Float64Array;
  forces: ForceProvider;
  /** Time step (ps in metal units). */
  dt: number;
  units?: UnitSystem;
  /** Atoms that never move (1 = frozen): not integrated, velocities zeroed, forces zeroed. */
  frozen?: Uint8Array;
  thermostats?: ThermostatSpec[];
  /** 3 (default) or 2: in 2D the z components are never integrated, thermostatted or counted. */
  dimension?: 2 | 3;
  /**
   * Degrees of freedom removed from every temperature's count (default = dimension, the
   * centre-of-mass momentum, as LAMMPS). 0 for particles in an external field, whose
   * momentum is not conserved (a Müller–Brown walker).
   */
  extraDof?: number;
  /** Seed of the thermostat noise (Langevin, CSVR). */
  seed?: number;
  /** Keep per-atom energies in `result.perAtom` (default false: MD steps skip them, as LAMMPS's do). */
  perAtomEnergy?: boolean;
}

export interface Thermo {
  step: number;
  /** Elapsed time (ps in metal units). */
  time: number;
  temperature: number;
  potentialEnergy: number;
  kineticEnergy: number;
  totalEnergy: number;
  /** Scalar pressure (bar in metal units), null without a fully periodic cell. */
  pressure: number | null;
  /** Total energy plus what the thermostats took out: constant for exact dynamics. */
  conserved: number;
}

/** A thermostat acting on a group: hooks before the first and after the second half kick. */
interface Thermostat {
  readonly spec: ThermostatSpec;
  /** Member atom indices (mobile atoms only). */
  readonly members: Int32Array;
  readonly dof: number;
  setup?(d: Dynamics): void;
  pre?(d: Dynamics): void;
  post?(d: Dynamics): void;
  /** Contribution to the conserved quantity (energy the thermostat has absorbed, or its own). */
  energy(): number;
}

export class Dynamics {
  readonly system: MdSystem;
  readonly positions: Float64Array;
  readonly velocities: Float64Array;
  readonly masses: Float64Array;
  readonly units: UnitSystem;
  readonly dimension: 2 | 3;
  readonly extraDof: number;
  readonly frozen: Uint8Array;
  readonly rng: Random;
  dt: number;
  /** Steps taken. */
  step = 0;
  time = 0;
  /** The last force evaluation (energies, forces with frozen atoms' zeroed, virial). */
  result!: ForceResult;
  private readonly provider: ForceProvider;
  private readonly n: number;
  /** Indices of the atoms that move. */
  private readonly mobile: Int32Array;
  /** ftm2v / m per atom (0 for frozen atoms). */
  private readonly accel: Float64Array;
  private thermostats: Thermostat[] = [];
  /** Per atom: index+1 of its Langevin thermostat, 0 = none. */
  private langevinOf: Int32Array;
  private langevinC1: Float64Array;
  /** Per atom √((1 - c₁²) kT / (m mvv2e)). */
  private langevinSigma: Float64Array;
  /** Energy the Langevin O steps put in (for the conserved quantity). */
  private langevinHeat = 0;
  /** Conserved-quantity terms of thermostats that were replaced (so the sum stays continuous). */
  private retiredEnergy = 0;
  private ready = false;
  /** What a step asks of the forces: everything (thermo steps) or forces only (the rest). */
  private readonly flagsFull: ComputeFlags;
  private readonly flagsForces: ComputeFlags;
  /** The last evaluation computed energy and virial (false after a forces-only step). */
  private energyFresh = false;

  constructor(options: DynamicsOptions) {
    const { system, masses } = options;
    const n = system.positions.length / 3;
    if (!Number.isInteger(n)) throw new Error('positions must hold 3 numbers per atom');
    if (masses.length !== n) throw new Error(`masses has ${masses.length} entries for ${n} atoms`);
    for (let i = 0; i < n; i++) {
      if (!(masses[i]! > 0)) throw new Error(`atom ${i} has mass ${masses[i]}: masses must be positive`);
    }
    if (!(options.dt > 0)) throw new Error(`time step must be positive, got ${options.dt}`);
    this.system = system;
    this.positions = system.positions;
    this.n = n;
    this.masses = masses;
    this.units = options.units ?? METAL;
    this.dimension = options.dimension ?? 3;
    this.extraDof = options.extraDof ?? this.dimension;
    this.dt = options.dt;
    this.provider = options.forces;
    const perAtom = options.perAtomEnergy ?? false;
    this.flagsFull = { energy: true, virial: true, perAtom };
    this.flagsForces = perAtom ? this.flagsFull : { energy: false, virial: false, perAtom: false };
    this.rng = new Random(options.seed ?? 12345);
    this.frozen = options.frozen ? options.frozen.slice() : new Uint8Array(n);
    if (this.frozen.length !== n) throw new Error(`frozen mask has ${this.frozen.length} entries for ${n} atoms`);
    this.velocities = options.velocities ? options.velocities.slice() : new Float64Array(3 * n);
    if (this.velocities.length !== 3 * n) throw new Error('velocities must hold 3 numbers per atom');
    const mobile: number[] = [];
    this.accel = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (this.frozen[i]) {
        this.velocities.fill(0, 3 * i, 3 * i + 3);
      } else {
        mobile.push(i);
        this.accel[i] = this.units.ftm2v / masses[i]!;
      }
      if (this.dimension === 2) this.velocities[3 * i + 2] = 0;
    }
    this.mobile = Int32Array.from(mobile);
    this.langevinOf = new Int32Array(n);
    this.langevinC1 = new Float64Array(0);
    this.langevinSigma = new Float64Array(n);
    this.setThermostats(options.thermostats ?? []);
  }

  get atomCount(): number {
    return this.n;
  }

  /**
   * Replaces the thermostats (a new stage of a protocol: NVT, then NVE with []). A new
   * Nosé–Hoover chain starts from rest, as a new LAMMPS fix nvt does.
   */
  setThermostats(specs: ThermostatSpec[]): void {
    const claimed = new Uint8Array(this.n);
    for (const t of this.thermostats) this.retiredEnergy += t.energy();
    this.thermostats = specs.map((spec) => {
      const members = this.membersOf(spec.group);
      for (const i of members) {
        if (claimed[i]) throw new Error(`atom ${i} is in two thermostat groups; each atom may have one thermostat`);
        claimed[i] = 1;
      }
      if (!(spec.temperature >= 0)) throw new Error(`thermostat temperature must be >= 0, got ${spec.temperature}`);
      const dof = Math.max(0, this.dimension * members.length - this.extraDof);
      switch (spec.kind) {
        case 'langevin':
          return langevin(spec, members, dof);
        case 'nose-hoover':
          return new NoseHooverChain(spec, members, dof);
        case 'rescale':
          return rescale(spec, members, dof);
        case 'berendsen':
          return berendsen(spec, members, dof);
        case 'csvr':
          return csvr(spec, members, dof);
      }
      throw new Error(`unknown thermostat ${(spec as { kind: string }).kind}`);
    });
    this.langevinOf.fill(0);
    this.langevinC1 = new Float64Array(this.thermostats.length);
    this.thermostats.forEach((t, k) => {
      if (t.spec.kind !== 'langevin') return;
      for (const i of t.members) this.langevinOf[i] = k + 1;
    });
    this.updateLangevinCoefficients();
    if (this.ready) for (const t of this.thermostats) t.setup?.(this);
  }

  /** Changes the target temperature of thermostat k (a ramp, or the next stage of a protocol). */
  setTargetTemperature(k: number, temperature: number): void {
    const t = this.thermostats[k];
    if (!t) throw new Error(`no thermostat ${k}`);
    t.spec.temperature = temperature;
    this.updateLangevinCoefficients();
  }

  private updateLangevinCoefficients(): void {
    const { boltz, mvv2e } = this.units;
    this.thermostats.forEach((t, k) => {
      if (t.spec.kind !== 'langevin') return;
      const gamma = 1 / t.spec.damping;
      const c1 = Math.exp(-gamma * this.dt);
      this.langevinC1[k] = c1;
      const kT = boltz * t.spec.temperature;
      for (const i of t.members) {
        this.langevinSigma[i] = Math.sqrt(((1 - c1 * c1) * kT) / (this.masses[i]! * mvv2e));
      }
    });
  }

  private membersOf(group: Uint8Array | undefined): Int32Array {
    if (!group) return this.mobile.slice();
    if (group.length !== this.n) throw new Error(`group mask has ${group.length} entries for ${this.n} atoms`);
    const out: number[] = [];
    for (const i of this.mobile) if (group[i]) out.push(i);
    return Int32Array.from(out);
  }

  /** First force evaluation (and thermostat set-up); `run` and `thermo` call it when needed. */
  setup(): void {
    this.evaluate(true);
    this.ready = true;
    for (const t of this.thermostats) t.setup?.(this);
  }

  /** True when `result.energy` and `result.virial` belong to the current positions. */
  get energyValid(): boolean {
    return this.ready && this.energyFresh;
  }

  private evaluate(full: boolean): void {
    this.result = this.provider.evaluate(this.system, full ? this.flagsFull : this.flagsForces);
    this.energyFresh = full || this.flagsForces === this.flagsFull;
    const f = this.result.forces;
    const frozen = this.frozen;
    for (let i = 0; i < this.n; i++) {
      if (frozen[i]) {
        f[3 * i] = 0;
        f[3 * i + 1] = 0;
        f[3 * i + 2] = 0;
      }
    }
  }

  /**
   * Advances `count` steps (default 1). Energy and virial are computed only on the last
   * step, and only when `energyAtEnd` (default true): steps in between need forces only,
   * as LAMMPS computes energies only on thermo steps. `thermo()` after a forces-only step
   * evaluates once more at the same positions (same forces, so the run is unchanged).
   */
  run(count = 1, energyAtEnd = true): void {
    for (let s = 0; s < count; s++) this.advance(energyAtEnd && s === count - 1);
  }

  private advance(full: boolean): void {
    if (!this.ready) this.setup();
    const ts = this.thermostats;
    for (let k = 0; k < ts.length; k++) ts[k]!.pre?.(this);
    const x = this.positions;
    const v = this.velocities;
    const mobile = this.mobile;
    const dt = this.dt;
    const half = 0.5 * dt;
    const threeD = this.dimension === 3;
    this.halfKick();
    const langevinOf = this.langevinOf;
    const anyLangevin = ts.some((t) => t.spec.kind === 'langevin');
    if (!anyLangevin) {
      for (let q = 0; q < mobile.length; q++) {
        const i3 = 3 * mobile[q]!;
        x[i3]! += dt * v[i3]!;
        x[i3 + 1]! += dt * v[i3 + 1]!;
        if (threeD) x[i3 + 2]! += dt * v[i3 + 2]!;
      }
    } else {
      const rng = this.rng;
      const sigma = this.langevinSigma;
      const c1s = this.langevinC1;
      const masses = this.masses;
      let heat = 0;
      for (let q = 0; q < mobile.length; q++) {
        const i = mobile[q]!;
        const i3 = 3 * i;
        const lk = langevinOf[i]!;
        if (lk === 0) {
          x[i3]! += dt * v[i3]!;
          x[i3 + 1]! += dt * v[i3 + 1]!;
          if (threeD) x[i3 + 2]! += dt * v[i3 + 2]!;
          continue;
        }
        const c1 = c1s[lk - 1]!;
        const s = sigma[i]!;
        x[i3]! += half * v[i3]!;
        x[i3 + 1]! += half * v[i3 + 1]!;
        let ke0 = v[i3]! * v[i3]! + v[i3 + 1]! * v[i3 + 1]!;
        v[i3] = c1 * v[i3]! + s * rng.gaussian();
        v[i3 + 1] = c1 * v[i3 + 1]! + s * rng.gaussian();
        let ke1 = v[i3]! * v[i3]! + v[i3 + 1]! * v[i3 + 1]!;
        x[i3]! += half * v[i3]!;
        x[i3 + 1]! += half * v[i3 + 1]!;
        if (threeD) {
          x[i3 + 2]! += half * v[i3 + 2]!;
          ke0 += v[i3 + 2]! * v[i3 + 2]!;
          v[i3 + 2] = c1 * v[i3 + 2]! + s * rng.gaussian();
          ke1 += v[i3 + 2]! * v[i3 + 2]!;
          x[i3 + 2]! += half * v[i3 + 2]!;
        }
        heat += masses[i]! * (ke1 - ke0);
      }
      this.langevinHeat += 0.5 * this.units.mvv2e * heat;
    }
    this.evaluate(full);
    this.halfKick();
    for (let k = 0; k < ts.length; k++) ts[k]!.post?.(this);
    this.step++;
    this.time += dt;
  }

  private halfKick(): void {
    const v = this.velocities;
    const f = this.result.forces;
    const mobile = this.mobile;
    const accel = this.accel;
    const half = 0.5 * this.dt;
    const threeD = this.dimension === 3;
    for (let q = 0; q < mobile.length; q++) {
      const i = mobile[q]!;
      const i3 = 3 * i;
      const a = half * accel[i]!;
      v[i3]! += a * f[i3]!;
      v[i3 + 1]! += a * f[i3 + 1]!;
      if (threeD) v[i3 + 2]! += a * f[i3 + 2]!;
    }
  }

  /** Kinetic energy of `members` (all atoms when absent), energy units. */
  kineticEnergy(members?: Int32Array): number {
    const v = this.velocities;
    const m = this.masses;
    let s = 0;
    if (!members) {
      for (let i = 0; i < this.n; i++) {
        const i3 = 3 * i;
        s += m[i]! * (v[i3]! * v[i3]! + v[i3 + 1]! * v[i3 + 1]! + v[i3 + 2]! * v[i3 + 2]!);
      }
    } else {
      for (let q = 0; q < members.length; q++) {
        const i3 = 3 * members[q]!;
        s += m[members[q]!]! * (v[i3]! * v[i3]! + v[i3 + 1]! * v[i3 + 1]! + v[i3 + 2]! * v[i3 + 2]!);
      }
    }
    return 0.5 * this.units.mvv2e * s;
  }

  /** Degrees of freedom of a group of `count` atoms (default all): d·count − extraDof. */
  dof(count = this.n): number {
    return Math.max(0, this.dimension * count - this.extraDof);
  }

  /** Temperature of `members` (all atoms when absent), as LAMMPS compute temp on that group. */
  temperature(members?: Int32Array): number {
    const dof = this.dof(members ? members.length : this.n);
    return dof > 0 ? (2 * this.kineticEnergy(members)) / (dof * this.units.boltz) : 0;
  }

  /** Member indices of a mask (mobile or not), for group temperatures. */
  groupMembers(mask: Uint8Array): Int32Array {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (mask[i]) out.push(i);
    return Int32Array.from(out);
  }

  /** Scalar pressure (bar in metal units) or null when the system is not periodic in 3D. */
  pressure(): number | null {
    const { cell, pbc } = this.system;
    if (!this.energyFresh) this.evaluate(true);
    if (!cell || !pbc.every(Boolean) || this.dimension !== 3) return null;
    const w = this.result.virial;
    const volume = cellVolume(cell);
    return ((2 * this.kineticEnergy() + w[0]! + w[1]! + w[2]!) / (3 * volume)) * this.units.nktv2p;
  }

  /** Energy the thermostats took out of the system so far (plus Nosé–Hoover's own terms). */
  thermostatEnergy(): number {
    let e = this.retiredEnergy - this.langevinHeat;
    for (const t of this.thermostats) e += t.energy();
    return e;
  }

  thermo(): Thermo {
    if (!this.ready) this.setup();
    if (!this.energyFresh) this.evaluate(true);
    const ke = this.kineticEnergy();
    const pe = this.result.energy;
    return {
      step: this.step,
      time: this.time,
      temperature: this.temperature(),
      potentialEnergy: pe,
      kineticEnergy: ke,
      totalEnergy: pe + ke,
      pressure: this.pressure(),
      conserved: pe + ke + this.thermostatEnergy(),
    };
  }

  /** Multiplies the velocities of `members` by `factor`. */
  scaleVelocities(members: Int32Array, factor: number): void {
    const v = this.velocities;
    for (let q = 0; q < members.length; q++) {
      const i3 = 3 * members[q]!;
      v[i3]! *= factor;
      v[i3 + 1]! *= factor;
      v[i3 + 2]! *= factor;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Thermostats
// ---------------------------------------------------------------------------------------

/** Langevin atoms are handled inside the step (the O of BAOAB); this only records the group. */
function langevin(spec: LangevinSpec, members: Int32Array, dof: number): Thermostat {
  if (!(spec.damping > 0)) throw new Error(`Langevin damping must be positive, got ${spec.damping}`);
  return { spec, members, dof, energy: () => 0 };
}

/**
 * The Nosé–Hoover chain of LAMMPS fix nvt (fix_nh.cpp, Martyna–Tuckerman–Klein 1992 with
 * the Trotter factorisation of Martyna et al. 1996), tchain M (default 3), tloop 1, no drag:
 *
 *   dv/dt   = F/m − η̇₁ v
 *   dη̇₁/dt = (2K − N_f k T₀)/Q₁ − η̇₁ η̇₂
 *   dη̇ⱼ/dt = (Qⱼ₋₁ η̇ⱼ₋₁² − k T₀)/Qⱼ − η̇ⱼ η̇ⱼ₊₁     (η̇_{M+1} = 0)
 *   Q₁ = N_f k T₀ / ω²,  Qⱼ = k T₀ / ω²,  ω = 1 / T_damp
 *
 * conserving H = E + N_f k T₀ η₁ + Σⱼ≥₂ k T₀ ηⱼ + Σⱼ Qⱼ η̇ⱼ² / 2. The chain is advanced
 * by half a step before the first half kick and after the second, each time with LAMMPS's
 * nhc_temp_integrate sequence (quarter-step updates of η̇ from the end of the chain, the
 * velocity scaling exp(−η̇₁ Δt/2), then back up the chain), using the group temperature of
 * the end of the previous step as LAMMPS does.
 */
class NoseHooverChain implements Thermostat {
  readonly spec: NoseHooverSpec;
  readonly members: Int32Array;
  readonly dof: number;
  private readonly m: number;
  private readonly eta: Float64Array;
  /** Length m + 1: eta_dot[m] stays 0 so the loops need no end case. */
  private readonly etaDot: Float64Array;
  private readonly etaDotDot: Float64Array;
  private readonly etaMass: Float64Array;
  private tCurrent = 0;
  private boltz = 1;

  constructor(spec: NoseHooverSpec, members: Int32Array, dof: number) {
    if (!(spec.damping > 0)) throw new Error(`Nosé–Hoover damping must be positive, got ${spec.damping}`);
    const m = spec.chain ?? 3;
    if (!Number.isInteger(m) || m < 1) throw new Error(`Nosé–Hoover chain length must be a positive integer, got ${m}`);
    this.spec = spec;
    this.members = members;
    this.dof = dof;
    this.m = m;
    this.eta = new Float64Array(m);
    this.etaDot = new Float64Array(m + 1);
    this.etaDotDot = new Float64Array(m);
    this.etaMass = new Float64Array(m);
  }

  private updateMasses(): void {
    const tFreq = 1 / this.spec.damping;
    const kT = this.boltz * this.spec.temperature;
    this.etaMass[0] = (this.dof * kT) / (tFreq * tFreq);
    for (let j = 1; j < this.m; j++) this.etaMass[j] = kT / (tFreq * tFreq);
  }

  setup(d: Dynamics): void {
    this.boltz = d.units.boltz;
    this.tCurrent = this.groupTemperature(d);
    this.updateMasses();
    const kT = this.boltz * this.spec.temperature;
    for (let j = 1; j < this.m; j++) {
      this.etaDotDot[j] = (this.etaMass[j - 1]! * this.etaDot[j - 1]! ** 2 - kT) / this.etaMass[j]!;
    }
  }

  private groupTemperature(d: Dynamics): number {
    return this.dof > 0 ? (2 * d.kineticEnergy(this.members)) / (this.dof * d.units.boltz) : 0;
  }

  pre(d: Dynamics): void {
    this.integrate(d);
  }

  post(d: Dynamics): void {
    this.tCurrent = this.groupTemperature(d);
    this.integrate(d);
  }

  /** LAMMPS FixNH::nhc_temp_integrate with nc_tchain = 1 and tdrag_factor = 1. */
  private integrate(d: Dynamics): void {
    const { m, eta, etaDot, etaDotDot, etaMass } = this;
    const dt = d.dt;
    const dthalf = 0.5 * dt;
    const dt4 = 0.25 * dt;
    const dt8 = 0.125 * dt;
    const boltz = this.boltz;
    const tTarget = this.spec.temperature;
    this.updateMasses();
    const keTarget = this.dof * boltz * tTarget;
    let keCurrent = this.dof * boltz * this.tCurrent;
    etaDotDot[0] = etaMass[0]! > 0 ? (keCurrent - keTarget) / etaMass[0]! : 0;
    for (let j = m - 1; j > 0; j--) {
      const expfac = Math.exp(-dt8 * etaDot[j + 1]!);
      etaDot[j] = (etaDot[j]! * expfac + etaDotDot[j]! * dt4) * expfac;
    }
    let expfac = Math.exp(-dt8 * etaDot[1]!);
    etaDot[0] = (etaDot[0]! * expfac + etaDotDot[0]! * dt4) * expfac;
    const factorEta = Math.exp(-dthalf * etaDot[0]!);
    d.scaleVelocities(this.members, factorEta);
    this.tCurrent *= factorEta * factorEta;
    keCurrent = this.dof * boltz * this.tCurrent;
    etaDotDot[0] = etaMass[0]! > 0 ? (keCurrent - keTarget) / etaMass[0]! : 0;
    for (let j = 0; j < m; j++) eta[j]! += dthalf * etaDot[j]!;
    etaDot[0] = (etaDot[0]! * expfac + etaDotDot[0]! * dt4) * expfac;
    for (let j = 1; j < m; j++) {
      expfac = Math.exp(-dt8 * etaDot[j + 1]!);
      etaDot[j]! *= expfac;
      etaDotDot[j] = (etaMass[j - 1]! * etaDot[j - 1]! * etaDot[j - 1]! - boltz * tTarget) / etaMass[j]!;
      etaDot[j] = (etaDot[j]! + etaDotDot[j]! * dt4) * expfac;
    }
  }

  /** LAMMPS FixNH::compute_scalar's thermostat part. */
  energy(): number {
    const kT = this.boltz * this.spec.temperature;
    let e = this.dof * kT * this.eta[0]! + 0.5 * this.etaMass[0]! * this.etaDot[0]! ** 2;
    for (let j = 1; j < this.m; j++) e += kT * this.eta[j]! + 0.5 * this.etaMass[j]! * this.etaDot[j]! ** 2;
    return e;
  }
}

/** Scales the group to `factor` and records the kinetic energy removed. */
function scaled(d: Dynamics, members: Int32Array, factor: number, ke: number): number {
  d.scaleVelocities(members, factor);
  return ke * (1 - factor * factor);
}

function rescale(spec: RescaleSpec, members: Int32Array, dof: number): Thermostat {
  const every = spec.every ?? 1;
  const window = spec.window ?? 0;
  const fraction = spec.fraction ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new Error(`rescale every must be a positive integer, got ${every}`);
  let removed = 0;
  return {
    spec,
    members,
    dof,
    energy: () => removed,
    // LAMMPS FixTempRescale::end_of_step, on steps that are multiples of N (d.step is the
    // step being completed minus one here, hence the + 1).
    post(d) {
      if ((d.step + 1) % every !== 0 || dof === 0) return;
      const ke = d.kineticEnergy(members);
      const t = (2 * ke) / (dof * d.units.boltz);
      if (t === 0) return;
      const target = spec.temperature;
      if (Math.abs(t - target) <= window) return;
      const goal = t - fraction * (t - target);
      removed += scaled(d, members, Math.sqrt(goal / t), ke);
    },
  };
}

function berendsen(spec: BerendsenSpec, members: Int32Array, dof: number): Thermostat {
  if (!(spec.damping > 0)) throw new Error(`Berendsen damping must be positive, got ${spec.damping}`);
  let removed = 0;
  return {
    spec,
    members,
    dof,
    energy: () => removed,
    post(d) {
      const ke = d.kineticEnergy(members);
      if (ke === 0 || dof === 0) return;
      const t = (2 * ke) / (dof * d.units.boltz);
      const lambda2 = 1 + (d.dt / spec.damping) * (spec.temperature / t - 1);
      removed += scaled(d, members, Math.sqrt(Math.max(0, lambda2)), ke);
    },
  };
}

/** LAMMPS FixTempCSVR::resamplekin: the new KE is drawn from its canonical relaxation. */
function csvr(spec: CsvrSpec, members: Int32Array, dof: number): Thermostat {
  if (!(spec.damping > 0)) throw new Error(`CSVR damping must be positive, got ${spec.damping}`);
  let removed = 0;
  return {
    spec,
    members,
    dof,
    energy: () => removed,
    post(d) {
      const ke = d.kineticEnergy(members);
      if (ke === 0 || dof === 0) return;
      const keTarget = 0.5 * dof * d.units.boltz * spec.temperature;
      const c1 = Math.exp(-d.dt / spec.damping);
      const c2 = ((1 - c1) * keTarget) / ke / dof;
      const r1 = d.rng.gaussian();
      const r2 = sumOfSquaredGaussians(d.rng, dof - 1);
      const scale = c1 + c2 * (r1 * r1 + r2) + 2 * r1 * Math.sqrt(c1 * c2);
      removed += scaled(d, members, Math.sqrt(scale), ke);
    },
  };
}

/** Σ of n squared standard normals = 2 Γ(n/2) (chi-squared with n degrees of freedom). */
export function sumOfSquaredGaussians(rng: Random, n: number): number {
  if (n <= 0) return 0;
  if (n === 1) return rng.gaussian() ** 2;
  if (n % 2 === 0) return 2 * gammaVariate(rng, n / 2);
  const g = rng.gaussian();
  return 2 * gammaVariate(rng, (n - 1) / 2) + g * g;
}

/** Gamma(shape, 1) for shape ≥ 1 by Marsaglia and Tsang (2000). */
export function gammaVariate(rng: Random, shape: number): number {
  if (!(shape >= 1)) throw new Error(`gamma shape must be >= 1, got ${shape}`);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.gaussian();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

// ---------------------------------------------------------------------------------------
// Initial velocities
// ---------------------------------------------------------------------------------------

export interface VelocityOptions {
  /** Atoms to give velocities (1 = yes); others keep theirs. Default all. */
  group?: Uint8Array;
  units?: UnitSystem;
  dimension?: 2 | 3;
  /** Remove the group's centre-of-mass momentum (LAMMPS mom yes). Default true. */
  zeroMomentum?: boolean;
}

/**
 * Maxwell–Boltzmann velocities at exactly `temperature`, as LAMMPS `velocity G create T seed
 * dist gaussian mom yes`: Gaussian components / √m, the group's momentum removed, then
 * scaled so the group temperature (d·N − d degrees of freedom) is T. (The stream differs
 * from LAMMPS's own generator; the distribution and the exact starting T are the same.)
 */
export function maxwellVelocities(
  velocities: Float64Array,
  masses: Float64Array,
  temperature: number,
  rng: Random,
  options: VelocityOptions = {},
): void {
  const units = options.units ?? METAL;
  const dim = options.dimension ?? 3;
  const n = masses.length;
  const members: number[] = [];
  for (let i = 0; i < n; i++) if (!options.group || options.group[i]) members.push(i);
  if (members.length === 0) return;
  for (const i of members) {
    const s = 1 / Math.sqrt(masses[i]!);
    for (let d = 0; d < 3; d++) velocities[3 * i + d] = d < dim ? rng.gaussian() * s : 0;
  }
  if (options.zeroMomentum ?? true) {
    const p = [0, 0, 0];
    let mass = 0;
    for (const i of members) {
      mass += masses[i]!;
      for (let d = 0; d < 3; d++) p[d]! += masses[i]! * velocities[3 * i + d]!;
    }
    for (const i of members) for (let d = 0; d < dim; d++) velocities[3 * i + d]! -= p[d]! / mass;
  }
  let ke = 0;
  for (const i of members) {
    for (let d = 0; d < 3; d++) ke += masses[i]! * velocities[3 * i + d]! ** 2;
  }
  ke *= 0.5 * units.mvv2e;
  const dof = dim * members.length - ((options.zeroMomentum ?? true) ? dim : 0);
  const t = dof > 0 ? (2 * ke) / (dof * units.boltz) : 0;
  const factor = t > 0 ? Math.sqrt(temperature / t) : 0;
  for (const i of members) for (let d = 0; d < 3; d++) velocities[3 * i + d]! *= factor;
}
