/**
 * Random-access bytes. Readers only ever see a ByteSource, so core stays free of the file
 * system: Node adapters (src/node/) wrap a file descriptor, tests and uploads wrap memory.
 */
export interface ByteSource {
  /** Name shown in errors (a path or a dropped file's name). */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes starting at `offset` (fewer only at the end of the source). */
  read(offset: number, length: number): Uint8Array;
  close?(): void;
}

export class MemorySource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    return this.bytes.subarray(start, Math.min(this.size, start + Math.max(0, length)));
  }
}

export function memorySourceFromText(name: string, text: string): MemorySource {
  return new MemorySource(name, new TextEncoder().encode(text));
}

/** Receives what a writer produces, chunk by chunk. */
export interface ByteSink {
  write(chunk: string | Uint8Array): void;
}

/** A sink that collects text (for tests and small conversions). */
export class StringSink implements ByteSink {
  private parts: string[] = [];
  private decoder = new TextDecoder();
  write(chunk: string | Uint8Array): void {
    this.parts.push(typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
  }
  toString(): string {
    return this.parts.join('');
  }
}
