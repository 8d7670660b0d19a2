// `atomscope eam-props POTENTIAL --element X [--lattice fcc|bcc] [--json]`: the property table
// of one element of an EAM file (a0, Ecoh, B, C11, C12, C44, Evac, surface energies).
import { crystalProperties } from '../../core/md/eam-properties.js';
import type { CubicLattice } from '../../core/md/lattice.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';
import { readEamPotential } from './potential-arg.js';

const USAGE = 'usage: atomscope eam-props POTENTIAL --element X [--lattice fcc|bcc] [--json]';

export function eamPropsCommand(args: ParsedArgs): number {
  const path = args.positionals[0];
  if (!path) throw new UsageError(USAGE);
  const { file, potential } = readEamPotential(path);
  const info = file.kind === 'funcfl' ? [file.element] : file.elements;
  const element = optionString(args, 'element') ?? (info.length === 1 ? info[0]!.symbol : undefined);
  if (!element) throw new UsageError(`${path} holds ${info.map((e) => e.symbol).join(', ')}: pick one with --element`);
  const species = info.findIndex((e) => e.symbol === element);
  if (species < 0) {
    throw new UsageError(
      `${path}: no element ${element} in the potential (it has ${info.map((e) => e.symbol).join(', ')})`,
    );
  }
  const e = info[species]!;
  const asked = optionString(args, 'lattice')?.toLowerCase();
  const lattice = (asked ?? (e.lattice === 'BCC' ? 'bcc' : 'fcc')) as CubicLattice;
  if (lattice !== 'fcc' && lattice !== 'bcc') throw new UsageError(`--lattice must be fcc or bcc, got "${asked}"`);
  if (!asked && e.lattice !== '' && e.lattice !== 'FCC' && e.lattice !== 'BCC') {
    throw new UsageError(
      `${path}: ${element} is ${e.lattice} in the file; properties are computed for cubic crystals, pass --lattice fcc|bcc`,
    );
  }
  const started = Date.now();
  const guess = e.a0 > 0 && (asked === undefined || asked === e.lattice.toLowerCase()) ? e.a0 : undefined;
  const p = crystalProperties(potential, species, { lattice, a0Guess: guess });
  if (args.options.has('json')) {
    process.stdout.write(JSON.stringify({ potential: potential.label, element, lattice, ...p }) + '\n');
    return 0;
  }
  const row = (k: string, v: number, unit: string): string => `${k.padEnd(10)} ${v.toFixed(6).padStart(14)} ${unit}`;
  const lines = [
    `${potential.label}: ${element} ${lattice} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    row('a0', p.a0_A, 'Å'),
    row('Ecoh', p.Ecoh_eV, 'eV/atom'),
    row('B', p.B_GPa, 'GPa'),
    row('C11', p.C11_GPa, 'GPa'),
    row('C12', p.C12_GPa, 'GPa'),
    row('C44', p.C44_GPa, 'GPa'),
    row('Evac', p.Evac_eV, 'eV (6x6x6, relaxed)'),
    row('E(100)', p.Esurf100_J_m2, 'J/m²'),
    row('E(111)', p.Esurf111_J_m2, 'J/m²'),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
