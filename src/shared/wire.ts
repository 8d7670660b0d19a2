/**
 * Binary message codec for the WebSocket transport: JSON for structure, typed arrays as
 * raw bytes after it (no base64, no per-element JSON). Layout:
 *   u32 LE JSON byte length | JSON (UTF-8) | padding to 8 | blob 0 | pad | blob 1 | ...
 * In the JSON a typed array is {"$ta": kind, "o": byteOffset, "n": length}.
 */

const KINDS = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type Kind = keyof typeof KINDS;
type AnyTypedArray = InstanceType<(typeof KINDS)[Kind]>;

function kindOf(v: unknown): Kind | null {
  for (const k of Object.keys(KINDS) as Kind[]) if (v instanceof KINDS[k]) return k;
  return null;
}

const align8 = (n: number): number => (n + 7) & ~7;

export function encodeMessage(value: unknown): Uint8Array {
  const blobs: AnyTypedArray[] = [];
  let offset = 0;
  const json = JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    const kind = kindOf(v);
    if (!kind) return v;
    const ta = v as AnyTypedArray;
    const ref = { $ta: kind, o: offset, n: ta.length };
    blobs.push(ta);
    offset = align8(offset + ta.byteLength);
    return ref;
  });
  const head = new TextEncoder().encode(json ?? 'null');
  const start = align8(4 + head.length);
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let o = start;
  for (const b of blobs) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), o);
    o = align8(o + b.byteLength);
  }
  return out;
}

export function decodeMessage(bytes: Uint8Array): unknown {
  if (bytes.length < 4) throw new Error('message too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(0, true);
  if (4 + len > bytes.length) throw new Error('message header longer than the message');
  const json = new TextDecoder().decode(bytes.subarray(4, 4 + len));
  const start = align8(4 + len);
  return JSON.parse(json, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$ta' in v) {
      const r = v as { $ta: string; o: number; n: number };
      const Ctor = KINDS[r.$ta as Kind];
      if (!Ctor || !Number.isInteger(r.o) || !Number.isInteger(r.n) || r.o < 0 || r.n < 0) {
        throw new Error('bad typed-array reference');
      }
      const byteLen = r.n * Ctor.BYTES_PER_ELEMENT;
      const from = start + r.o;
      if (from + byteLen > bytes.length) throw new Error('typed array beyond the end of the message');
      // Copy so the array is aligned and owns its memory.
      const copy = bytes.slice(from, from + byteLen);
      return new Ctor(copy.buffer, 0, r.n);
    }
    return v;
  });
}
