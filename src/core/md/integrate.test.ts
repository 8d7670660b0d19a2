import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { mdFixture } from '../../../test/md-helpers';
import { openTrajectory } from '../../node/open.js';
import type { Structure } from '../model/structure.js';
import { Calculator } from './calculator.js';
import { Dynamics, maxwellVelocities, type ForceProvider, type ThermostatSpec } from './integrate.js';
import { cubicCrystal } from './lattice.js';
import { LennardJones } from './potentials/lj.js';
import { Random } from './random.js';
import { newForceResult, type ForceResult, type MdSystem } from './types.js';
import { METAL } from './units.js';

const argon = reference('01_lj_argon');
const EPS = argon.system.eps_eV as number;
const MASS = 39.948;

function ljArgon(shift = false): Calculator {
  return new Calculator(LennardJones.single({ epsilon: EPS, sigma: 3.4, cutoff: 8.5 }, shift), { skin: 1.0 });
}

/** fcc argon at the corpus density, `cells`³ conventional cells. */
function argonCrystal(cells: number): MdSystem {
  const a = Math.cbrt(4 / ((1.374 / MASS) * 0.602214076));
  const c = cubicCrystal('fcc', a, [cells, cells, cells]);
  return {
    positions: c.positions,
    cell: c.cell,
    pbc: [true, true, true],
    species: new Int32Array(c.positions.length / 3),
  };
}

/**
 * `shift`: LJ shifted to zero at rc. Conservation tests need it: in the fcc start the 4th
 * shell (8.17 Å) vibrates across rc = 8.5 Å, and each crossing of the unshifted potential
 * is an energy step of 1e-4 eV that no integrator can avoid (LAMMPS shows the same).
 */
function argonDynamics(
  cells: number,
  temperature: number,
  thermostats: ThermostatSpec[] = [],
  seed = 1,
  shift = false,
): Dynamics {
  const system = argonCrystal(cells);
  const n = system.species.length;
  const masses = new Float64Array(n).fill(MASS);
  const velocities = new Float64Array(3 * n);
  maxwellVelocities(velocities, masses, temperature, new Random(seed));
  return new Dynamics({ system, masses, velocities, forces: ljArgon(shift), dt: 0.002, thermostats, seed });
}

