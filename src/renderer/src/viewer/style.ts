/**
 * How atoms look: colour and radius per element, read from the core element table.
 *
 * Radius choice: 0.89 x the Cordero covalent radius, the default of ASE's GUI (its
 * `radii_scale`). Until bonds are drawn this gives the familiar near-space-filling look
 * for metals (Cu: 1.17 Å against a 2.55 Å nearest-neighbour distance, so neighbours almost
 * touch) while keeping molecules readable (C 0.68 Å, H 0.28 Å against 1.1–1.5 Å bonds).
 * A ball-and-stick style (about 0.35 x covalent) belongs with the bond layer.
 */
import { colors, covalentRadii, ELEMENT_COUNT } from '../../../core/model/elements';

export interface AtomStyle {
  /** Multiplies the covalent radius. */
  radiusScale: number;
}

export const DEFAULT_ATOM_STYLE: AtomStyle = { radiusScale: 0.89 };

/** Atomic numbers outside the table draw as element 0 ('X'). */
function safeZ(z: number): number {
  return z >= 0 && z < ELEMENT_COUNT ? z : 0;
}

/** Display radius in Å of element `z`. */
export function atomRadius(z: number, style: AtomStyle = DEFAULT_ATOM_STYLE): number {
  return covalentRadii[safeZ(z)]! * style.radiusScale;
}

/**
 * Unknown atoms (element 0, e.g. an XTC before its topology arrives) draw neutral grey:
 * Jmol's red for 'X' would read as oxygen.
 */
const UNKNOWN_COLOR = [0.55, 0.55, 0.58] as const;

/** Writes the Jmol colour of element `z` (RGBA, alpha 1) into `out` at `offset`. */
export function writeAtomColor(z: number, out: Float32Array, offset: number): void {
  const k = safeZ(z) * 3;
  const unknown = k === 0;
  out[offset] = unknown ? UNKNOWN_COLOR[0] : colors[k]!;
  out[offset + 1] = unknown ? UNKNOWN_COLOR[1] : colors[k + 1]!;
  out[offset + 2] = unknown ? UNKNOWN_COLOR[2] : colors[k + 2]!;
  out[offset + 3] = 1;
}

/** Sphere tessellation for `n` atoms: finer for small systems, coarser to keep 10^5 atoms interactive. */
export function sphereSegments(n: number): number {
  if (n <= 2_000) return 24;
  if (n <= 20_000) return 14;
  if (n <= 200_000) return 8;
  return 6;
}

/** Viewer palette (kept here so that the UI's CSS and the 3D scene agree). */
export const SCENE_COLORS = {
  background: [0.098, 0.106, 0.122] as const,
  cell: [0.62, 0.66, 0.72] as const,
};
