/** Unit conversions for LAMMPS "metal" units (Å, eV, ps, amu, bar) and SI. */

/** 1 eV/Å³ in GPa (CODATA 2018 eV). */
export const EV_PER_A3_IN_GPA = 160.2176634;
/** 1 eV/Å² in J/m². */
export const EV_PER_A2_IN_J_PER_M2 = 16.02176634;
/** 1 GPa in bar. */
export const GPA_IN_BAR = 1e4;

/**
 * The constants an integrator needs, per LAMMPS unit style (src/update.cpp), so that runs
 * reproduce LAMMPS's thermo output digit for digit: `mvv2e` turns mass × velocity² into
 * energy, `ftm2v` force / mass into acceleration, `boltz` is k_B in energy per kelvin, and
 * `nktv2p` turns energy / volume into pressure.
 */
export interface UnitSystem {
  readonly name: 'metal' | 'lj';
  readonly mvv2e: number;
  readonly ftm2v: number;
  readonly boltz: number;
  readonly nktv2p: number;
}

/** LAMMPS "metal": Å, eV, ps, amu, K, bar (LAMMPS's own values, not CODATA 2018). */
export const METAL: UnitSystem = {
  name: 'metal',
  mvv2e: 1.0364269e-4,
  ftm2v: 1 / 1.0364269e-4,
  boltz: 8.617343e-5,
  nktv2p: 1.6021765e6,
};

/** LAMMPS "lj" (reduced) units: every constant is 1; also used for model surfaces (Müller–Brown). */
export const REDUCED: UnitSystem = { name: 'lj', mvv2e: 1, ftm2v: 1, boltz: 1, nktv2p: 1 };

/** 1 amu/Å³ in g/cm³ (the corpus argon deck's n = ρ / m × 0.602214076 atoms/Å³ inverts this). */
export const AMU_PER_A3_IN_G_PER_CM3 = 1 / 0.602214076;
