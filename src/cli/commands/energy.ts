// `atomscope energy FILE --potential P [--elements Cu,...] [--index i] [--json]`: energy,
// per-atom energies and forces of one frame, computed as LAMMPS computes them.
import { Calculator } from '../../core/md/calculator.js';
import { cellVolume } from '../../core/model/cell.js';
import { EV_PER_A3_IN_GPA, GPA_IN_BAR } from '../../core/md/units.js';
import { openTrajectory } from '../../node/open.js';
import { optionNumber, optionString, type ParsedArgs, UsageError } from '../args.js';
import { isLjSpec } from '../../core/md/potentials/lj-spec.js';
import { atomSpeciesNames, loadPotential } from './potential-arg.js';

const USAGE = 'usage: atomscope energy FILE --potential P [--elements Cu,...] [--index i] [--json]';

export function energyCommand(args: ParsedArgs): number {
  const file = args.positionals[0];
  const spec = optionString(args, 'potential');
  if (!file || !spec) throw new UsageError(USAGE);
  const elements = optionString(args, 'elements')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const index = optionNumber(args, 'index', true) ?? 0;
  const opened = openTrajectory(file, { format: optionString(args, 'format') });
  let structure;
  try {
    const n = opened.reader.frameCount;
    const i = index < 0 ? n + index : index;
    if (i < 0 || i >= n) throw new UsageError(`${file}: frame ${index} does not exist (the file has ${n} frames)`);
    structure = opened.reader.readFrame(i);
  } finally {
    opened.reader.close();
    opened.source.close?.();
  }
  const names = atomSpeciesNames(structure, elements, file, isLjSpec(spec));
  const { potential, species } = loadPotential(spec, names);
  const calc = new Calculator(potential);
  const r = calc.evaluate({ positions: structure.positions, cell: structure.cell, pbc: structure.pbc, species });
  const forces: number[][] = [];
  for (let k = 0; k < r.forces.length; k += 3) forces.push([r.forces[k]!, r.forces[k + 1]!, r.forces[k + 2]!]);
  const volume = structure.cell && structure.pbc.every((p) => p) ? cellVolume(structure.cell) : null;
  const pressure = volume ? Array.from(r.virial, (w) => (w / volume) * EV_PER_A3_IN_GPA * GPA_IN_BAR) : null;
  if (args.options.has('json')) {
    const out = {
      potential: potential.label,
      natoms: species.length,
      energy_eV: r.energy,
      per_atom_eV: Array.from(r.perAtom),
      forces_eV_A: forces,
      virial_eV: Array.from(r.virial),
      // Pressure tensor without the kinetic part, LAMMPS's pxx pyy pzz pxy pxz pyz in bar.
      pressure_bar: pressure,
    };
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  let fmax = 0;
  for (const f of forces) fmax = Math.max(fmax, Math.hypot(f[0]!, f[1]!, f[2]!));
  const lines = [
    `file       ${file}`,
    `potential  ${potential.label}`,
    `atoms      ${species.length}`,
    `energy     ${r.energy.toFixed(10)} eV (${(r.energy / Math.max(1, species.length)).toFixed(10)} eV/atom)`,
    `max |F|    ${fmax.toExponential(6)} eV/Å`,
  ];
  if (pressure)
    lines.push(`pressure   ${((pressure[0]! + pressure[1]! + pressure[2]!) / 3).toFixed(4)} bar (virial only)`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
