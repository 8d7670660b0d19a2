/**
 * Line access to text sources without loading the whole file: a LineReader walks a
 * ByteSource in chunks and hands out lines with their byte offsets (for frame indexes)
 * and 1-based line numbers (for ParseErrors). ASCII/UTF-8 with \n or \r\n endings.
 */
import type { ByteSource } from './source.js';

const CHUNK = 1 << 22; // 4 MiB: large enough to amortise reads, small enough to stay O(frame)

export class LineReader {
  private buf: Uint8Array = new Uint8Array(0);
  /** buf's 4-byte-aligned middle as words, for counting newlines four bytes at a time. */
  private words: Int32Array = new Int32Array(0);
  /** Index into buf of the first byte of words[0]. */
  private wordsAt = 0;
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
      this.setBuffer(new Uint8Array(0));
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

  /**
   * Skips n lines; returns how many were actually skipped (fewer at end of source). Afterwards
   * lineOffset is the start of the last line skipped, as if each had been read with next().
   */
  skip(n: number): number {
    let k = 0;
    while (k < n) {
      const from = this.pos;
      const nl = findNewline(this.buf, this.words, this.wordsAt, from, n - k);
      if (nl >= 0) {
        this.lineOffset = this.bufStart + lineStart(this.buf, from, nl);
        this.lineNumber += n - k;
        this.pos = nl + 1;
        return n;
      }
      const found = -1 - nl;
      if (found > 0) {
        // Fewer than wanted: skip those, keep the unfinished line that ends the buffer.
        const last = this.buf.lastIndexOf(10);
        this.lineOffset = this.bufStart + lineStart(this.buf, from, last);
        this.lineNumber += found;
        this.pos = last + 1;
        k += found;
      }
      if (this.bufStart + this.buf.length >= this.size) {
        // A last line without a newline still counts, as next() returns it.
        if (this.pos < this.buf.length) {
          this.lineOffset = this.bufStart + this.pos;
          this.lineNumber++;
          this.pos = this.buf.length;
          k++;
        }
        break;
      }
      this.refill();
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
    const offset = this.bufStart + this.pos;
    const have = this.buf.length - this.pos;
    // The unread tail (a partial line) is read again with the next chunk rather than copied
    // in front of it: sources are random access, and the copy cost as much as the read.
    const next = this.source.read(offset, have + Math.max(CHUNK, have));
    if (next.length > have) this.setBuffer(next);
    else {
      // A source that returns nothing past what we hold has shrunk: stop there.
      this.setBuffer(this.buf.subarray(this.pos));
      this.size = offset + have;
    }
    this.bufStart = offset;
    this.pos = 0;
  }

  private setBuffer(buf: Uint8Array): void {
    this.buf = buf;
    // Typed-array views over words must start at a multiple of 4 in the underlying buffer.
    const at = -buf.byteOffset & 3;
    const count = buf.length > at ? (buf.length - at) >> 2 : 0;
    // (An empty view is made apart: an offset past the end of the buffer is a RangeError.)
    this.words = count > 0 ? new Int32Array(buf.buffer, buf.byteOffset + at, count) : new Int32Array(0);
    this.wordsAt = at;
  }
}

/**
 * Index in buf of the `want`-th newline at or after `from`, or -1 - (the number found) when
 * the buffer has fewer. `words` views buf from index `wordsAt` on: the bulk of the text is
 * counted four bytes per step, about 1.5x faster than an indexOf() call per ~100-byte line.
 */
function findNewline(buf: Uint8Array, words: Int32Array, wordsAt: number, from: number, want: number): number {
  const end = buf.length;
  let left = want;
  let i = from;
  while (i < end && ((i - wordsAt) & 3) !== 0) {
    if (buf[i] === 10 && --left === 0) return i;
    i++;
  }
  if (i < end) {
    // i is word-aligned here
    const w = countWords(words, (i - wordsAt) >> 2, left);
    left = wordsLeft;
    i = wordsAt + 4 * w;
  }
  for (; i < end; i++) if (buf[i] === 10 && --left === 0) return i;
  return -1 - (want - left);
}

const NEWLINES = 0x0a0a0a0a;
const LOW7 = 0x7f7f7f7f;

/** How many newlines were still wanted at the word countWords() returned. */
let wordsLeft = 0;

/**
 * From words[w] on, counts newlines until the word that holds the `left`-th; returns that
 * word's index, or words.length when there is none, and leaves in wordsLeft how many are
 * still wanted when that word is reached. The loop is alone in this function, with nothing
 * after it that needs type feedback: when V8 (Node 20) compiled it on stack in its first
 * call, a feedback-less operation after the loop made every later call deoptimise.
 */
function countWords(words: Int32Array, w: number, left: number): number {
  const wEnd = words.length;
  for (; w < wEnd; w++) {
    const t = words[w]! ^ NEWLINES; // newline bytes become zero bytes
    if (((t - 0x01010101) & ~t & 0x80808080) === 0) continue; // no zero byte
    // Exactly 0x80 in each zero byte (the test above can also flag a byte next to a zero).
    const zeros = ~(((t & LOW7) + LOW7) | t | LOW7);
    const count = Math.imul(zeros >>> 7, 0x01010101) >>> 24;
    if (count >= left) break;
    left -= count;
  }
  wordsLeft = left;
  return w;
}

/** Start of the line that ends at buf[nl] (a line starts at `from` or after a newline). */
function lineStart(buf: Uint8Array, from: number, nl: number): number {
  let s = nl;
  while (s > from && buf[s - 1] !== 10) s--;
  return s;
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
