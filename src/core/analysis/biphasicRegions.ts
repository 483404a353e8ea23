/**
 * Biphasic regions along a series from phase presence (e.g. LiNiO2's H1 → M → H2 → H3, with two-phase regions in
 * between): runs of consecutive patterns in which at least two phases are present.
 */

/** One phase's refined scale (or weight fraction) per pattern. */
export interface PhaseTrack {
  readonly name: string;
  /** Scale or weight fraction per pattern; NaN or ≤ 0 where the phase was not refined. */
  readonly scale: ArrayLike<number>;
}

/** A run of patterns with coexisting phases. */
export interface BiphasicRegion {
  /** First and last pattern index of the run (inclusive). */
  readonly startIndex: number;
  readonly endIndex: number;
  /** c_Li at the two ends. */
  readonly cLiStart: number;
  readonly cLiEnd: number;
  /** Phases present throughout the run. */
  readonly phases: readonly string[];
}

/**
 * A phase counts as present in a pattern when its scale exceeds `threshold` × its own maximum over the series
 * (default 5 %), so a phase refined to a vanishing scale does not count.
 *
 * @param cLi - lithium content per pattern.
 * @param phases - the phases' scale tracks, each of cLi's length.
 * @param threshold - presence threshold as a fraction of each phase's maximum.
 */
export function biphasicRegions(cLi: ArrayLike<number>, phases: readonly PhaseTrack[], threshold = 0.05): BiphasicRegion[] {
  const n = cLi.length;
  for (const p of phases) if (p.scale.length !== n) throw new RangeError(`biphasicRegions: ${p.name} has the wrong length`);
  const max = phases.map((p) => {
    let m = 0;
    for (let i = 0; i < n; i++) if (p.scale[i] > m) m = p.scale[i];
    return m;
  });
  const presentAt = (i: number): string[] =>
    phases.filter((p, k) => max[k] > 0 && p.scale[i] > threshold * max[k]).map((p) => p.name);
  const regions: BiphasicRegion[] = [];
  let i = 0;
  while (i < n) {
    const here = presentAt(i);
    if (here.length < 2) {
      i++;
      continue;
    }
    const key = here.join('\u0000');
    let j = i;
    while (j + 1 < n && presentAt(j + 1).join('\u0000') === key) j++;
    regions.push({ startIndex: i, endIndex: j, cLiStart: cLi[i], cLiEnd: cLi[j], phases: here });
    i = j + 1;
  }
  return regions;
}