function readDump(file: string, frame: number): Structure {
  const opened = openTrajectory(file);
  try {
    return opened.reader.readFrame(frame);
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
}

/** F = -k x on every atom, no interactions: exact distributions are known. */
class Tether implements ForceProvider {
  private readonly out: ForceResult;
  constructor(
    n: number,
    private readonly k: number,
  ) {
    this.out = newForceResult(n);
  }
  evaluate(system: MdSystem): ForceResult {
    const x = system.positions;
    let e = 0;
    for (let q = 0; q < x.length; q++) {
      this.out.forces[q] = -this.k * x[q]!;
      e += 0.5 * this.k * x[q]! * x[q]!;
    }
    this.out.energy = e;
    return this.out;
  }
}

function freeSystem(n: number): MdSystem {
  return { positions: new Float64Array(3 * n), cell: null, pbc: [false, false, false], species: new Int32Array(n) };
}

describe('Dynamics: velocity Verlet against LAMMPS (corpus argon, production start)', () => {
  const dump = corpusPath('01_lj_argon', 'argon_public_short.lammpstrj');
  const start = readDump(dump, 0);
  const n = start.numbers.length;
  const system: MdSystem = {
    positions: start.positions.slice(),
    cell: start.cell,
    pbc: [true, true, true],
    species: new Int32Array(n),
  };
  const masses = new Float64Array(n).fill(MASS);
  const md = new Dynamics({ system, masses, velocities: start.velocities!, forces: ljArgon(), dt: 0.002 });

  it("gives LAMMPS's thermo at step 0 (T, PE, KE, pressure) from the same atoms", () => {
    const t = md.thermo();
    // Production thermo CSV, first row: 92.80103634 K, -48.04702701 eV, 10.35209528 eV, 368.7043156 bar.
    // The dump's 8 significant digits bound the agreement.
    expect(t.temperature).toBeCloseTo(92.80103634, 4);
    expect(t.potentialEnergy).toBeCloseTo(-48.04702701, 4);
    expect(t.kineticEnergy).toBeCloseTo(10.35209528, 5);
    expect(t.pressure!).toBeCloseTo(368.7043156, 0);
    expect(md.dof()).toBe(3 * 864 - 3);
  });

  it('follows the LAMMPS trajectory for 10 steps and its thermo for 50', () => {
    md.run(10);
    const at10 = readDump(dump, 1);
    expect(at10.info['step']).toBe(10);
    let maxDx = 0;
    let maxDv = 0;
    for (let q = 0; q < 3 * n; q++) {
      // LAMMPS dumps wrapped coordinates; ours are unwrapped: compare modulo the box.
      const L = start.cell![0]!;
      let dx = md.positions[q]! - at10.positions[q]!;
      dx -= L * Math.round(dx / L);
      maxDx = Math.max(maxDx, Math.abs(dx));
      maxDv = Math.max(maxDv, Math.abs(md.velocities[q]! - at10.velocities![q]!));
    }
    expect(maxDx).toBeLessThan(2e-6);
    expect(maxDv).toBeLessThan(2e-5);
    md.run(40);
    const t = md.thermo();
    // Row 50 of the production thermo: -48.17841913 eV, 10.48129488 eV, 324.9575222 bar.
    expect(t.potentialEnergy).toBeCloseTo(-48.17841913, 3);
    expect(t.kineticEnergy).toBeCloseTo(10.48129488, 3);
    expect(t.totalEnergy).toBeCloseTo(-37.69712425, 4);
    expect(t.pressure!).toBeCloseTo(324.9575222, -1);
  });
});

describe('Dynamics: Nosé–Hoover chain against LAMMPS fix nvt (tchain 3)', () => {
  it('follows LAMMPS thermo and its thermostat energy f_eq for 100 steps towards 120 K', () => {
    const ref = JSON.parse(readFileSync(mdFixture('nvt_reference.json'), 'utf8')) as { rows: number[][] };
    const start = readDump(corpusPath('01_lj_argon', 'argon_public_short.lammpstrj'), 0);
    const n = start.numbers.length;
    const md = new Dynamics({
      system: {
        positions: start.positions.slice(),
        cell: start.cell,
        pbc: [true, true, true],
        species: new Int32Array(n),
      },
      masses: new Float64Array(n).fill(MASS),
      velocities: start.velocities!,
      forces: ljArgon(),
      dt: 0.002,
      thermostats: [{ kind: 'nose-hoover', temperature: 120, damping: 0.2 }],
    });
    for (const [step, temp, pe, ke, etotal, press, feq] of ref.rows as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ][]) {
      md.run(step - md.step);
      const t = md.thermo();
      // The starting atoms carry the dump's 8 digits; over 100 steps that stays below 1e-4.
      expect(t.temperature).toBeCloseTo(temp, 3);
      expect(t.potentialEnergy).toBeCloseTo(pe, 4);
      expect(t.kineticEnergy).toBeCloseTo(ke, 4);
      expect(t.totalEnergy).toBeCloseTo(etotal, 4);
      expect(t.pressure!).toBeCloseTo(press, 0);
      expect(md.thermostatEnergy()).toBeCloseTo(feq, 5);
    }
    // The conserved quantity is LAMMPS's etotal + f_eq (it moves by 0.006 eV here in both
    // codes: pairs crossing the unshifted 8.5 Å cutoff, not the thermostat).
    const last = ref.rows[ref.rows.length - 1]!;
    expect(md.thermo().conserved).toBeCloseTo(last[4]! + last[6]!, 4);
  });
});

