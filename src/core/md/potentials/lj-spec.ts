/**
 * Lennard-Jones parameters written on one line, as the CLI and presets take them:
 *
 *   lj:epsilon=0.0103408,sigma=3.4,cutoff=8.5[,shift=yes]
 *   lj:eps=0.01,sigma=3.4,rc=8.5;Ar-Ar:eps=0.0104;Ar-Kr:eps=0.013,sigma=3.6
 *
 * Groups are separated by ';'. A group without a prefix sets the defaults; an "A-B:" prefix
 * sets the pair of species A and B (element symbols or LAMMPS type numbers, whichever names
 * the system's species). A pair not given, between two species whose self pairs are given,
 * is mixed geometrically (LAMMPS's default for lj/cut); otherwise it takes the defaults.
 */
import { LennardJones, mixLj, type LjPair } from './lj.js';

export class LjSpecError extends Error {
  override readonly name = 'LjSpecError';
}

interface Group {
  epsilon?: number;
  sigma?: number;
  cutoff?: number;
  shift?: boolean;
}

const KEYS: Record<string, keyof Group> = {
  epsilon: 'epsilon',
  eps: 'epsilon',
  sigma: 'sigma',
  cutoff: 'cutoff',
  rc: 'cutoff',
  cut: 'cutoff',
  shift: 'shift',
};

export function isLjSpec(text: string): boolean {
  return /^lj(\/cut)?(:|$)/i.test(text.trim());
}

function parseGroup(text: string, spec: string): Group {
  const g: Group = {};
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = KEYS[(eq < 0 ? item : item.slice(0, eq)).toLowerCase()];
    const value = eq < 0 ? 'yes' : item.slice(eq + 1);
    if (!key)
      throw new LjSpecError(`Lennard-Jones '${spec}': unknown parameter '${item}' (use epsilon, sigma, cutoff, shift)`);
    if (key === 'shift') {
      g.shift = /^(yes|true|1|on)$/i.test(value);
    } else {
      const v = Number(value);
      if (value === '' || !Number.isFinite(v))
        throw new LjSpecError(`Lennard-Jones '${spec}': ${key} '${value}' is not a number`);
      g[key] = v;
    }
  }
  return g;
}

/** The potential a spec describes for the given species names. */
export function ljFromSpec(spec: string, species: readonly string[]): LennardJones {
  const body = spec.trim().replace(/^lj(\/cut)?:?/i, '');
  let defaults: Group = {};
  const pairs = new Map<string, Group>();
  for (const part of body.split(';').map((s) => s.trim())) {
    if (part === '') continue;
    const m = /^([^:=,]+)-([^:=,]+):(.*)$/.exec(part);
    if (m) {
      const g = parseGroup(m[3]!, spec);
      pairs.set(`${m[1]!.trim()}-${m[2]!.trim()}`, g);
      pairs.set(`${m[2]!.trim()}-${m[1]!.trim()}`, g);
    } else {
      defaults = { ...defaults, ...parseGroup(part, spec) };
    }
  }
  const complete = (g: Group, what: string): LjPair => {
    const p = {
      epsilon: g.epsilon ?? defaults.epsilon,
      sigma: g.sigma ?? defaults.sigma,
      cutoff: g.cutoff ?? defaults.cutoff,
    };
    if (p.epsilon === undefined || p.sigma === undefined || p.cutoff === undefined) {
      throw new LjSpecError(`Lennard-Jones '${spec}': ${what} needs epsilon, sigma and cutoff`);
    }
    return p as LjPair;
  };
  const self = (a: string): Group | undefined => pairs.get(`${a}-${a}`);
  return new LennardJones({
    species,
    shift: defaults.shift ?? false,
    pair: (i, j) => {
      const a = species[i]!;
      const b = species[j]!;
      const given = pairs.get(`${a}-${b}`);
      if (given) return complete(given, `pair ${a}-${b}`);
      const sa = self(a);
      const sb = self(b);
      if (sa && sb && a !== b) return mixLj(complete(sa, `pair ${a}-${a}`), complete(sb, `pair ${b}-${b}`));
      return complete({}, `pair ${a}-${b}`);
    },
  });
}
