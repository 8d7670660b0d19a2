/**
 * Colormaps for per-atom properties: viridis, plasma (perceptually uniform, sequential),
 * coolwarm (diverging) and grayscale, as matplotlib draws them.
 *
 * Sources: viridis and plasma are the 256-entry tables of matplotlib's `_cm_listed.py`
 * (van der Walt and Smith, CC0), kept here every 8th entry plus the last (33 stops; linear
 * interpolation between them stays within 0.002 of the full table). coolwarm is Moreland's
 * 33-stop "CoolWarmFloat33" table ("Diverging Color Maps for Scientific Visualization", 2009),
 * the one matplotlib's `coolwarm` interpolates linearly. Values are sRGB in [0, 1].
 */

export type ColormapName = 'viridis' | 'plasma' | 'coolwarm' | 'grayscale';

export const COLORMAP_NAMES: readonly ColormapName[] = ['viridis', 'plasma', 'coolwarm', 'grayscale'];

/** Stops at evenly spaced positions 0..1 (flat r, g, b). */
interface Stops {
  /** Table entry index of each stop over the source table's length (for uneven spacing). */
  at: readonly number[];
  rgb: Float32Array;
}

/** Table entries 0, 8, 16, ..., 248, 255 of a 256-entry table. */
const EVERY_8TH = [...Array.from({ length: 32 }, (_, i) => i * 8), 255];

// prettier-ignore
const VIRIDIS: Stops = {
  at: EVERY_8TH,
  rgb: Float32Array.of(
    0.267004, 0.004874, 0.329415, 0.277018, 0.050344, 0.375715, 0.282327, 0.094955, 0.417331,
    0.282884, 0.13592, 0.453427, 0.278826, 0.17549, 0.483397, 0.270595, 0.214069, 0.507052,
    0.258965, 0.251537, 0.524736, 0.244972, 0.287675, 0.53726, 0.229739, 0.322361, 0.545706,
    0.214298, 0.355619, 0.551184, 0.19943, 0.387607, 0.554642, 0.185556, 0.41857, 0.556753,
    0.172719, 0.448791, 0.557885, 0.160665, 0.47854, 0.558115, 0.149039, 0.508051, 0.55725,
    0.13777, 0.537492, 0.554906, 0.127568, 0.566949, 0.550556, 0.120565, 0.596422, 0.543611,
    0.120638, 0.625828, 0.533488, 0.132268, 0.655014, 0.519661, 0.157851, 0.683765, 0.501686,
    0.196571, 0.711827, 0.479221, 0.24607, 0.73891, 0.452024, 0.304148, 0.764704, 0.419943,
    0.369214, 0.788888, 0.382914, 0.440137, 0.811138, 0.340967, 0.515992, 0.831158, 0.294279,
    0.595839, 0.848717, 0.243329, 0.678489, 0.863742, 0.189503, 0.762373, 0.876424, 0.137064,
    0.845561, 0.887322, 0.099702, 0.926106, 0.89733, 0.104071, 0.993248, 0.906157, 0.143936,
  ),
};

// prettier-ignore
const PLASMA: Stops = {
  at: EVERY_8TH,
  rgb: Float32Array.of(
    0.050383, 0.029803, 0.527975, 0.132381, 0.022258, 0.56325, 0.193374, 0.018354, 0.59033,
    0.248032, 0.014439, 0.612868, 0.299855, 0.009561, 0.631624, 0.35015, 0.004382, 0.646298,
    0.399411, 0.000859, 0.656133, 0.447714, 0.00208, 0.66024, 0.494877, 0.01199, 0.657865,
    0.54057, 0.03495, 0.64864, 0.584391, 0.068579, 0.632812, 0.625987, 0.103312, 0.611305,
    0.665129, 0.138566, 0.585582, 0.701769, 0.174005, 0.557296, 0.736019, 0.209439, 0.527908,
    0.76809, 0.244817, 0.498465, 0.798216, 0.280197, 0.469538, 0.826588, 0.315714, 0.441316,
    0.853319, 0.351553, 0.413734, 0.878423, 0.387932, 0.3866, 0.901807, 0.425087, 0.359688,
    0.923287, 0.463251, 0.332801, 0.942598, 0.502639, 0.305816, 0.959424, 0.543431, 0.278701,
    0.973416, 0.585761, 0.25154, 0.984199, 0.629718, 0.224595, 0.991365, 0.675355, 0.198453,
    0.994474, 0.722691, 0.174381, 0.993033, 0.77172, 0.154808, 0.986509, 0.822401, 0.143557,
    0.974443, 0.874622, 0.144061, 0.956808, 0.928152, 0.152409, 0.940015, 0.975158, 0.131326,
  ),
};

