/**
 * Fuzzing every reader with seeded byte-level mutations and truncations of corpus files.
 * Each case must end in a valid result or a ParseError that names the file and the format
 * (and a line, frame or byte offset): never a hang, a crash, an uncaught TypeError, or a
 * giant allocation driven by a lying header. A failure prints the seed and case to replay.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, readFileSync } from 'node:fs';
import { ParseError } from '../src/core/io/errors';
import { formatById } from '../src/core/io/registry';
import { MemorySource } from '../src/core/io/source';
import { corpusPath } from './corpus';
import { mutate, rng, seedOf } from './fuzz-lib';

const CASES = Number(process.env['ATOMSCOPE_FUZZ_CASES'] ?? 3000);
const MAX_CASE_MS = 2000;

const SEEDS: [format: string, file: string[], maxBytes?: number][] = [
  ['xyz', ['05_formats', 'Cu111_slab_ase_plain.xyz']],
  ['xyz', ['05_formats', 'Cu111_slab.extxyz']],
  ['pdb', ['05_formats', 'Cu111_slab_mda.pdb']],
  ['gro', ['05_formats', 'Cu111_slab_frame0_mda.gro']],
  ['xtc', ['05_formats', 'Cu111_slab_mdtraj.xtc']],
  ['xtc', ['01_lj_argon', 'argon_public_prod.xtc'], 11_608],
  ['trr', ['04_gromacs', 'water_public.trr'], 110_400],
  ['dcd', ['05_formats', 'Cu111_slab_mda.dcd']],
  ['lammps-dump', ['01_lj_argon', 'argon_public_short.lammpstrj'], 60_000],
  ['lammps-data', ['02_eam', 'Cu_u3_perfect.data']],
  ['vasp', ['05_formats', 'Cu111_slab_frame0.POSCAR']],
  ['cif', ['05_formats', 'Cu111_slab_frame0.cif']],
  ['sdf', ['05_formats', 'molecules_public_rdkit.sdf']],
];

function readAll(format: string, name: string, bytes: Uint8Array): void {
  const spec = formatById(format)!;
  const reader = spec.open(new MemorySource(name, bytes));
  const n = Math.min(reader.frameCount, 50);
  for (let i = 0; i < n; i++) {
    const s = reader.readFrame(i);
    if (s.positions.length !== 3 * s.numbers.length) throw new Error(`frame ${i}: positions/numbers length mismatch`);
  }
  reader.close();
}

describe.each(SEEDS)('fuzz %s reader on %j', (format, file, maxBytes) => {
  it(`${CASES} seeded mutations end in a result or a located ParseError`, () => {
    const spec = formatById(format);
    expect(spec, `format ${format} is registered`).toBeDefined();
    let seedBytes = new Uint8Array(readFileSync(corpusPath(...file)));
    if (maxBytes) seedBytes = seedBytes.slice(0, maxBytes);
    const name = `fuzz-${file[file.length - 1]}`;
    readAll(format, name, seedBytes); // the unmutated seed reads
    const seed = seedOf(format, seedBytes);
    const random = rng(seed);
    let parseErrors = 0;
    for (let c = 0; c < CASES; c++) {
      const bytes = mutate(seedBytes, random);
      const t0 = performance.now();
      // Replaying a crash (the process dies before reporting): trace each case to a file.
      const trace = process.env['ATOMSCOPE_FUZZ_TRACE'];
      if (trace) appendFileSync(trace, `${format} ${c} ${bytes.length}\n`);
      try {
        readAll(format, name, bytes);
      } catch (e) {
        if (!(e instanceof ParseError)) {
          throw new Error(
            `case ${c} (seed ${seed}): ${format} threw ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack ?? ''}`,
            { cause: e },
          );
        }
        expect(e.message, `case ${c}`).toContain(name);
        expect(e.format.length).toBeGreaterThan(0);
        expect(Object.keys(e.location), `case ${c}: ${e.message}`).not.toEqual([]);
        parseErrors++;
      }
      const ms = performance.now() - t0;
      if (ms > MAX_CASE_MS) throw new Error(`case ${c} (seed ${seed}): took ${ms.toFixed(0)} ms`);
    }
    // The mutations must actually exercise the error paths.
    expect(parseErrors).toBeGreaterThan(CASES / 20);
  });
});
