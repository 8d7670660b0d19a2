import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMessage, encodeMessage } from '../src/shared/wire';

describe('wire codec', () => {
  it('round-trips nested typed arrays and JSON values', () => {
    const msg = {
      kind: 'result',
      id: 7,
      value: { numbers: Uint8Array.of(29, 1, 8), positions: Float32Array.of(1.5, -2, 3), cell: [1, 0, 0], s: 'ok' },
      more: [Float64Array.of(Math.PI), Int32Array.of(-1, 2)],
    };
    expect(decodeMessage(encodeMessage(msg))).toEqual(msg);
  });

  it('round-trips any Float64Array at any offset', () => {
    fc.assert(
      fc.property(fc.float64Array({ maxLength: 50, noDefaultInfinity: true, noNaN: true }), fc.string(), (a, s) => {
        const back = decodeMessage(encodeMessage({ s, a })) as { s: string; a: Float64Array };
        expect(back.s).toBe(s);
        expect(Array.from(back.a)).toEqual(Array.from(a));
      }),
    );
  });

  it('rejects references past the end of the message', () => {
    const bytes = encodeMessage({ a: Float64Array.of(1, 2, 3) });
    expect(() => decodeMessage(bytes.subarray(0, bytes.length - 8))).toThrow(/beyond/);
  });
});
