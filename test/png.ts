// Test helpers for figures: a small PNG decoder (IHDR + pixels) and the data-curve paths of an SVG.
import { inflateSync } from 'node:zlib';
import { CURVE_WIDTH, PALETTE } from '../src/node/figures/figure';

/** Width, height, colour type and the RGBA/RGB pixels of a PNG (8-bit, non-interlaced). */
export function decodePng(png: Uint8Array): { width: number; height: number; colourType: number; pixels: Uint8Array } {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => png[i] === b)) throw new Error('not a PNG (bad signature)');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Uint8Array[] = [];
  while (offset < png.length) {
    const len = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      if (data[8] !== 8) throw new Error(`bit depth ${data[8]}, only 8 is decoded`);
      colourType = data[9]!;
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + len;
  }
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : colourType === 4 ? 2 : 1;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      let p = line[i]!;
      if (filter === 1) p += a;
      else if (filter === 2) p += b;
      else if (filter === 3) p += (a + b) >> 1;
      else if (filter === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        p += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[i] = p & 255;
    }
    pixels.set(out, y * stride);
    prev = out;
  }
  return { width, height, colourType, pixels };
}

/** `<path>` elements drawn in a palette colour at the curve line width: the data curves. */
export function curvePaths(svg: string): { colour: string; segments: number }[] {
  const out: { colour: string; segments: number }[] = [];
  for (const m of svg.matchAll(/<path\b[^>]*>/g)) {
    const tag = m[0];
    const stroke = /stroke="([^"]+)"/.exec(tag)?.[1];
    const width = /stroke-width="([^"]+)"/.exec(tag)?.[1];
    const d = /\bd="([^"]+)"/.exec(tag)?.[1] ?? '';
    if (!stroke || !PALETTE.includes(stroke) || Number(width) !== CURVE_WIDTH) continue;
    out.push({ colour: stroke, segments: (d.match(/L/g) ?? []).length });
  }
  return out;
}
