/** Writing EAM tables back out as a setfl / Finnis–Sinclair file LAMMPS reads. */
import type { SetflFile } from './eam-file.js';

/** A setfl file's text (LAMMPS eam/alloy), 5 values per line with 17 significant digits. */
export function writeSetfl(file: SetflFile): string {
  const out: string[] = [];
  for (let k = 0; k < 3; k++) out.push(file.comments[k] ?? '');
  out.push(`${file.elements.length} ${file.elements.map((e) => e.symbol).join(' ')}`);
  out.push(`${file.nrho} ${num(file.drho)} ${file.nr} ${num(file.dr)} ${num(file.cut)}`);
  const block = (a: Float64Array): void => {
    for (let k = 0; k < a.length; k += 5) out.push(Array.from(a.subarray(k, k + 5), num).join(' '));
  };
  const ns = file.elements.length;
  for (let i = 0; i < ns; i++) {
    const e = file.elements[i]!;
    out.push(`${e.z} ${num(e.mass)} ${num(e.a0)} ${e.lattice || 'FCC'}`);
    block(file.frho[i]!);
    if (file.kind === 'fs') for (let j = 0; j < ns; j++) block(file.rhor[i * ns + j]!);
    else block(file.rhor[i]!);
  }
  for (const t of file.z2r) block(t);
  return out.join('\n') + '\n';
}

function num(v: number): string {
  return v.toPrecision(17).replace(/\.?0+e/, 'e');
}
