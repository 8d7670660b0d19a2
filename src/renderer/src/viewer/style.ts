/**
 * Viewer palette (kept here so that the UI's CSS and the 3D scene agree). Atom colours and
 * radii per representation are in appearance.ts.
 */
export const SCENE_COLORS = {
  background: [0.098, 0.106, 0.122] as const,
  cell: [0.62, 0.66, 0.72] as const,
  /** Cell lines on a light background. */
  cellOnLight: [0.3, 0.32, 0.36] as const,
};
