/**
 * Frame indexes (byte offsets of frames) cached on disk, keyed by path, size, mtime and
 * format, so reopening a big trajectory skips the indexing pass. A stale entry is never
 * trusted: any change of size or mtime changes the key.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { FrameIndex } from '../core/io/format.js';

const VERSION = 1;
/** Files smaller than this index in milliseconds; caching them would only litter the disk. */
export const MIN_CACHED_SIZE = 1 << 20;

export function cacheDir(): string {
  const base =
    process.env['ATOMSCOPE_CACHE_DIR'] ??
    path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'atomscope');
  return path.join(base, 'index');
}

export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

function keyOf(stamp: FileStamp, format: string): string {
  return createHash('sha256')
    .update(JSON.stringify([VERSION, path.resolve(stamp.path), stamp.size, stamp.mtimeMs, format]))
    .digest('hex')
    .slice(0, 40);
}

interface Header {
  version: number;
  frames: number;
  hasLines: boolean;
  warnings: string[];
}

export function loadIndex(stamp: FileStamp, format: string): FrameIndex | undefined {
  try {
    const buf = readFileSync(path.join(cacheDir(), keyOf(stamp, format) + '.idx'));
    const headLen = buf.readUInt32LE(0);
    const head = JSON.parse(buf.subarray(4, 4 + headLen).toString('utf8')) as Header;
    if (head.version !== VERSION) return undefined;
    const start = (4 + headLen + 7) & ~7;
    const n = head.frames + 1;
    const need = start + 8 * n + (head.hasLines ? 8 * head.frames : 0);
    if (buf.length !== need) return undefined;
    const data = new Float64Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + need));
    const index: FrameIndex = { offsets: data.subarray(0, n), warnings: head.warnings };
    if (head.hasLines) index.lines = data.subarray(n);
    // A cached index must still end inside the file it describes.
    if (index.offsets[head.frames]! > stamp.size) return undefined;
    return index;
  } catch {
    return undefined;
  }
}

export function saveIndex(stamp: FileStamp, format: string, index: FrameIndex): void {
  if (stamp.size < MIN_CACHED_SIZE) return;
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const frames = index.offsets.length - 1;
    const hasLines = index.lines !== undefined && index.lines.length === frames;
    const head = Buffer.from(JSON.stringify({ version: VERSION, frames, hasLines, warnings: index.warnings }));
    const start = (4 + head.length + 7) & ~7;
    const out = Buffer.alloc(start + 8 * (frames + 1) + (hasLines ? 8 * frames : 0));
    out.writeUInt32LE(head.length, 0);
    head.copy(out, 4);
    Buffer.from(index.offsets.buffer, index.offsets.byteOffset, index.offsets.byteLength).copy(out, start);
    if (hasLines) {
      const lines = index.lines!;
      Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).copy(out, start + 8 * (frames + 1));
    }
    const file = path.join(dir, keyOf(stamp, format) + '.idx');
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, out);
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs time on the next open.
  }
}
