/**
 * Strain from lithiation heterogeneity, eqn (1) of Jousseaume et al. (Energy Environ. Sci. 2024, 17, 2753):
 * ε(c_Li, Δc_Li) = |f(c_Li − Δc_Li/2) − f(c_Li + Δc_Li/2)| / f(c_Li), with f the smoothed a(c_Li) (giving ε^a) or
 * c(c_Li) (giving ε^c), interpolated linearly between samples.
 */
import { interpolateLinear } from '../operando/interpolate.ts';
import { rollingMean } from './rollingMean.ts';

/** ε for one Δc_Li over the evaluation points. */
export interface HeterogeneityStrainCurve {
  /** Spread of lithium content Δc_Li (mol Li per formula unit). */
  readonly deltaCLi: number;
  /** Evaluation points c_Li. */
  readonly cLi: Float64Array;
  /** Dimensionless strain; NaN where c_Li ± Δc_Li/2 leaves the data (no extrapolation). */
  readonly strain: Float64Array;
}

/**
 * @param cLi - strictly increasing c_Li of the smoothed curve.
 * @param smoothed - f(c_Li), e.g. the rolling mean of a in Å (any unit: ε is a ratio).
 * @param deltas - the Δc_Li values to evaluate (≥ 0).
 * @param at - evaluation points (default: the samples `cLi`).
 */
export function heterogeneityStrain(
  cLi: ArrayLike<number>,
  smoothed: ArrayLike<number>,
  deltas: readonly number[],
  at: ArrayLike<number> = cLi,
): HeterogeneityStrainCurve[] {
  if (cLi.length !== smoothed.length) throw new RangeError('heterogeneityStrain: c_Li and f differ in length');
  for (let i = 1; i < cLi.length; i++) {
    if (!(cLi[i] > cLi[i - 1])) throw new RangeError('heterogeneityStrain: c_Li must be strictly increasing');
  }
  const xs = Float64Array.from(cLi);
  const ys = Float64Array.from(smoothed);
  const points = Float64Array.from(at);
  return deltas.map((delta) => {
    if (!(delta >= 0)) throw new RangeError(`heterogeneityStrain: Δc_Li must be ≥ 0, got ${delta}`);
    const strain = new Float64Array(points.length);
    for (let i = 0; i < points.length; i++) {
      const c = points[i];
      const lo = interpolateLinear(xs, ys, c - delta / 2);
      const hi = interpolateLinear(xs, ys, c + delta / 2);
      const mid = interpolateLinear(xs, ys, c);
      strain[i] = Math.abs(lo - hi) / mid;
    }
    return { deltaCLi: delta, cLi: points, strain };
  });
}

/** ε^a and ε^c curves of one branch. */
export interface LatticeHeterogeneityStrain {
  readonly a: HeterogeneityStrainCurve[];
  readonly c: HeterogeneityStrainCurve[];
}

/**
 * Eqn (1) for both lattice parameters of one branch: a and c are smoothed by the centred rolling mean first
 * (`rollingMean.ts`), as in the paper, then {@link heterogeneityStrain} is evaluated at the samples.
 *
 * @param cLi - strictly increasing c_Li (merge rests and sort first).
 * @param a - refined a in Å. @param c - refined c in Å.
 * @param deltas - Δc_Li values. @param window - odd rolling-mean window in samples (default 7).
 */
export function latticeHeterogeneityStrain(
  cLi: ArrayLike<number>,
  a: ArrayLike<number>,
  c: ArrayLike<number>,
  deltas: readonly number[],
  window = 7,
): LatticeHeterogeneityStrain {
  return {
    a: heterogeneityStrain(cLi, rollingMean(a, window), deltas),
    c: heterogeneityStrain(cLi, rollingMean(c, window), deltas),
  };
}
