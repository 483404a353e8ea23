/**
 * Bounds-checked little-endian reads for the binary readers: every read past the end is a ParseError that names
 * the byte offset and what was being read, never a RangeError from DataView.
 */
import { ParseError } from './parseError.ts';

/** Little-endian field readers over one byte array; each takes an absolute offset and a description. */
export interface BinaryReader {
  readonly bytes: Uint8Array;
  readonly length: number;
  u8(offset: number, what: string): number;
  u16(offset: number, what: string): number;
  u32(offset: number, what: string): number;
  i32(offset: number, what: string): number;
  f32(offset: number, what: string): number;
  f64(offset: number, what: string): number;
  /** A NUL-terminated Latin-1 string of at most `length` bytes, trimmed. */
  str(offset: number, length: number, what: string): string;
  /** Throws unless `[offset, offset + length)` lies inside the data. */
  need(offset: number, length: number, what: string): void;
  fail(offset: number, expected: string, found: string): never;
}

/** Creates the readers for `bytes`, reporting errors under `format`. */
export function binaryReader(bytes: Uint8Array, format: string): BinaryReader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  const fail = (offset: number, expected: string, found: string): never => {
    throw new ParseError({ format, offset, expected, found });
  };
  const need = (offset: number, n: number, what: string): void => {
    if (!(offset >= 0 && n >= 0 && offset + n <= length && Number.isSafeInteger(offset + n))) {
      fail(Math.max(0, Math.min(offset, length)), `${what} (${n} bytes at ${offset})`, `end of file at ${length} bytes`);
    }
  };
  return {
    bytes,
    length,
    need,
    fail,
    u8: (o, w) => (need(o, 1, w), dv.getUint8(o)),
    u16: (o, w) => (need(o, 2, w), dv.getUint16(o, true)),
    u32: (o, w) => (need(o, 4, w), dv.getUint32(o, true)),
    i32: (o, w) => (need(o, 4, w), dv.getInt32(o, true)),
    f32: (o, w) => (need(o, 4, w), dv.getFloat32(o, true)),
    f64: (o, w) => (need(o, 8, w), dv.getFloat64(o, true)),
    str: (o, n, w) => {
      need(o, n, w);
      let s = '';
      for (let k = 0; k < n; k++) {
        const b = bytes[o + k];
        if (b === 0) break;
        s += String.fromCharCode(b);
      }
      return s.trim();
    },
  };
}

/** Reads `n` little-endian float32 values starting at `offset` into a new Float64Array (NaN for non-finite). */
export function float32Column(r: BinaryReader, offset: number, n: number, what: string): Float64Array {
  r.need(offset, n * 4, what);
  const dv = new DataView(r.bytes.buffer, r.bytes.byteOffset + offset, n * 4);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = dv.getFloat32(4 * k, true);
    out[k] = Number.isFinite(v) ? v : NaN;
  }
  return out;
}

/** Equally spaced positions start + k·step (k = 0 … n−1). */
export function stepAxis(start: number, step: number, n: number): Float64Array {
  const x = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const v = start + k * step;
    x[k] = Number.isFinite(v) ? v : NaN;
  }
  return x;
}

/** Rounds a float32-stored value to the decimal it was written from (7 significant digits). */
export function f32Decimal(v: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(7)) : v;
}
