/**
 * How a frame looks, as plain data and pure functions (no Babylon): the representation's
 * radii, the per-atom colours of a colouring scheme, and the legend that explains them.
 *
 * Representations (radii in Å before the radius scale):
 *  - spacefill: van der Waals radii (the element table's: ASE / Alvarez 2013).
 *  - ball-and-stick: 0.2 x vdW (Jmol's "spacefill 20%"), bonds 0.15 Å (Jmol's wireframe 0.15).
 *  - licorice: atoms and bonds 0.25 Å.
 *  - points: a dot of 4 px radius per atom, no bonds (for very large systems).
 *  - auto: ball-and-stick for molecular systems (mean bond count per atom <= 4.5: water,
 *    organics, diamond-like solids), spacefill for close-packed ones and for atoms without
 *    bonds (metals, ionic crystals, LJ fluids).
 */
import { categoryColor, colormapInto, finiteRange, normalize, type ColormapName } from '../../../core/model/colormaps';
import { colors as elementColors, ELEMENT_COUNT, elementSymbol, vdwRadii } from '../../../core/model/elements';
import type { FrameData } from '../../../shared/types';

export type Representation = 'spacefill' | 'ball-and-stick' | 'licorice' | 'points';
export type RepresentationChoice = 'auto' | Representation;

export const REPRESENTATIONS: { id: RepresentationChoice; label: string }[] = [
  { id: 'auto', label: 'Auto' },
  { id: 'spacefill', label: 'Spacefill' },
  { id: 'ball-and-stick', label: 'Ball and stick' },
  { id: 'licorice', label: 'Licorice' },
  { id: 'points', label: 'Points' },
];

export interface RepresentationStyle {
  /** Atom radius of element z (Å), before the radius scale. */
  atomRadius: (z: number) => number;
  /** Bond radius (Å) before the radius scale; 0: no bonds drawn. */
  bondRadius: number;
  /** Screen radius in px of points (0: spheres). */
  pointSize: number;
  /** Whether the radius scale also scales bonds. */
  scaleBonds: boolean;
}

function safeZ(z: number): number {
  return z >= 0 && z < ELEMENT_COUNT ? z : 0;
}

const STYLES: Record<Representation, RepresentationStyle> = {
  spacefill: { atomRadius: (z) => vdwRadii[safeZ(z)]!, bondRadius: 0, pointSize: 0, scaleBonds: false },
  'ball-and-stick': {
    atomRadius: (z) => 0.2 * vdwRadii[safeZ(z)]!,
    bondRadius: 0.15,
    pointSize: 0,
    scaleBonds: false,
  },
  licorice: { atomRadius: () => 0.25, bondRadius: 0.25, pointSize: 0, scaleBonds: true },
  points: { atomRadius: () => 0.5, bondRadius: 0, pointSize: 4, scaleBonds: false },
};

export function representationStyle(r: Representation): RepresentationStyle {
  return STYLES[r];
}

/** The representation `auto` stands for, from the atom and bond counts. */
export function resolveRepresentation(choice: RepresentationChoice, atoms: number, bonds: number): Representation {
  if (choice !== 'auto') return choice;
  if (atoms === 0 || bonds === 0) return 'spacefill';
  return (2 * bonds) / atoms > 4.5 ? 'spacefill' : 'ball-and-stick';
}

/** Per-atom radii (Å) for `numbers` in a representation, times `scale`. */
export function atomRadii(numbers: Uint8Array, rep: Representation, scale: number, out?: Float32Array): Float32Array {
  const n = numbers.length;
  const radii = out && out.length >= n ? out : new Float32Array(n);
  const style = STYLES[rep];
  // A lookup per element, not per atom.
  const table = new Float32Array(ELEMENT_COUNT);
  for (let z = 0; z < ELEMENT_COUNT; z++) table[z] = style.atomRadius(z) * scale;
  for (let i = 0; i < n; i++) radii[i] = table[safeZ(numbers[i]!)]!;
  return radii;
}

// ---- colouring -------------------------------------------------------------------------

/**
 * What atoms are coloured by: `element`, `chain`, `residue`, `label:<column>` (categories of
 * a text column), or `prop:<name>` (a number through the colormap: index, x, y, z, or a
 * per-atom column such as charge, speed, force).
 */
export type ColorBy = string;

export interface ColorOption {
  id: ColorBy;
  label: string;
}

