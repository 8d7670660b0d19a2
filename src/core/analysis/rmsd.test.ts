// RMSD series, fit/measure selections, the pairwise matrix and RMSF: against the corpus
// pairs (superposed and raw), GROMACS/MDAnalysis on the peptide backbone, and definitions.
import { describe, expect, it } from 'vitest';
import { corpusPath, reference } from '../../../test/corpus';
import { openTrajectory } from '../../node/open';
import { iterateFrames } from '../io/frames';
import { applyTopology } from '../io/pairing';
import { masses } from '../model/elements';
import { superpose } from './kabsch';
import { pairwiseRmsd, RmsdToReference, RmsfAccumulator } from './rmsd';
import { selectAtoms } from './selection';
import { collectSeries } from './series';

const pairs = reference('07_rmsd').pairs as Record<
  string,
  { rmsd_superposed_A_MDAnalysis: number; rmsd_no_fit_no_centering_A: number }
>;
const gmx = reference('04_gromacs').systems.peptide.peptide;
const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('RmsdToReference', () => {
  for (const [name, ref] of Object.entries(pairs)) {
    it(`${name}: superposed and raw values of the corpus`, () => {
      const { reader } = openTrajectory(corpusPath('07_rmsd', name));
      const a = reader.readFrame(0).positions;
      const b = reader.readFrame(1).positions;
      const all = range(a.length / 3);
      const fitted = new RmsdToReference(a, { fit: all, measure: all });
      expect(fitted.measure(a)).toBeLessThan(1e-12);
      expect(Math.abs(fitted.measure(b) - ref.rmsd_superposed_A_MDAnalysis)).toBeLessThan(1e-6);
      const raw = new RmsdToReference(a, { fit: null, measure: all });
      expect(Math.abs(raw.measure(b) - ref.rmsd_no_fit_no_centering_A)).toBeLessThan(1e-6);
    });
  }

  it('peptide backbone, mass-weighted, on the XTC: GROMACS gmx rms and MDAnalysis', () => {
    const { reader } = openTrajectory(corpusPath('04_gromacs', 'peptide_public.xtc'));
    const top = openTrajectory(corpusPath('04_gromacs', 'peptide_public_xtc_frame0_protein.pdb')).reader.readFrame(0);
    const frames = [...iterateFrames(reader)].map((f) => applyTopology(f, top));
    const backbone = selectAtoms(frames[0]!, 'name N CA C');
    expect(backbone.length).toBe(gmx.n_backbone_atoms_N_CA_C);
    // The masses of the run's topology (amber99sb-ildn: C 12.01, N 14.01), as gmx and
    // MDAnalysis read them from the tpr; element masses move the RMSD by ~4e-7 nm.
    const weights = Float64Array.from(frames[0]!.numbers, (z) => (z === 6 ? 12.01 : z === 7 ? 14.01 : masses[z]!));
    // The reference of gmx rms (and of MDAnalysis here) is the run input, the start structure,
    // whose first 75 atoms are the peptide (frame 0 of the XTC differs from it by 2e-7 nm).
    const start = openTrajectory(corpusPath('04_gromacs', 'peptide_public_start.gro')).reader.readFrame(0);
    const rmsd = new RmsdToReference(start.positions.subarray(0, 3 * 75), {
      fit: backbone,
      measure: backbone,
      weights,
    });
    const values = frames.map((f) => rmsd.measure(f.positions));
    expect(values.length).toBe(251);
    const nm = values.map((v) => v / 10);
    // MDAnalysis, same definition: last 0.1006282583 nm, mean 0.0501332153 nm; observed
    // differences 1.2e-8 and 1.0e-8 nm (the start .gro has 3 decimals, the tpr more).
    expect(Math.abs(nm[250]! - gmx.mdanalysis_rmsd_backbone_nm_same_definition.last)).toBeLessThan(5e-8);
    const mean = nm.reduce((s, v) => s + v, 0) / nm.length;
    expect(Math.abs(mean - gmx.mdanalysis_rmsd_backbone_nm_same_definition.mean)).toBeLessThan(5e-8);
    // gmx rms writes 7 decimals in nm and computes in float32 (it reports 2e-7 nm at t = 0).
    for (const [t, v] of Object.entries(gmx.rmsd_backbone_nm.at_times_ps as Record<string, number>)) {
      expect(Math.abs(nm[Math.round(Number(t) / 0.02)]! - v)).toBeLessThan(2e-7);
    }
  });

  it('fit and measure selections: the fit rotation is applied to the measured atoms', () => {
    const { reader } = openTrajectory(corpusPath('07_rmsd', 'pair_peptide_public_allprotein_frame0_vs_last.xyz'));
    const a = reader.readFrame(0).positions;
    const b = reader.readFrame(1).positions;
    const fit = range(40);
    const measure = Int32Array.from({ length: 35 }, (_, i) => 40 + i);
    const got = new RmsdToReference(a, { fit, measure }).measure(b);
    // By hand: rotation from the fit atoms, both frames centred on their fit centroids.
    const sub = (p: Float64Array, idx: Int32Array): Float64Array =>
      Float64Array.from(Array.from(idx).flatMap((i) => [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!]));
    const s = superpose(sub(a, fit), sub(b, fit));
    const ca = [0, 1, 2].map((c) => Array.from(fit).reduce((u, i) => u + a[3 * i + c]!, 0) / fit.length);
    const cb = [0, 1, 2].map((c) => Array.from(fit).reduce((u, i) => u + b[3 * i + c]!, 0) / fit.length);
    let sum = 0;
    for (const i of measure) {
      const x = [0, 1, 2].map((c) => b[3 * i + c]! - cb[c]!);
      for (let c = 0; c < 3; c++) {
        const y = s.rotation[3 * c]! * x[0]! + s.rotation[3 * c + 1]! * x[1]! + s.rotation[3 * c + 2]! * x[2]!;
        sum += (y - (a[3 * i + c]! - ca[c]!)) ** 2;
      }
    }
    expect(got).toBeCloseTo(Math.sqrt(sum / measure.length), 12);
    // Measuring on other atoms than the fit gives a larger value than fitting them directly.
    expect(got).toBeGreaterThan(superpose(sub(a, measure), sub(b, measure)).rmsd);
  });
});