describe('Dynamics: NVE', () => {
  it('conserves energy for LJ argon over 1000 steps of 2 fs (drift and noise small, like LAMMPS)', () => {
    const md = argonDynamics(6, 94.4, [], 1, true);
    const e0 = md.thermo().totalEnergy;
    let sum = 0;
    let sum2 = 0;
    const m = 1000;
    let last = e0;
    for (let s = 0; s < m; s++) {
      md.run(1);
      last = md.thermo().totalEnergy;
      sum += last;
      sum2 += last * last;
    }
    const rms = Math.sqrt(Math.max(0, sum2 / m - (sum / m) ** 2));
    // Total energy is -43.6 eV; velocity Verlet at 2 fs keeps it to a few 1e-5 eV here.
    expect(Math.abs(last - e0)).toBeLessThan(5e-4);
    expect(rms).toBeLessThan(5e-4);
    // Momentum stays zero (Newton's third law in the half list).
    const p = [0, 0, 0];
    for (let i = 0; i < md.atomCount; i++) for (let d = 0; d < 3; d++) p[d]! += MASS * md.velocities[3 * i + d]!;
    for (const c of p) expect(Math.abs(c)).toBeLessThan(1e-9);
  });

  it('starts at exactly the requested temperature with dof = 3N - 3 and zero momentum', () => {
    const md = argonDynamics(3, 94.4);
    expect(md.temperature()).toBeCloseTo(94.4, 10);
    expect(md.dof()).toBe(3 * 108 - 3);
  });

  it('runs backwards to where it started (time reversibility)', () => {
    const md = argonDynamics(3, 50);
    md.setup();
    const x0 = md.positions.slice();
    md.run(100);
    for (let q = 0; q < md.velocities.length; q++) md.velocities[q] = -md.velocities[q]!;
    md.run(100);
    let err = 0;
    for (let q = 0; q < x0.length; q++) err = Math.max(err, Math.abs(md.positions[q]! - x0[q]!));
    expect(err).toBeLessThan(1e-8);
  });
});

