/**
 * Open trajectory readers of one worker, least recently used first out. Scrubbing through a
 * trajectory asks for frame after frame of the same file; reopening would rebuild the frame
 * index (a pass over the whole file) every time. An entry is reused only while the file's
 * size and mtime are unchanged, so a file rewritten on disk is re-indexed.
 */
import { statSync } from 'node:fs';
import type { OpenOptions } from '../../core/io/format.js';
import type { Structure } from '../../core/model/structure.js';
import { openTrajectory, type OpenedFile } from '../../node/open.js';

interface Entry {
  stamp: string;
  file: OpenedFile;
}

export class ReaderCache {
  // Map keeps insertion order; re-inserting on use makes the first key the least recent.
  private readonly entries = new Map<string, Entry>();
  private readonly first = new WeakMap<OpenedFile, Structure>();

  constructor(private readonly capacity = 8) {}

  get size(): number {
    return this.entries.size;
  }

  /** The reader for `path`, opened (and indexed, with `options`' progress/cancel) when needed. */
  open(path: string, options: OpenOptions = {}): OpenedFile {
    const st = statSync(path);
    if (!st.isFile()) throw new Error(`${path}: ${st.isDirectory() ? 'is a directory' : 'is not a regular file'}`);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const hit = this.entries.get(path);
    if (hit) {
      this.entries.delete(path);
      if (hit.stamp === stamp) {
        this.entries.set(path, hit);
        return hit.file;
      }
      closeFile(hit.file);
    }
    const file = openTrajectory(path, options);
    this.entries.set(path, { stamp, file });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
      closeFile(entry.file);
    }
    return file;
  }

  /** Frame 0 of `path`, kept while the file is unchanged (a topology is read on every frame request). */
  firstFrame(path: string): Structure {
    const file = this.open(path);
    const hit = this.first.get(file);
    if (hit) return hit;
    const frame = file.reader.readFrame(0);
    this.first.set(file, frame);
    return frame;
  }

  clear(): void {
    for (const entry of this.entries.values()) closeFile(entry.file);
    this.entries.clear();
  }
}

function closeFile(file: OpenedFile): void {
  file.reader.close();
  file.source.close?.();
}
