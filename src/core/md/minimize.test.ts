import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus.js';
import { readStructure, systemOf } from '../../../test/md-helpers.js';
import { Calculator } from './calculator.js';
import { minimizeCG, minimizeFIRE, type MinimizeProblem } from './minimize.js';
import { parseEamFile } from './potentials/eam-file.js';
import { EamPotential } from './potentials/eam.js';

/** E = 1/2 sum k_i (x_i - c_i)^2 with stiffnesses spread over two decades. */
function quadratic(n: number): MinimizeProblem & { centre: Float64Array } {
  const centre = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const k = Float64Array.from({ length: n }, (_, i) => Math.pow(100, i / (n - 1)));
  const x = new Float64Array(n).fill(2);
  return {
    x,
    centre,
    evaluate: (g) => {
      let e = 0;
      for (let i = 0; i < n; i++) {
        const d = x[i]! - centre[i]!;
        e += 0.5 * k[i]! * d * d;
        g[i] = k[i]! * d;
      }
      return e;
    },
  };
}

describe('minimisers', () => {
  it('CG and FIRE find the minimum of an ill-conditioned quadratic', () => {
    for (const minimize of [minimizeCG, minimizeFIRE]) {
      const q = quadratic(40);
      const r = minimize(q, { fmax: 1e-10 });
      expect(r.converged).toBe(true);
      expect(r.fmax).toBeLessThan(1e-10);
      for (let i = 0; i < 40; i++) expect(q.x[i]).toBeCloseTo(q.centre[i]!, 9);
    }
  });

  it('CG walks the Rosenbrock valley to (1, 1)', () => {
    const x = Float64Array.of(-1.2, 1);
    const r = minimizeCG(
      {
        x,
        evaluate: (g) => {
          const [a, b] = [x[0]!, x[1]!];
          g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
          g[1] = 200 * (b - a * a);
          return (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);
        },
      },
      { fmax: 1e-10, maxStep: 0.5 },
    );
    expect(r.converged).toBe(true);
    expect(x[0]).toBeCloseTo(1, 8);
    expect(x[1]).toBeCloseTo(1, 8);
  });

  it('frozen coordinates do not move', () => {
    for (const minimize of [minimizeCG, minimizeFIRE]) {
      const q = quadratic(10);
      const frozen = new Uint8Array(10);
      frozen[3] = 1;
      frozen[7] = 1;
      minimize({ ...q, frozen }, { fmax: 1e-9 });
      expect(q.x[3]).toBe(2);
      expect(q.x[7]).toBe(2);
      expect(q.x[5]).toBeCloseTo(q.centre[5]!, 8);
    }
  });

  // LAMMPS: CG at fixed box from the unrelaxed vacancy (corpus 02_eam vacancy_formation 4x4x4).
  const ref = reference('02_eam');
  for (const sys of ['Cu_mishin1', 'Cu_u3']) {
    const meta = ref.systems[sys];
    const want = meta.vacancy_formation['4x4x4'].E_vac_relaxed_eV as number;
    const file = corpusPath('02_eam', meta.potential_file);
    const pot = EamPotential.fromFile(parseEamFile(file, readFileSync(file, 'utf8')));
    for (const [name, minimize, tol] of [
      ['CG', minimizeCG, 1e-9],
      ['FIRE', minimizeFIRE, 1e-8],
    ] as const) {
      it(`${name} relaxes the ${sys} 4x4x4 vacancy to LAMMPS's energy`, () => {
        const system = systemOf(readStructure(corpusPath('02_eam', `${sys}_vacancy_unrelaxed.data`)));
        const calc = new Calculator(pot);
        const r = minimize(
          {
            x: system.positions,
            evaluate: (g) => {
              const out = calc.evaluate(system);
              for (let k = 0; k < g.length; k++) g[k] = -out.forces[k]!;
              return out.energy;
            },
          },
          { fmax: 1e-7 },
        );
        expect(r.converged).toBe(true);
        expect(Math.abs(r.energy - want)).toBeLessThan(tol * Math.abs(want));
        // The skin keeps neighbor rebuilds rare: far fewer builds than force evaluations.
        expect(calc.list.builds).toBeLessThan(Math.max(3, r.evaluations / 10));
      });
    }
  }
});
