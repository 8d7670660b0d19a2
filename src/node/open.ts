// Opening a file from disk: source + format detection + reader. Shared by the CLI, the
// compute host and the backend so every entry point detects formats the same way.
import { detectFormat, formatById, formats, looksBinary } from '../core/io/registry.js';
import { ParseError } from '../core/io/errors.js';
import type { FormatSpec, OpenOptions, TrajectoryReader } from '../core/io/format.js';
import type { ByteSource } from '../core/io/source.js';
import { FileSource, openSource } from './file-source.js';
import { loadIndex, saveIndex } from './index-cache.js';

export interface OpenedFile {
  source: ByteSource;
  format: FormatSpec;
  reader: TrajectoryReader;
}

/** Opens `file` with its detected (or the given) format. Throws ParseError when nothing fits. */
export function openTrajectory(file: string, options: OpenOptions & { format?: string } = {}): OpenedFile {
  const source = openSource(file);
  try {
    const format = pickFormat(file, source, options.format);
    const stamp = source instanceof FileSource ? { path: file, size: source.size, mtimeMs: source.mtimeMs } : null;
    const cached = stamp && !options.index && format.multiFrame ? loadIndex(stamp, format.id) : undefined;
    const reader = openWithHint(file, source, format, cached ? { ...options, index: cached } : options);
    if (stamp && !cached && reader.frameIndex) saveIndex(stamp, format.id, reader.frameIndex());
    return { source, format, reader };
  } catch (e) {
    source.close?.();
    throw e;
  }
}

/** Opens with `format`; when that fails and the bytes look like another format, says so. */
function openWithHint(file: string, source: ByteSource, format: FormatSpec, options: OpenOptions): TrajectoryReader {
  try {
    return format.open(source, options);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const head = source.read(0, 4096);
    const other = formats.find((f) => f !== format && f.sniff?.(head));
    if (!other) throw e;
    const ext = other.extensions[0] ? ` (rename it to .${other.extensions[0]} to read it)` : '';
    throw new ParseError(e.file, e.format, `${e.reason}; the bytes look like ${other.label}${ext}`, e.location);
  }
}

function pickFormat(file: string, source: ByteSource, id: string | undefined): FormatSpec {
  if (id) {
    const f = formatById(id);
    if (!f) throw new ParseError(file, 'unknown', `unknown format "${id}"`);
    return f;
  }
  const head = source.read(0, 4096);
  const f = detectFormat(file, head);
  if (f) return f;
  const what = head.length === 0 ? 'the file is empty' : looksBinary(head) ? 'binary content' : 'text';
  throw new ParseError(file, 'unknown', `no reader recognises this file (${what}; by name, magic bytes or extension)`);
}
