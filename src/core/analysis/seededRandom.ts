/**
 * Deterministic uniform generator on [0, 1) for resampling: a Weyl sequence (step 0x9e3779b9, the golden ratio)
 * passed through MurmurHash3's 32-bit finaliser, the construction of SplitMix (Steele, Lea & Flood, OOPSLA 2014)
 * in 32 bits, so results repeat exactly for a given seed. Not for cryptography.
 *
 * @param seed - any integer; the same seed gives the same sequence.
 * @returns a function returning the next number in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}
