/** Unit conversions for LAMMPS "metal" units (Å, eV, ps, amu, bar) and SI. */

/** 1 eV/Å³ in GPa (CODATA 2018 eV). */
export const EV_PER_A3_IN_GPA = 160.2176634;
/** 1 eV/Å² in J/m². */
export const EV_PER_A2_IN_J_PER_M2 = 16.02176634;
/** 1 GPa in bar. */
export const GPA_IN_BAR = 1e4;
