// One timed run of Atomscope's MD engine on a classic LAMMPS benchmark, as bench/md.mjs
// calls it (bundled to out/bench/md-engine.mjs): the same system, neighbor settings and
// step count as the deck, timed like LAMMPS's "Loop time" (the steps only: lattice,
// velocities and the first force evaluation are set-up).
//
//   node out/bench/md-engine.mjs lj CELLS STEPS [--check] [--warmup N]   bench/peers/in.lj (lj units)
//   node out/bench/md-engine.mjs eam CELLS STEPS FILE [--warmup N]      bench/peers/in.eam (Cu_u3.eam)
//
// Prints one JSON line. --check makes the LJ run rebuild on the skin/2 criterion every step
// (Atomscope's default) instead of the deck's "every 20 check no". --warmup runs N untimed
// steps first, so the JIT compiler's start-up is not in the figure (used for the scaling
// table, where it would weigh on the smallest system only).
import { readFileSync } from 'node:fs';
import { Calculator } from '../src/core/md/calculator.js';
import { Dynamics, maxwellVelocities } from '../src/core/md/integrate.js';
import { cubicCrystal } from '../src/core/md/lattice.js';
import { EamPotential } from '../src/core/md/potentials/eam.js';
import { parseEamFile, eamElements } from '../src/core/md/potentials/eam-file.js';
import { LennardJones } from '../src/core/md/potentials/lj.js';
import { Random } from '../src/core/md/random.js';
import { METAL, REDUCED } from '../src/core/md/units.js';

const args = process.argv.slice(2);
const check = args.includes('--check');
const warmupAt = args.indexOf('--warmup');
const warmup = warmupAt >= 0 ? Number(args[warmupAt + 1]) : 0;
const positional = args.filter((a, i) => !a.startsWith('--') && !(warmupAt >= 0 && i === warmupAt + 1));
const [kind, cellsArg, stepsArg, extra] = positional;
const cells = Number(cellsArg ?? 20);
const steps = Number(stepsArg ?? 100);
const t0 = performance.now();

function dynamics(): { md: Dynamics; calc: Calculator } {
  if (kind === 'lj') {
    // lattice fcc 0.8442 (reduced density), velocity create 1.44, lj/cut 2.5, neighbor 0.3 bin,
    // neigh_modify delay 0 every 20 check no, fix nve, timestep 0.005 (lj default).
    const a = Math.cbrt(4 / 0.8442);
    const c = cubicCrystal('fcc', a, [cells, cells, cells]);
    const n = c.positions.length / 3;
    const calc = new Calculator(LennardJones.single({ epsilon: 1, sigma: 1, cutoff: 2.5 }), {
      skin: 0.3,
      every: check ? 1 : 20,
      check,
    });
    const masses = new Float64Array(n).fill(1);
    const v = new Float64Array(3 * n);
    maxwellVelocities(v, masses, 1.44, new Random(87287), { units: REDUCED });
    const system = {
      positions: c.positions,
      cell: c.cell,
      pbc: [true, true, true] as [boolean, boolean, boolean],
      species: new Int32Array(n),
    };
    return { md: new Dynamics({ system, masses, velocities: v, forces: calc, dt: 0.005, units: REDUCED }), calc };
  }
  if (kind === 'eam') {
    // lattice fcc 3.615, pair_style eam Cu_u3.eam, velocity create 1600, neighbor 1.0 bin,
    // neigh_modify every 1 delay 5 check yes, fix nve, timestep 0.005 (metal).
    if (!extra) throw new Error('eam needs the Cu_u3.eam path');
    const file = parseEamFile(extra, readFileSync(extra, 'utf8'));
    if (eamElements(file)[0] !== 'Cu') throw new Error(`${extra}: expected a Cu potential`);
    const mass = file.kind === 'funcfl' ? file.element.mass : file.elements[0]!.mass;
    const c = cubicCrystal('fcc', 3.615, [cells, cells, cells]);
    const n = c.positions.length / 3;
    const calc = new Calculator(EamPotential.fromFile(file), { skin: 1.0 });
    const masses = new Float64Array(n).fill(mass);
    const v = new Float64Array(3 * n);
    maxwellVelocities(v, masses, 1600, new Random(376847), { units: METAL });
    const system = {
      positions: c.positions,
      cell: c.cell,
      pbc: [true, true, true] as [boolean, boolean, boolean],
      species: new Int32Array(n),
    };
    return { md: new Dynamics({ system, masses, velocities: v, forces: calc, dt: 0.005, units: METAL }), calc };
  }
  throw new Error(`unknown benchmark "${kind}" (lj or eam)`);
}

const { md, calc } = dynamics();
md.setup();
md.run(warmup);
const start = md.thermo();
const setupS = (performance.now() - t0) / 1000;
const t1 = performance.now();
// Thermo every 50 steps, as the decks print it.
for (let s = 0; s < steps; s += 50) {
  md.run(Math.min(50, steps - s));
  md.thermo();
}
const seconds = (performance.now() - t1) / 1000;
const end = md.thermo();
const n = md.atomCount;
process.stdout.write(
  JSON.stringify({
    kind,
    natoms: n,
    steps,
    seconds,
    setup_s: setupS,
    atom_steps_per_s: (n * steps) / seconds,
    pe0_per_atom: start.potentialEnergy / n,
    etot0_per_atom: start.totalEnergy / n,
    etot_end_per_atom: end.totalEnergy / n,
    temperature_end: end.temperature,
    neighbor_builds: calc.list.builds,
    pairs_per_atom: calc.list.pairCount / n,
  }) + '\n',
);
