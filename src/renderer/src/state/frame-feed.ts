/**
 * Frames from the backend to the viewer, latest-wins: at most one `frames.read` in flight;
 * while it runs, newer requests replace each other and only the newest is sent next; a
 * reply that is no longer the latest request is dropped, not drawn. So a slider dragged
 * fast costs one round trip at a time and always ends on the frame it stopped at.
 * A small byte-bounded LRU cache makes back-and-forth scrubbing and looped playback instant.
 */
import type { FrameData } from '../../../shared/types';

export interface FrameRequest {
  fileId: string;
  index: number;
  seq: number;
}

export class FrameCache {
  private readonly map = new Map<string, FrameData>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  private static key(fileId: string, index: number): string {
    return `${fileId}\u0000${index}`;
  }

  private static size(f: FrameData): number {
    let bytes = f.numbers.byteLength + f.positions.byteLength + (f.bonds?.byteLength ?? 0) + 128;
    for (const col of Object.values(f.atomProperties ?? {})) bytes += col.byteLength;
    for (const col of Object.values(f.atomLabels ?? {})) bytes += col.codes.byteLength + 16 * col.labels.length;
    return bytes;
  }

  get(fileId: string, index: number): FrameData | undefined {
    const k = FrameCache.key(fileId, index);
    const f = this.map.get(k);
    if (f) {
      // Refresh its LRU position.
      this.map.delete(k);
      this.map.set(k, f);
    }
    return f;
  }

  put(fileId: string, frame: FrameData): void {
    const size = FrameCache.size(frame);
    if (size > this.budget / 4) return; // huge frames are not worth caching
    const k = FrameCache.key(fileId, frame.index);
    const old = this.map.get(k);
    if (old) {
      this.bytes -= FrameCache.size(old);
      this.map.delete(k);
    }
    this.map.set(k, frame);
    this.bytes += size;
    for (const [key, f] of this.map) {
      if (this.bytes <= this.budget) break;
      this.map.delete(key);
      this.bytes -= FrameCache.size(f);
    }
  }

  dropFile(fileId: string): void {
    const prefix = `${fileId}\u0000`;
    for (const [key, f] of this.map) {
      if (key.startsWith(prefix)) {
        this.map.delete(key);
        this.bytes -= FrameCache.size(f);
      }
    }
  }
}

export interface FrameFeedOptions {
  read: (fileId: string, index: number) => Promise<FrameData>;
  deliver: (req: FrameRequest, frame: FrameData) => void;
  fail: (req: FrameRequest, error: unknown) => void;
  cacheBytes?: number;
}

export class FrameFeed {
  private seq = 0;
  private latest: FrameRequest | null = null;
  private queued: FrameRequest | null = null;
  private busy = false;
  private readonly cache: FrameCache;
  /** Bumped by dropFile: a read started before must not refill the cache with stale data. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly opts: FrameFeedOptions) {
    this.cache = new FrameCache(opts.cacheBytes ?? 64 * 2 ** 20);
  }

  /** True while a read is in flight or queued. */
  get loading(): boolean {
    return this.busy || this.queued !== null;
  }

  request(fileId: string, index: number): FrameRequest {
    const req: FrameRequest = { fileId, index, seq: ++this.seq };
    this.latest = req;
    const cached = this.cache.get(fileId, index);
    if (cached) {
      this.queued = null;
      this.opts.deliver(req, cached);
      return req;
    }
    this.queued = req;
    void this.pump();
    return req;
  }

  /**
   * Forgets pending work and cached frames of a file (closed, or its frames changed: a
   * trajectory that gained or lost its topology). A read in flight is not cached when it ends.
   */
  dropFile(fileId: string): void {
    this.generation.set(fileId, (this.generation.get(fileId) ?? 0) + 1);
    this.cache.dropFile(fileId);
    if (this.queued?.fileId === fileId) this.queued = null;
    if (this.latest?.fileId === fileId) this.latest = null;
  }

  private isLatest(req: FrameRequest): boolean {
    return this.latest !== null && this.latest.seq === req.seq;
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    const req = this.queued;
    if (!req) return;
    this.queued = null;
    this.busy = true;
    const generation = this.generation.get(req.fileId) ?? 0;
    try {
      const frame = await this.opts.read(req.fileId, req.index);
      if ((this.generation.get(req.fileId) ?? 0) === generation) this.cache.put(req.fileId, frame);
      if (this.isLatest(req)) this.opts.deliver(req, frame);
    } catch (e) {
      if (this.isLatest(req)) this.opts.fail(req, e);
    } finally {
      this.busy = false;
    }
    void this.pump();
  }
}
