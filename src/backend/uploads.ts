/**
 * Files dropped in browser mode arrive as chunks of bytes; they are written to a private
 * temporary folder and then opened like any path. Sizes are declared up front and enforced.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiError } from '../shared/errors.js';

interface Upload {
  name: string;
  size: number;
  received: number;
  file: string;
  handle: FileHandle;
}

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly finished = new Set<string>();
  private dir: Promise<string> | null = null;

  private folder(): Promise<string> {
    this.dir ??= mkdtemp(path.join(tmpdir(), 'atomscope-uploads-'));
    return this.dir;
  }

  async begin(name: string, size: number): Promise<string> {
    const id = randomBytes(8).toString('hex');
    const sub = path.join(await this.folder(), id);
    await mkdir(sub);
    const file = path.join(sub, path.basename(name));
    const handle = await open(file, 'w');
    this.uploads.set(id, { name, size, received: 0, file, handle });
    return id;
  }

  async write(id: string, offset: number, data: Uint8Array): Promise<number> {
    const u = this.get(id);
    if (offset + data.length > u.size) {
      throw new ApiError(
        'invalid-input',
        `${u.name}: chunk ends at byte ${offset + data.length}, past the declared size ${u.size}`,
      );
    }
    await u.handle.write(data, 0, data.length, offset);
    u.received += data.length;
    return u.received;
  }

  async finish(id: string): Promise<{ file: string; name: string }> {
    const u = this.get(id);
    await u.handle.close();
    this.uploads.delete(id);
    if (u.received !== u.size) {
      await rm(path.dirname(u.file), { recursive: true, force: true });
      throw new ApiError('invalid-input', `${u.name}: received ${u.received} of ${u.size} bytes`);
    }
    this.finished.add(u.file);
    return { file: u.file, name: u.name };
  }

  /** Deletes an uploaded file once nothing has it open. */
  async release(file: string): Promise<void> {
    if (!this.finished.delete(file)) return;
    await rm(path.dirname(file), { recursive: true, force: true });
  }

  async dispose(): Promise<void> {
    for (const u of this.uploads.values()) await u.handle.close().catch(() => undefined);
    this.uploads.clear();
    if (this.dir) await rm(await this.dir, { recursive: true, force: true });
  }

  private get(id: string): Upload {
    const u = this.uploads.get(id);
    if (!u) throw new ApiError('not-found', `no upload in progress with id ${id}`);
    return u;
  }
}
