// `atomscope simulate PRESET [--set k=v ...] [--out DIR] [--json] [--progress]`: runs a
// preset of the example gallery (argon, muller-brown, adatom) with settings overridden by
// k=v pairs, writes its files (thermo CSV, extXYZ trajectory, analysis CSVs) into DIR and
// prints the report. `atomscope simulate --list [--json]` lists presets and settings.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import {
  PRESETS,
  PresetError,
  resolveSettings,
  type OutputFile,
  type PresetIO,
  type SettingValue,
} from '../../core/md/presets/index.js';
import { optionString, type ParsedArgs, UsageError } from '../args.js';

const USAGE =
  'usage: atomscope simulate PRESET [--set k=v ...] [--out DIR] [--json] [--progress]   (presets: ' +
  Object.keys(PRESETS).join(', ') +
  '; atomscope simulate --list for settings)';

/**
 * Settings from `--set k=v` (any number: --set is a flag and every k=v after the preset is
 * taken, so `--set a=1 --set b=2`, `--set a=1 b=2` and `--set a=1,b=2` all work). A comma
 * part without "=" continues the previous value, so lists stay whole:
 * `--set temperatures=800,900,1000`.
 */
export function settingArguments(tokens: readonly string[]): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const token of tokens) {
    let key: string | null = null;
    for (const part of token.split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) {
        key = part.slice(0, eq).trim();
        out[key] = part.slice(eq + 1).trim();
      } else if (key !== null) {
        out[key] = `${String(out[key])},${part.trim()}`;
      } else if (part.trim() !== '') {
        throw new UsageError(`--set expects key=value, got "${part}"`);
      }
    }
  }
  return out;
}

/** A buffered file sink: the presets write many small strings. */
class FileSink implements OutputFile {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }
  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') {
      this.flush();
      writeSync(this.fd, chunk);
      return;
    }
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.parts.length === 0) return;
    writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** Runs `f`, turning a preset's complaint about its settings into a usage error (exit 2). */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PresetError) throw new UsageError(e.message);
    throw e;
  }
}

export function simulateCommand(args: ParsedArgs): number {
  if (args.options.has('list')) return list(args);
  const [id, ...rest] = args.positionals;
  if (!id) throw new UsageError(USAGE);
  const preset = PRESETS[id];
  if (!preset) throw new UsageError(`unknown preset "${id}" (presets: ${Object.keys(PRESETS).join(', ')})`);
  const setFlag = args.options.get('set');
  const tokens = [...rest, ...(typeof setFlag === 'string' ? [setFlag] : [])];
  const settings = asUsage(() => resolveSettings(preset, settingArguments(tokens)));
  const outDir = optionString(args, 'out');
  if (outDir !== undefined) {
    if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
      throw new UsageError(`--out ${outDir}: exists and is not a directory`);
    }
    mkdirSync(outDir, { recursive: true });
  }
  const written: string[] = [];
  const showProgress = args.options.has('progress');
  let lastReport = 0;
  const io: PresetIO = {
    open: outDir
      ? (name) => {
          const file = path.join(outDir, path.basename(name));
          written.push(file);
          return new FileSink(file);
        }
      : undefined,
    readText: (file) => readFileSync(file, 'utf8'),
    progress: showProgress
      ? (fraction, message) => {
          const now = Date.now();
          if (now - lastReport < 500 && fraction < 1) return;
          lastReport = now;
          process.stderr.write(`${(100 * fraction).toFixed(1).padStart(5)} %  ${message}\n`);
        }
      : undefined,
  };
  // Settings that only fail in combination (too few samples, no such element) name themselves.
  const report = asUsage(() => preset.run(settings, io));
  const out = {
    ...report,
    out_dir: outDir ? path.resolve(outDir) : null,
    written: written.map((f) => path.resolve(f)),
  };
  if (args.options.has('json')) {
    process.stdout.write(JSON.stringify(out) + '\n');
    return 0;
  }
  process.stdout.write(summaryText(id, out) + '\n');
  return 0;
}

/** A few lines for humans; the JSON has everything. */
function summaryText(id: string, report: Record<string, unknown>): string {
  const lines = [`preset ${id}`];
  const walk = (obj: unknown, prefix: string, depth: number): void => {
    if (depth > 2 || obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
      if (k === 'settings' || k === 'references') continue;
      if (typeof v === 'number') lines.push(`${prefix}${k}  ${Number.isInteger(v) ? v : v.toPrecision(6)}`);
      else if (typeof v === 'boolean' || typeof v === 'string') lines.push(`${prefix}${k}  ${String(v)}`);
      else if (v && typeof v === 'object' && !Array.isArray(v)) {
        lines.push(`${prefix}${k}:`);
        walk(v, prefix + '  ', depth + 1);
      }
    }
  };
  walk(report, '  ', 0);
  return lines.join('\n');
}

function list(args: ParsedArgs): number {
  const presets = Object.values(PRESETS).map((p) => ({
    id: p.id,
    title: p.title,
    description: p.description,
    settings: p.settings,
  }));
  if (args.options.has('json')) {
    process.stdout.write(JSON.stringify({ presets }) + '\n');
    return 0;
  }
  const lines: string[] = [];
  for (const p of presets) {
    lines.push(`${p.id}: ${p.title}`, `  ${p.description}`);
    for (const s of p.settings) {
      lines.push(
        `    ${s.key.padEnd(14)} ${String(s.default).padEnd(10)} ${s.unit ? `${s.unit}  ` : ''}${s.description}`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
