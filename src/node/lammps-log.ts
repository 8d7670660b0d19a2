// The LAMMPS log beside a trajectory: LAMMPS dumps carry steps but not times, and the log that
// wrote them knows the timestep. Shared by the CLI and the compute host's analysis jobs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lammpsLogTimestep as timestepOfLog } from '../core/analysis/thermo.js';

const LOG_NAME = /(^log\.lammps|\.log\.lammps$|^log\..*\.lammps$|\.lammps\.log$)/i;

/** LAMMPS logs in the folder of `file`, the one sharing the longest name prefix first. */
export function lammpsLogsBeside(file: string): string[] {
  const dir = path.dirname(file);
  const base = path.basename(file).toLowerCase();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => LOG_NAME.test(n));
  } catch {
    return [];
  }
  const prefix = (n: string): number => {
    const a = n.toLowerCase();
    let i = 0;
    while (i < a.length && i < base.length && a[i] === base[i]) i++;
    return i;
  };
  return names.sort((a, b) => prefix(b) - prefix(a)).map((n) => path.join(dir, n));
}

/** Timestep in ps from the LAMMPS log beside `file` sharing the longest name prefix, if any. */
export function lammpsLogTimestep(file: string): { timestep: number; file: string } | null {
  const log = lammpsLogsBeside(file)[0];
  if (!log) return null;
  const parsed = timestepOfLog(readFileSync(log, 'utf8'));
  return parsed ? { timestep: parsed.timestep, file: path.basename(log) } : null;
}