describe('pairwise RMSD and RMSF', () => {
  const { reader } = openTrajectory(corpusPath('04_gromacs', 'peptide_public.xtc'));
  const s = collectSeries(iterateFrames(reader, { step: 25 }), 'positions', { unwrap: 'none' });

  it('the matrix is symmetric with a zero diagonal and equals superposing each pair', () => {
    const m = pairwiseRmsd(s.data, s.frames, s.atoms);
    const width = 3 * s.atoms;
    for (let i = 0; i < s.frames; i++) {
      expect(m[i * s.frames + i]).toBe(0);
      for (let j = 0; j < s.frames; j++) {
        expect(m[i * s.frames + j]).toBe(m[j * s.frames + i]);
        if (j > i) {
          const want = superpose(
            s.data.subarray(i * width, (i + 1) * width),
            s.data.subarray(j * width, (j + 1) * width),
          ).rmsd;
          expect(m[i * s.frames + j]).toBeCloseTo(want, 9);
        }
      }
    }
  });

  it('RMSF is zero for rigid motion and the noise amplitude for jitter', () => {
    const base = s.data.subarray(0, 3 * s.atoms);
    const all = range(s.atoms);
    const rigid = new RmsfAccumulator(base, { fit: all, measure: all });
    let seed = 3;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
    for (let f = 0; f < 20; f++) {
      const ang = 0.3 * f;
      const [c, sn] = [Math.cos(ang), Math.sin(ang)];
      const moved = new Float64Array(base.length);
      for (let i = 0; i < base.length; i += 3) {
        moved[i] = c * base[i]! - sn * base[i + 1]! + f;
        moved[i + 1] = sn * base[i]! + c * base[i + 1]! - 2 * f;
        moved[i + 2] = base[i + 2]! + 0.5;
      }
      rigid.add(moved);
    }
    for (const v of rigid.result()) expect(v).toBeLessThan(1e-9);
    // Uniform jitter of ±0.05 Å per component on one atom, no fit: RMSF = 0.05·√(3/3)·... = √3·0.1/√12.
    const noisy = new RmsfAccumulator(base, { fit: null, measure: all });
    for (let f = 0; f < 20000; f++) {
      const p = base.slice();
      for (let c = 0; c < 3; c++) p[c] = p[c]! + 0.1 * rand();
      noisy.add(p);
    }
    const r = noisy.result();
    expect(r[0]).toBeCloseTo(Math.sqrt(3) * (0.1 / Math.sqrt(12)), 3);
    expect(r[1]).toBeLessThan(1e-12);
  });
});
