/** Small text formatters for the panels (pure functions). */

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

const grouped = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return grouped.format(n);
}

/**
 * A simulation time in ps (the unit GROMACS and LAMMPS real/metal users read), with as many
 * decimals as the file's time step needs (step 0.02 ps: "2.48 ps"); without a step, six
 * significant digits.
 */
export function formatTime(ps: number, step?: number | null): string {
  if (!Number.isFinite(ps)) return '';
  if (step !== undefined && step !== null && Number.isFinite(step) && step > 0) {
    const decimals = Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-6)));
    const f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    return `${f.format(ps)} ps`;
  }
  return `${+ps.toPrecision(6)} ps`;
}

/** Hill-order formula from element counts: C and H first, then alphabetical (Cu27, C2H6O). */
export function formula(elements: Record<string, number>): string {
  const keys = Object.keys(elements).filter((k) => (elements[k] ?? 0) > 0);
  const hasC = keys.includes('C');
  keys.sort((a, b) => {
    if (hasC) {
      const rank = (s: string): number => (s === 'C' ? 0 : s === 'H' ? 1 : 2);
      const d = rank(a) - rank(b);
      if (d !== 0) return d;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return keys.map((k) => (elements[k] === 1 ? k : `${k}${elements[k]}`)).join('');
}

/** The error text to show the user: an ApiError's message already names file and line. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string') return e.message;
  return String(e);
}
