/**
 * Deterministic uniform generator on [0, 1) for resampling: the SplitMix32-style mixer of a Weyl sequence
 * (Steele, Lea & Flood, OOPSLA 2014, 32-bit variant), so results repeat exactly for a given seed.
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
