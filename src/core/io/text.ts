/**
 * Line access to text sources without loading the whole file: a LineReader walks a
 * ByteSource in chunks and hands out lines with their byte offsets (for frame indexes)
 * and 1-based line numbers (for ParseErrors). ASCII/UTF-8 with \n or \r\n endings.
 */
import type { ByteSource } from './source.js';

const CHUNK = 1 << 22; // 4 MiB: large enough to amortise reads, small enough to stay O(frame)

export class LineReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0; // file offset of buf[0]
  private pos = 0; // index into buf of the next unread byte
  private readonly decoder = new TextDecoder('utf-8');
  /** 1-based number of the line returned by the last next(). */
  lineNumber: number;
  /** Byte offset of the start of the line returned by the last next(). */
  lineOffset = 0;

  private size: number;

  constructor(
    private readonly source: ByteSource,
    offset = 0,
    firstLineNumber = 1,
  ) {
    this.size = source.size;
    this.bufStart = offset;
    this.lineNumber = firstLineNumber - 1;
  }

  /** Byte offset of the next line to be read. */
  get offset(): number {
    return this.bufStart + this.pos;
  }

  /** Moves to a byte offset (the start of a line) and sets the number that line will have. */
  seek(offset: number, lineNumber: number): void {
    if (offset >= this.bufStart && offset <= this.bufStart + this.buf.length) {
      this.pos = offset - this.bufStart;
    } else {
      this.buf = new Uint8Array(0);
      this.bufStart = offset;
      this.pos = 0;
    }
    this.lineNumber = lineNumber - 1;
  }

  /** The next line without its end-of-line, or null at the end of the source. */
  next(): string | null {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0) {
        const start = this.pos;
        this.pos = nl + 1;
        return this.emit(start, nl);
      }
      const end = this.bufStart + this.buf.length;
      if (end >= this.size) {
        if (this.pos >= this.buf.length) return null;
        const start = this.pos;
        this.pos = this.buf.length;
        return this.emit(start, this.buf.length);
      }
      this.refill();
    }
  }

  /** Skips n lines; returns how many were actually skipped (fewer at end of source). */
  skip(n: number): number {
    let k = 0;
    for (; k < n; k++) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0) {
        this.lineOffset = this.bufStart + this.pos;
        this.pos = nl + 1;
        this.lineNumber++;
        continue;
      }
      if (this.next() === null) break;
    }
    return k;
  }

  private emit(start: number, nlIndex: number): string {
    this.lineOffset = this.bufStart + start;
    this.lineNumber++;
    let end = nlIndex;
    if (end > start && this.buf[end - 1] === 13) end--;
    return this.decoder.decode(this.buf.subarray(start, end));
  }

  private refill(): void {
    const rest = this.buf.subarray(this.pos);
    const fileOffset = this.bufStart + this.buf.length;
    const more = this.source.read(fileOffset, Math.max(CHUNK, rest.length));
    const next = new Uint8Array(rest.length + more.length);
    next.set(rest, 0);
    next.set(more, rest.length);
    this.bufStart += this.pos;
    this.buf = next;
    this.pos = 0;
    // A source that returns nothing before its stated size has shrunk: stop there.
    if (more.length === 0) this.size = this.bufStart + this.buf.length;
  }
}

/** Splits on any run of whitespace, ignoring leading/trailing whitespace. */
export function splitFields(line: string): string[] {
  const t = line.trim();
  return t.length === 0 ? [] : t.split(/\s+/);
}

/** Strict float parse: the whole token must be a number (Fortran D exponents accepted). */
export function parseFloatStrict(token: string | undefined): number {
  if (token === undefined) return NaN;
  const t = token.trim();
  if (t.length === 0) return NaN;
  const v = Number(t.includes('D') || t.includes('d') ? t.replace(/[dD]/, 'e') : t);
  return v;
}

export function parseIntStrict(token: string | undefined): number {
  if (token === undefined) return NaN;
  const t = token.trim();
  return /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
}

/** The first `n` bytes of a source decoded as latin1 (for sniffing). */
export function headText(head: Uint8Array): string {
  let s = '';
  for (let i = 0; i < head.length; i++) s += String.fromCharCode(head[i]!);
  return s;
}