/** Unknown atoms (element 0, e.g. an XTC before its topology arrives) draw neutral grey, not Jmol's red 'X'. */
const UNKNOWN_COLOR = [0.55, 0.55, 0.58] as const;

/** Colouring choices a frame offers (element first, then categories, then numbers). */
export function colorOptions(frame: Pick<FrameData, 'atomLabels' | 'atomProperties'> | null): ColorOption[] {
  const out: ColorOption[] = [{ id: 'element', label: 'Element' }];
  const labels = frame?.atomLabels ?? {};
  const props = frame?.atomProperties ?? {};
  if (labels['chain']) out.push({ id: 'chain', label: 'Chain' });
  if (props['resid'] || labels['resname']) out.push({ id: 'residue', label: 'Residue' });
  for (const key of Object.keys(labels).sort()) {
    if (key !== 'chain') out.push({ id: `label:${key}`, label: columnLabel(key) });
  }
  out.push({ id: 'prop:index', label: 'Index' });
  for (const axis of ['x', 'y', 'z']) out.push({ id: `prop:${axis}`, label: `${axis} position` });
  for (const key of Object.keys(props).sort()) {
    if (!['index', 'x', 'y', 'z'].includes(key)) out.push({ id: `prop:${key}`, label: columnLabel(key) });
  }
  return out;
}

function columnLabel(key: string): string {
  const known: Record<string, string> = {
    resname: 'Residue name',
    resid: 'Residue number',
    name: 'Atom name',
    charge: 'Charge',
    speed: 'Speed',
    force: 'Force magnitude',
    type: 'Type',
    id: 'Atom id',
    mass: 'Mass',
  };
  return known[key] ?? key;
}

/** True when colours depend on the positions (they must be recomputed for every frame). */
export function colorsFollowPositions(colorBy: ColorBy): boolean {
  return colorBy === 'prop:x' || colorBy === 'prop:y' || colorBy === 'prop:z';
}

/** Per-atom values of a numeric colouring, or null when the frame lacks it. */
export function propertyValues(
  frame: Pick<FrameData, 'numbers' | 'positions' | 'atomProperties'>,
  name: string,
): ArrayLike<number> | null {
  const n = frame.numbers.length;
  if (name === 'index') return Float32Array.from({ length: n }, (_, i) => i);
  const axis = ['x', 'y', 'z'].indexOf(name);
  if (axis >= 0) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = frame.positions[3 * i + axis]!;
    return out;
  }
  const col = frame.atomProperties?.[name];
  return col && col.length === n ? col : null;
}

export type Legend =
  | { kind: 'ramp'; title: string; colormap: ColormapName; min: number; max: number }
  | { kind: 'categories'; title: string; entries: { label: string; color: [number, number, number] }[]; more: number };

export interface Coloring {
  /** RGBA8 per atom. */
  colors: Uint8Array;
  legend: Legend | null;
  /** The numeric range used (for keeping it fixed over frames), or null. */
  range: [number, number] | null;
}

const MAX_LEGEND_ENTRIES = 12;

function writeRgb(out: Uint8Array, i: number, r: number, g: number, b: number): void {
  out[4 * i] = Math.round(r * 255);
  out[4 * i + 1] = Math.round(g * 255);
  out[4 * i + 2] = Math.round(b * 255);
  out[4 * i + 3] = 255;
}

/** Element colours (Jmol), unknown atoms grey. */
export function elementColorOf(z: number): [number, number, number] {
  const k = safeZ(z);
  if (k === 0) return [UNKNOWN_COLOR[0], UNKNOWN_COLOR[1], UNKNOWN_COLOR[2]];
  return [elementColors[3 * k]!, elementColors[3 * k + 1]!, elementColors[3 * k + 2]!];
}

/**
 * Colours of the atoms of `frame` by `colorBy`. Numeric colourings map `range` (or, when
 * null, the frame's finite min..max) through `colormap`. An unavailable colouring falls back
 * to elements.
 */
