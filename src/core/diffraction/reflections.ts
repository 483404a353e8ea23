/**
 * Reflection lists: every symmetry-independent hkl allowed by the space group whose d lies in a range,
 * with its Laue multiplicity. Sorted by decreasing d (increasing 2θ).
 */
import { type Cell, inverseDSquared, reciprocalMetricTensor } from './cell.ts';
import { type SpaceGroup, equivalents } from './spaceGroups.ts';

/** One reflection. */
export interface Reflection {
  readonly h: number;
  readonly k: number;
  readonly l: number;
  /** Number of Laue-equivalent hkl (Friedel pairs included). */
  readonly multiplicity: number;
  readonly dAngstrom: number;
}

/**
 * All reflections with dMinAngstrom ≤ d ≤ dMaxAngstrom, one per Laue orbit.
 * Index bounds from |h| ≤ |a|/d_min (h = a · g with |g| = 1/d).
 */
export function generateReflections(
  cell: Cell,
  group: SpaceGroup,
  dMinAngstrom: number,
  dMaxAngstrom = Number.POSITIVE_INFINITY,
): Reflection[] {
  if (!(dMinAngstrom > 0)) throw new RangeError('generateReflections: dMinAngstrom must be > 0');
  const gStar = reciprocalMetricTensor(cell);
  const hMax = Math.ceil(cell.a / dMinAngstrom);
  const kMax = Math.ceil(cell.b / dMinAngstrom);
  const lMax = Math.ceil(cell.c / dMinAngstrom);
  const q2Max = 1 / (dMinAngstrom * dMinAngstrom) * (1 + 1e-12);
  const q2Min = 1 / (dMaxAngstrom * dMaxAngstrom);
  const out: Reflection[] = [];
  for (let h = -hMax; h <= hMax; h++) {
    for (let k = -kMax; k <= kMax; k++) {
      for (let l = -lMax; l <= lMax; l++) {
        if (h === 0 && k === 0 && l === 0) continue;
        const q2 = inverseDSquared(gStar, h, k, l);
        if (q2 > q2Max || q2 < q2Min) continue;
        if (!group.allowed(h, k, l)) continue;
        const eq = equivalents(group.laue, h, k, l);
        if (!eq.canonical) continue;
        out.push({ h, k, l, multiplicity: eq.multiplicity, dAngstrom: 1 / Math.sqrt(q2) });
      }
    }
  }
  out.sort((p, q) => q.dAngstrom - p.dAngstrom || q.h - p.h || q.k - p.k || q.l - p.l);
  return out;
}

/** Reflections from an explicit hkl list (no symmetry): multiplicity 1 unless given. */
export function explicitReflections(
  cell: Cell,
  hkl: readonly (readonly [number, number, number] | readonly [number, number, number, number])[],
): Reflection[] {
  const gStar = reciprocalMetricTensor(cell);
  return hkl
    .map(([h, k, l, m]) => ({ h, k, l, multiplicity: m ?? 1, dAngstrom: 1 / Math.sqrt(inverseDSquared(gStar, h, k, l)) }))
    .sort((p, q) => q.dAngstrom - p.dAngstrom);
}
