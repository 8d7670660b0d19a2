/**
 * Velocity distribution against Maxwell–Boltzmann. The temperature comes from equipartition,
 * T = Σ m v² / (3 N k_B) (no constraint or COM correction: what the velocities themselves
 * say), and the expected distributions are mixtures over the species present, weighted by
 * their atom counts, so mixed-mass systems are compared correctly:
 *   per component  p(v_x) = Σ_s f_s √(m_s / 2πkT) exp(-m_s v_x² / 2kT)
 *   speed          p(v)   = Σ_s f_s 4π v² (m_s / 2πkT)^{3/2} exp(-m_s v² / 2kT)
 * Units: Å/ps, amu, K.
 */
import { AnalysisError } from './errors.js';
import { histogram } from './histogram.js';

export const BOLTZMANN_EV_K = 8.617333262e-5;
/** 1 amu·Å²/ps² in eV: 10 J/mol, i.e. 0.01 kJ/mol (the GROMACS factor of docs/formats.md). */
export const AMU_A2_PS2_EV = 0.010364269656262174 / 100;

export interface VelocityDistribution {
  temperatureK: number;
  component: { v: Float64Array; p: Float64Array; maxwell: Float64Array };
  speed: { v: Float64Array; p: Float64Array; maxwell: Float64Array };
}

/**
 * velocities: 3n per sample, concatenated over frames (length 3·n·frames); masses: per atom
 * of one sample (length n, amu).
 */
export function velocityDistribution(velocities: Float64Array, masses: Float64Array, bins = 100): VelocityDistribution {
  const n = masses.length;
  if (n === 0 || velocities.length % (3 * n) !== 0) throw new AnalysisError('velocities do not match the atom count');
  const samples = velocities.length / (3 * n);
  let kinetic = 0; // Σ m v², amu Å²/ps²
  const speeds = new Float64Array(samples * n);
  let vmax = 0;
  for (let k = 0; k < samples; k++) {
    for (let i = 0; i < n; i++) {
      const b = 3 * (k * n + i);
      const v2 = velocities[b]! ** 2 + velocities[b + 1]! ** 2 + velocities[b + 2]! ** 2;
      kinetic += masses[i]! * v2;
      const s = Math.sqrt(v2);
      speeds[k * n + i] = s;
      if (s > vmax) vmax = s;
    }
  }
  const kT = (kinetic * AMU_A2_PS2_EV) / (3 * n * samples); // eV
  if (!(kT > 0)) throw new AnalysisError('all velocities are zero');
  // Species mixture: distinct masses with their fractions.
  const fractions = new Map<number, number>();
  for (let i = 0; i < n; i++) fractions.set(masses[i]!, (fractions.get(masses[i]!) ?? 0) + 1 / n);
  const comp = histogram(velocities, bins, [-vmax, vmax]);
  const spd = histogram(speeds, bins, [0, vmax]);
  const compMb = comp.centres.map((v) => {
    let p = 0;
    for (const [m, f] of fractions) {
      const a = (m * AMU_A2_PS2_EV) / kT; // 1/(Å/ps)²
      p += f * Math.sqrt(a / (2 * Math.PI)) * Math.exp(-0.5 * a * v * v);
    }
    return p;
  });
  const speedMb = spd.centres.map((v) => {
    let p = 0;
    for (const [m, f] of fractions) {
      const a = (m * AMU_A2_PS2_EV) / kT;
      p += f * 4 * Math.PI * v * v * Math.pow(a / (2 * Math.PI), 1.5) * Math.exp(-0.5 * a * v * v);
    }
    return p;
  });
  return {
    temperatureK: kT / BOLTZMANN_EV_K,
    component: { v: comp.centres, p: comp.density, maxwell: compMb },
    speed: { v: spd.centres, p: spd.density, maxwell: speedMb },
  };
}