export function colorAtoms(
  frame: Pick<FrameData, 'numbers' | 'positions' | 'atomProperties' | 'atomLabels'>,
  colorBy: ColorBy,
  colormap: ColormapName,
  range: [number, number] | null,
  out?: Uint8Array,
): Coloring {
  const n = frame.numbers.length;
  const colors = out && out.length >= 4 * n ? out : new Uint8Array(4 * n);

  const categories = (title: string, codes: ArrayLike<number>, labels: (k: number) => string): Coloring => {
    const seen = new Map<number, number>(); // code -> category order
    for (let i = 0; i < n; i++) {
      const code = codes[i]!;
      let k = seen.get(code);
      if (k === undefined) {
        k = seen.size;
        seen.set(code, k);
      }
      const [r, g, b] = categoryColor(k);
      writeRgb(colors, i, r, g, b);
    }
    const entries = [...seen.entries()]
      .slice(0, MAX_LEGEND_ENTRIES)
      .map(([code, k]) => ({ label: labels(code), color: categoryColor(k) }));
    return {
      colors,
      legend: { kind: 'categories', title, entries, more: Math.max(0, seen.size - MAX_LEGEND_ENTRIES) },
      range: null,
    };
  };

  if (colorBy === 'chain' && frame.atomLabels?.['chain']) {
    const col = frame.atomLabels['chain'];
    return categories('Chain', col.codes, (k) => col.labels[k] || '(none)');
  }
  if (colorBy === 'residue') {
    const resid = frame.atomProperties?.['resid'];
    if (resid && resid.length === n) return categories('Residue', resid, (k) => String(k));
    const resname = frame.atomLabels?.['resname'];
    if (resname) return categories('Residue', resname.codes, (k) => resname.labels[k] || '(none)');
  }
  if (colorBy.startsWith('label:')) {
    const key = colorBy.slice(6);
    const col = frame.atomLabels?.[key];
    if (col && col.codes.length === n) return categories(columnLabel(key), col.codes, (k) => col.labels[k] || '(none)');
  }
  if (colorBy.startsWith('prop:')) {
    const key = colorBy.slice(5);
    const values = propertyValues(frame, key);
    if (values) {
      const r = range ?? finiteRange(values) ?? [0, 1];
      const rgb: [number, number, number] = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        colormapInto(colormap, normalize(values[i]!, r[0], r[1]), rgb);
        writeRgb(colors, i, rgb[0], rgb[1], rgb[2]);
      }
      const title = key === 'index' ? 'Index' : ['x', 'y', 'z'].includes(key) ? `${key} (Å)` : columnLabel(key);
      return { colors, legend: { kind: 'ramp', title, colormap, min: r[0], max: r[1] }, range: r };
    }
  }

  // Element colours, with a legend of the elements present.
  const present = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const z = safeZ(frame.numbers[i]!);
    present.set(z, (present.get(z) ?? 0) + 1);
    const [r, g, b] = elementColorOf(z);
    writeRgb(colors, i, r, g, b);
  }
  const entries = [...present.keys()]
    .sort((a, b) => a - b)
    .slice(0, MAX_LEGEND_ENTRIES)
    .map((z) => ({ label: z === 0 ? '?' : elementSymbol(z), color: elementColorOf(z) }));
  return {
    colors,
    legend: { kind: 'categories', title: 'Element', entries, more: Math.max(0, present.size - MAX_LEGEND_ENTRIES) },
    range: null,
  };
}

// ---- view options ------------------------------------------------------------------------

export type Projection = 'perspective' | 'orthographic';

/** Everything the view toolbar sets; plain data (kept in Vue state, copied into the viewer). */
export interface ViewOptions {
  representation: RepresentationChoice;
  colorBy: ColorBy;
  colormap: ColormapName;
  /** Fixed colormap range; null: fitted to the frame when the colouring is chosen. */
  colorRange: [number, number] | null;
  radiusScale: number;
  projection: Projection;
  /** Background colour as #rrggbb. */
  background: string;
  depthCue: boolean;
  showCell: boolean;
  showAxes: boolean;
}

export const DEFAULT_VIEW_OPTIONS: ViewOptions = {
  representation: 'auto',
  colorBy: 'element',
  colormap: 'viridis',
  colorRange: null,
  radiusScale: 1,
  projection: 'perspective',
  background: '#191b1f',
  depthCue: false,
  showCell: true,
  showAxes: true,
};

/** #rrggbb (or #rgb) to r, g, b in [0, 1]; null when malformed. */
export function parseHexColor(hex: string): [number, number, number] | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1]!;
  if (h.length === 3) h = h.replace(/./g, (c) => c + c);
  const v = parseInt(h, 16);
  return [((v >> 16) & 255) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255];
}