// prettier-ignore
const COOLWARM: Stops = {
  at: Array.from({ length: 33 }, (_, i) => i),
  rgb: Float32Array.of(
    0.2298057, 0.298717966, 0.753683153, 0.26623388, 0.353094838, 0.801466763,
    0.30386891, 0.406535296, 0.84495867, 0.342804478, 0.458757618, 0.883725899,
    0.38301334, 0.50941904, 0.917387822, 0.424369608, 0.558148092, 0.945619588,
    0.46666708, 0.604562568, 0.968154911, 0.509635204, 0.648280772, 0.98478814,
    0.552953156, 0.688929332, 0.995375608, 0.596262162, 0.726149107, 0.999836203,
    0.639176211, 0.759599947, 0.998151185, 0.681291281, 0.788964712, 0.990363227,
    0.722193294, 0.813952739, 0.976574709, 0.761464949, 0.834302879, 0.956945269,
    0.798691636, 0.849786142, 0.931688648, 0.833466556, 0.860207984, 0.901068838,
    0.865395197, 0.86541021, 0.865395561, 0.897787179, 0.848937047, 0.820880546,
    0.924127593, 0.827384882, 0.774508472, 0.944468518, 0.800927443, 0.726736146,
    0.958852946, 0.769767752, 0.678007945, 0.96732803, 0.734132809, 0.628751763,
    0.969954137, 0.694266682, 0.579375448, 0.966811177, 0.650421156, 0.530263762,
    0.958003065, 0.602842431, 0.481775914, 0.943660866, 0.551750968, 0.434243684,
    0.923944917, 0.49730856, 0.387970225, 0.89904617, 0.439559467, 0.343229596,
    0.869186849, 0.378313092, 0.300267182, 0.834620542, 0.312874446, 0.259301199,
    0.795631745, 0.24128379, 0.220525627, 0.752534934, 0.157246067, 0.184115123,
    0.705673158, 0.01555616, 0.150232812,
  ),
};

const GRAYSCALE: Stops = { at: [0, 1], rgb: Float32Array.of(0, 0, 0, 1, 1, 1) };

const TABLES: Record<ColormapName, Stops> = {
  viridis: VIRIDIS,
  plasma: PLASMA,
  coolwarm: COOLWARM,
  grayscale: GRAYSCALE,
};

export function isColormapName(name: string): name is ColormapName {
  return (COLORMAP_NAMES as readonly string[]).includes(name);
}

/**
 * Writes the colour of `t` in [0, 1] (clamped; NaN draws as the low end) into `out` at
 * `offset` as r, g, b in [0, 1].
 */
export function colormapInto(name: ColormapName, t: number, out: { [i: number]: number }, offset = 0): void {
  const { at, rgb } = TABLES[name];
  const last = at[at.length - 1]!;
  const x = (Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0) * last;
  // Stops are few (<= 33): a linear scan is as fast as a search.
  let k = 0;
  while (k < at.length - 2 && at[k + 1]! <= x) k++;
  const a = at[k]!;
  const b = at[k + 1]!;
  const f = b > a ? (x - a) / (b - a) : 0;
  for (let c = 0; c < 3; c++) {
    const lo = rgb[3 * k + c]!;
    const hi = rgb[3 * (k + 1) + c]!;
    out[offset + c] = lo + (hi - lo) * f;
  }
}

/** The colour of `t` in [0, 1] as [r, g, b] in [0, 1]. */
export function colormap(name: ColormapName, t: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  colormapInto(name, t, out);
  return out;
}

/** `n` evenly spaced colours from 0 to 1 as 8-bit RGBA (a colour bar's pixels, a lookup table). */
export function colormapRamp(name: ColormapName, n: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * n);
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    colormapInto(name, n > 1 ? i / (n - 1) : 0, c);
    out[4 * i] = Math.round(c[0] * 255);
    out[4 * i + 1] = Math.round(c[1] * 255);
    out[4 * i + 2] = Math.round(c[2] * 255);
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * Maps values to [0, 1] over [lo, hi] (a constant property maps to 0.5), for colouring.
 * Non-finite values map to NaN (drawn as the colormap's low end by colormapInto).
 */
export function normalize(value: number, lo: number, hi: number): number {
  if (!Number.isFinite(value)) return NaN;
  if (!(hi > lo)) return 0.5;
  return (value - lo) / (hi - lo);
}

/** Finite minimum and maximum of `values` (null when none is finite). */
export function finiteRange(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** matplotlib's tab10 (Tableau 10): distinct colours for categories (chains, residues). */
// prettier-ignore
const TAB10 = [
  0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
];

/** Colour of category `k` (0, 1, 2, ...): tab10, cycling after ten categories. */
export function categoryColor(k: number): [number, number, number] {
  const hex = TAB10[((k % TAB10.length) + TAB10.length) % TAB10.length]!;
  return [((hex >> 16) & 255) / 255, ((hex >> 8) & 255) / 255, (hex & 255) / 255];
}
