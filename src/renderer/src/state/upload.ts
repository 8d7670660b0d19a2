/**
 * Browser mode: a dropped file's bytes go to the server in 4 MiB chunks (the next chunk is
 * read from disk while the current one is on the wire), then the server opens it.
 */
import type { Backend } from '../api/client';
import { ApiError } from '../../../shared/errors';
import type { OpenFile } from '../../../shared/types';

export const CHUNK_BYTES = 4 * 2 ** 20;

export interface UploadOptions {
  signal?: AbortSignal;
  /** Bytes acknowledged by the server so far. */
  onProgress?: (sent: number, total: number) => void;
  /** Called once all bytes are sent, before the server parses the file. */
  onSent?: () => void;
  /** Job id for the parse that follows (progress events, cancel). */
  jobId?: string;
}

function readChunk(file: Blob, offset: number): Promise<Uint8Array<ArrayBuffer>> {
  return file
    .slice(offset, Math.min(offset + CHUNK_BYTES, file.size))
    .arrayBuffer()
    .then((b) => new Uint8Array(b));
}

export async function uploadFile(backend: Backend, file: File, opts: UploadOptions = {}): Promise<OpenFile> {
  const { signal } = opts;
  const cancelled = (): ApiError => new ApiError('cancelled', `${file.name}: upload cancelled`);
  if (signal?.aborted) throw cancelled();
  const { uploadId } = await backend.call('files.uploadBegin', { name: file.name, size: file.size });
  try {
    let offset = 0;
    let next: Promise<Uint8Array<ArrayBuffer>> | null = file.size > 0 ? readChunk(file, 0) : null;
    while (next) {
      const data = await next;
      if (signal?.aborted) throw cancelled();
      const end = offset + data.length;
      next = end < file.size ? readChunk(file, end) : null;
      // The read runs during the send; if the send fails first, its rejection is handled here.
      next?.catch(() => undefined);
      await backend.call('files.uploadChunk', { uploadId, offset, data });
      offset = end;
      opts.onProgress?.(offset, file.size);
    }
    if (signal?.aborted) throw cancelled();
  } catch (e) {
    // Ending an incomplete upload makes the server delete the partial file; its complaint
    // about the missing bytes is expected and dropped.
    await backend.call('files.uploadEnd', { uploadId }).catch(() => undefined);
    throw e;
  }
  opts.onSent?.();
  return backend.call('files.uploadEnd', opts.jobId ? { uploadId, jobId: opts.jobId } : { uploadId });
}
