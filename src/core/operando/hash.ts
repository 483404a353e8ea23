/**
 * 64-bit FNV-1a (Fowler–Noll–Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3), computed on
 * two 32-bit halves
 * so that hashing a 500 kB pattern needs no BigInt. A cache key, not a cryptographic hash.
 */

const PRIME_LOW = 0x1b3;
const TWO32 = 4294967296;

/** Running FNV-1a 64 state: the high and low 32-bit halves. */
export interface Fnv64State {
  hi: number;
  lo: number;
}

/** A fresh FNV-1a 64 state (the offset basis). */
export function fnv1a64Init(): Fnv64State {
  return { hi: 0xcbf29ce4, lo: 0x84222325 };
}

/** Feeds bytes (or the UTF-8 bytes of a string) into the state and returns it. */
export function fnv1a64Update(state: Fnv64State, data: Uint8Array | string): Fnv64State {
  const bytes = typeof data === 'string' ? utf8Bytes(data) : data;
  let hi = state.hi;
  let lo = state.lo;
  for (let i = 0; i < bytes.length; i++) {
    lo = (lo ^ bytes[i]) >>> 0;
    // (hi·2³² + lo)(2⁴⁰ + 0x1b3) mod 2⁶⁴ = hi·0x1b3·2³² + lo·0x1b3 + lo·2⁴⁰; lo·0x1b3 < 2⁴¹ is
    // exact in a double.
    const t = lo * PRIME_LOW;
    const carry = Math.floor(t / TWO32);
    hi = (Math.imul(hi, PRIME_LOW) + carry + (lo << 8)) >>> 0;
    lo = t >>> 0;
  }
  state.hi = hi;
  state.lo = lo;
  return state;
}

/** The state as 16 lowercase hex digits. */
export function fnv1a64Hex(state: Fnv64State): string {
  return state.hi.toString(16).padStart(8, '0') + state.lo.toString(16).padStart(8, '0');
}

/** FNV-1a 64 of bytes or of a string's UTF-8 bytes, as 16 hex digits ('' → 'cbf29ce484222325'). */
export function fnv1a64(data: Uint8Array | string): string {
  return fnv1a64Hex(fnv1a64Update(fnv1a64Init(), data));
}

/**
 * UTF-8 bytes of a string (lone surrogates as U+FFFD), without TextEncoder so the core needs no DOM
 * typings.
 */
function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}