describe('Dynamics: thermostats', () => {
  it('Nosé–Hoover chain (LAMMPS fix nvt, tchain 3) holds 94.4 K and conserves its extended energy', () => {
    const md = argonDynamics(4, 60, [{ kind: 'nose-hoover', temperature: 94.4, damping: 0.2 }], 1, true);
    const c0 = md.thermo().conserved;
    md.run(500);
    let tSum = 0;
    let maxDev = 0;
    const m = 1500;
    for (let s = 0; s < m; s++) {
      md.run(1);
      const t = md.thermo();
      tSum += t.temperature;
      maxDev = Math.max(maxDev, Math.abs(t.conserved - c0));
    }
    expect(tSum / m).toBeGreaterThan(94.4 * 0.96);
    expect(tSum / m).toBeLessThan(94.4 * 1.04);
    // Heat flowed in (60 K -> 94 K, about 2 eV) while the extended energy stayed put.
    expect(maxDev).toBeLessThan(0.01);
  });

  it('Langevin BAOAB samples positions exactly for a harmonic tether, velocities to O(dt²)', () => {
    const n = 2000;
    const k = 2.0; // eV/Å²
    const T = 300;
    const masses = new Float64Array(n).fill(10);
    const md = new Dynamics({
      system: freeSystem(n),
      masses,
      forces: new Tether(n, k),
      dt: 0.002,
      thermostats: [{ kind: 'langevin', temperature: T, damping: 0.1 }],
      extraDof: 0,
      seed: 7,
    });
    md.run(500);
    let x2 = 0;
    let v2 = 0;
    let samples = 0;
    for (let s = 0; s < 200; s++) {
      md.run(10);
      for (let q = 0; q < 3 * n; q++) {
        x2 += md.positions[q]! ** 2;
        v2 += md.velocities[q]! ** 2;
      }
      samples += 3 * n;
    }
    const kT = METAL.boltz * T;
    // <x²> = kT/k for any dt (BAOAB is exact in configuration for harmonic forces).
    expect(x2 / samples / (kT / k)).toBeCloseTo(1, 1);
    expect(Math.abs(x2 / samples / (kT / k) - 1)).toBeLessThan(0.02);
    // ω Δt = 0.09 here: the kinetic temperature is off by O((ωΔt)²) ≈ 0.2 %.
    const v2Exact = kT / (10 * METAL.mvv2e);
    expect(Math.abs(v2 / samples / v2Exact - 1)).toBeLessThan(0.02);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const run = (seed: number): Float64Array => {
      const md = argonDynamics(3, 94.4, [{ kind: 'langevin', temperature: 94.4, damping: 0.1 }], seed);
      md.run(50);
      return md.positions.slice();
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
  });

  it('keeps frozen atoms in place and thermostats each group to its own temperature', () => {
    const n = 3000;
    const third = n / 3;
    const frozen = new Uint8Array(n);
    const hot = new Uint8Array(n);
    const cold = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (i < third) frozen[i] = 1;
      else if (i < 2 * third) hot[i] = 1;
      else cold[i] = 1;
    }
    const system = freeSystem(n);
    const rng = new Random(3);
    for (let q = 0; q < 3 * n; q++) system.positions[q] = rng.uniform();
    const x0 = system.positions.slice();
    const masses = new Float64Array(n).fill(63.546);
    const velocities = new Float64Array(3 * n);
    maxwellVelocities(velocities, masses, 300, rng);
    const md = new Dynamics({
      system,
      masses,
      velocities,
      forces: new Tether(n, 1.0),
      dt: 0.005,
      frozen,
      thermostats: [
        { kind: 'langevin', temperature: 900, damping: 0.05, group: hot },
        { kind: 'csvr', temperature: 200, damping: 0.05, group: cold },
      ],
      seed: 5,
    });
    md.run(200);
    let tHot = 0;
    let tCold = 0;
    const hotMembers = md.groupMembers(hot);
    const coldMembers = md.groupMembers(cold);
    for (let s = 0; s < 100; s++) {
      md.run(2);
      tHot += md.temperature(hotMembers);
      tCold += md.temperature(coldMembers);
    }
    expect(tHot / 100 / 900).toBeCloseTo(1, 1);
    expect(tCold / 100 / 200).toBeCloseTo(1, 1);
    for (let q = 0; q < 3 * third; q++) {
      expect(md.positions[q]).toBe(x0[q]);
      expect(md.velocities[q]).toBe(0);
    }
    expect(md.result.forces[0]).toBe(0);
    // The all-atom temperature counts the frozen atoms, as LAMMPS's does.
    expect(md.dof()).toBe(3 * n - 3);
  });

  it('temp/rescale, Berendsen and CSVR bring a group to its target', () => {
    for (const spec of [
      { kind: 'rescale', temperature: 850, every: 1 },
      { kind: 'berendsen', temperature: 850, damping: 0.05 },
      { kind: 'csvr', temperature: 850, damping: 0.05 },
    ] as ThermostatSpec[]) {
      const n = 500;
      const masses = new Float64Array(n).fill(63.546);
      const velocities = new Float64Array(3 * n);
      maxwellVelocities(velocities, masses, 300, new Random(1));
      const md = new Dynamics({
        system: freeSystem(n),
        masses,
        velocities,
        forces: new Tether(n, 1),
        dt: 0.005,
        thermostats: [spec],
      });
      md.run(spec.kind === 'rescale' ? 1 : 300);
      let t = 0;
      for (let s = 0; s < 100; s++) {
        md.run(1);
        t += md.temperature();
      }
      if (spec.kind === 'rescale') expect(md.temperature()).toBeCloseTo(850, 8);
      expect(t / 100 / 850).toBeCloseTo(1, 1);
      // What the thermostat put in is booked, so the conserved quantity holds.
      const c = md.thermo();
      expect(Math.abs(c.conserved - (c.totalEnergy + md.thermostatEnergy()))).toBeLessThan(1e-9);
    }
  });

  it('temp/rescale acts only every N steps and only outside its window (LAMMPS semantics)', () => {
    const n = 100;
    const masses = new Float64Array(n).fill(1);
    const velocities = new Float64Array(3 * n);
    maxwellVelocities(velocities, masses, 300, new Random(2));
    const md = new Dynamics({
      system: freeSystem(n),
      masses,
      velocities,
      forces: new Tether(n, 0),
      dt: 0.001,
      thermostats: [{ kind: 'rescale', temperature: 500, every: 10, window: 20, fraction: 0.5 }],
    });
    md.run(9);
    expect(md.temperature()).toBeCloseTo(300, 8);
    md.run(1);
    expect(md.temperature()).toBeCloseTo(400, 8); // halfway there
    md.run(10);
    expect(md.temperature()).toBeCloseTo(450, 8);
    md.run(10);
    expect(md.temperature()).toBeCloseTo(475, 8);
    md.run(10);
    expect(md.temperature()).toBeCloseTo(487.5, 8); // 25 K off: still outside the window
    md.run(10);
    expect(md.temperature()).toBeCloseTo(487.5, 8); // within 20 K of 500: left alone
  });
});
