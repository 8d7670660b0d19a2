/** Seeded byte-level mutations of corpus files, shared by the fuzz test and replay scripts. */
import { readFileSync } from 'node:fs';
import { corpusPath } from './corpus';

/** Small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = ['-', '.', 'e', 'E+99', '9999999999', 'nan', 'inf', ' ', '\n', '\0', 'ITEM:', '1e308', '-0', '$$$$'];

export function mutate(seedBytes: Uint8Array, random: () => number): Uint8Array {
  const kind = Math.floor(random() * 7);
  const n = seedBytes.length;
  const at = Math.floor(random() * n);
  switch (kind) {
    case 0: // truncate
      return seedBytes.slice(0, at);
    case 1: {
      // flip a few bytes
      const out = seedBytes.slice();
      for (let k = 0, m = 1 + Math.floor(random() * 8); k < m; k++) out[Math.floor(random() * n)] = random() * 256;
      return out;
    }
    case 2: {
      // delete a range
      const len = Math.floor(random() * Math.min(200, n - at));
      const out = new Uint8Array(n - len);
      out.set(seedBytes.subarray(0, at));
      out.set(seedBytes.subarray(at + len), at);
      return out;
    }
    case 3: {
      // insert a nasty token
      const tok = new TextEncoder().encode(NASTY[Math.floor(random() * NASTY.length)]!);
      const out = new Uint8Array(n + tok.length);
      out.set(seedBytes.subarray(0, at));
      out.set(tok, at);
      out.set(seedBytes.subarray(at), at + tok.length);
      return out;
    }
    case 4: {
      // a lying 32-bit integer (both endiannesses) where a binary header count might be
      const out = seedBytes.slice();
      const view = new DataView(out.buffer);
      const pos = Math.min(Math.max(0, n - 4), Math.floor(random() * Math.min(n, 200)) & ~3);
      if (n >= 4) view.setInt32(pos, [0x7fffffff, -1, 1 << 30, 0][Math.floor(random() * 4)]!, random() < 0.5);
      return out;
    }
    case 5: {
      // duplicate a range (repeated lines / frames)
      const len = Math.floor(random() * Math.min(400, n - at));
      const out = new Uint8Array(n + len);
      out.set(seedBytes.subarray(0, at + len));
      out.set(seedBytes.subarray(at), at + len);
      return out;
    }
    default: {
      // replace a digit run with a huge number
      const out = Array.from(seedBytes);
      let i = at;
      while (i < n && (out[i]! < 48 || out[i]! > 57)) i++;
      if (i < n) out.splice(i, 1, ...new TextEncoder().encode('99999999999'));
      return Uint8Array.from(out);
    }
  }
}

/** The bytes of case `index` for a seed (to replay a failure outside the test). */
export function caseBytes(format: string, file: string[], index: number, maxBytes?: number): Uint8Array {
  let seedBytes = new Uint8Array(readFileSync(corpusPath(...file)));
  if (maxBytes) seedBytes = seedBytes.slice(0, maxBytes);
  const random = rng(seedOf(format, seedBytes));
  let bytes: Uint8Array = seedBytes;
  for (let c = 0; c <= index; c++) bytes = mutate(seedBytes, random);
  return bytes;
}

export function seedOf(format: string, seedBytes: Uint8Array): number {
  return 0x5eed + format.length * 7919 + seedBytes.length;
}
