// ByteSource over a file descriptor: reads only what a reader asks for.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MemorySource, type ByteSource } from '../core/io/source.js';

export class FileSource implements ByteSource {
  readonly size: number;
  readonly mtimeMs: number;
  private fd: number | null;

  constructor(readonly name: string) {
    this.fd = openSync(name, 'r');
    const st = fstatSync(this.fd);
    this.size = st.size;
    this.mtimeMs = st.mtimeMs;
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === null) throw new Error(`${this.name}: read after close`);
    const start = Math.max(0, Math.min(offset, this.size));
    const n = Math.max(0, Math.min(length, this.size - start));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = readSync(this.fd, buf, got, n - got, start + got);
      if (k === 0) break;
      got += k;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Opens a path as a ByteSource. Gzip files are inflated into memory (gzip has no random
 * access); everything else is read on demand.
 */
export function openSource(file: string): ByteSource {
  if (/\.gz$/i.test(file)) {
    return new MemorySource(file, gunzipSync(readFileSync(file)));
  }
  return new FileSource(file);
}

export function displayName(file: string): string {
  return path.basename(file);
}
