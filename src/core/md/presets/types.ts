/**
 * Simulation presets: ready-made protocols from the seeds (Rahman argon, Müller–Brown,
 * the Cu(100) adatom) with typed, validated settings. A preset runs synchronously in the
 * calling thread and talks to the outside only through `PresetIO`: named output files
 * (the CLI opens them in --out DIR, the compute job in its outDir), progress, a
 * cancellation flag, and live thermo rows and frames for plots and the viewer. Its result
 * is plain JSON.
 */
import type { ByteSink } from '../../io/source.js';
import type { Structure } from '../../model/structure.js';
import type { ThermoRow } from '../runner.js';

export type SettingValue = number | string | boolean;
export type Settings = Record<string, SettingValue>;

export interface SettingSpec {
  key: string;
  description: string;
  default: SettingValue;
  /** Numbers: bounds (inclusive) and whether only integers are allowed. */
  min?: number;
  max?: number;
  integer?: boolean;
  /** Strings: the allowed values. */
  choices?: readonly string[];
  /** Unit shown next to the value (K, ps, Å, g/cm³...). */
  unit?: string;
}

/** An output file a preset writes: a sink that must be closed. */
export interface OutputFile extends ByteSink {
  close(): void;
}

export interface PresetIO {
  /** Opens `name` (a bare file name) for writing in the run's output folder; absent = no files. */
  open?(name: string): OutputFile;
  /** Reads an input file (a potential) as text; absent where there is no file access. */
  readText?(path: string): string;
  progress?(fraction: number, message: string): void;
  /** Polled every few steps; true stops the run with an AbortError. */
  isCancelled?(): boolean;
  onThermo?(row: ThermoRow): void;
  onFrame?(frame: Structure): void;
}

/** A JSON-able result. */
export type PresetReport = Record<string, unknown>;

export interface Preset {
  id: string;
  title: string;
  description: string;
  settings: readonly SettingSpec[];
  run(settings: Settings, io: PresetIO): PresetReport;
}

/** A setting that is unknown or out of range: the message names it. */
export class PresetError extends Error {
  override readonly name = 'PresetError';
}

/**
 * The preset's defaults overridden by `overrides` (strings from `--set k=v` are parsed by
 * the type of the default), each checked against its spec.
 */
export function resolveSettings(preset: Preset, overrides: Record<string, SettingValue> = {}): Settings {
  const out: Settings = {};
  for (const spec of preset.settings) out[spec.key] = spec.default;
  for (const [key, raw] of Object.entries(overrides)) {
    const spec = preset.settings.find((s) => s.key === key);
    if (!spec) {
      const known = preset.settings.map((s) => s.key).join(', ');
      throw new PresetError(`${preset.id}: unknown setting "${key}" (settings: ${known})`);
    }
    out[key] = coerce(preset.id, spec, raw);
  }
  return out;
}

function coerce(id: string, spec: SettingSpec, raw: SettingValue): SettingValue {
  const where = `${id}: setting ${spec.key}`;
  if (typeof spec.default === 'number') {
    const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (!Number.isFinite(v)) throw new PresetError(`${where} expects a number, got "${String(raw)}"`);
    if (spec.integer && !Number.isInteger(v)) throw new PresetError(`${where} expects an integer, got ${v}`);
    if (spec.min !== undefined && v < spec.min) throw new PresetError(`${where} must be >= ${spec.min}, got ${v}`);
    if (spec.max !== undefined && v > spec.max) throw new PresetError(`${where} must be <= ${spec.max}, got ${v}`);
    return v;
  }
  if (typeof spec.default === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const s = String(raw).toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    throw new PresetError(`${where} expects yes or no, got "${String(raw)}"`);
  }
  const s = String(raw);
  if (spec.choices && !spec.choices.includes(s)) {
    throw new PresetError(`${where} must be one of ${spec.choices.join(', ')}, got "${s}"`);
  }
  return s;
}

/** Typed accessors for a resolved settings object. */
export function numberSetting(settings: Settings, key: string): number {
  const v = settings[key];
  if (typeof v !== 'number') throw new PresetError(`setting ${key} is not a number`);
  return v;
}

export function stringSetting(settings: Settings, key: string): string {
  const v = settings[key];
  if (typeof v !== 'string') throw new PresetError(`setting ${key} is not a string`);
  return v;
}

export function booleanSetting(settings: Settings, key: string): boolean {
  const v = settings[key];
  if (typeof v !== 'boolean') throw new PresetError(`setting ${key} is not a boolean`);
  return v;
}

/** Writes a CSV (header + rows) to `name` when the IO has files. Returns the name or null. */
export function writeCsv(io: PresetIO, name: string, columns: Record<string, ArrayLike<number>>): string | null {
  if (!io.open) return null;
  const keys = Object.keys(columns);
  const rows = Math.max(0, ...keys.map((k) => columns[k]!.length));
  const file = io.open(name);
  try {
    file.write(keys.join(',') + '\n');
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) {
      lines.push(keys.map((k) => csvNumber(columns[k]![r])).join(','));
      if (lines.length === 4096) {
        file.write(lines.join('\n') + '\n');
        lines.length = 0;
      }
    }
    if (lines.length > 0) file.write(lines.join('\n') + '\n');
  } finally {
    file.close();
  }
  return name;
}

function csvNumber(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '';
  return String(Number(v.toPrecision(12)));
}
