/** A small argument parser: positionals, `--flag`, `--key value`, `--key=value`. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: string[], valued: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) options.set(key, a.slice(eq + 1));
      else if (valued.includes(key)) {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`--${key} needs a value`);
        options.set(key, v);
      } else options.set(key, true);
    } else positionals.push(a);
  }
  return { positionals, options };
}

export function optionString(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  if (v === true) throw new UsageError(`--${key} needs a value`);
  return v;
}

export function optionNumber(args: ParsedArgs, key: string, integer = false): number | undefined {
  const v = optionString(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${key} expects ${integer ? 'an integer' : 'a number'}, got "${v}"`);
  }
  return n;
}
