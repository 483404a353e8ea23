/**
 * Agreement factors of a weighted fit (science.md §5; FullProf, GSAS-II, TOPAS and the IUCr share these
 * definitions) and the Bérar–Lelann correction of σ for serially correlated residuals.
 */

/** Agreement factors of one fit; R values are fractions (multiply by 100 for %). */
export interface AgreementFactors {
  /** √(Σ w(y − f)² / Σ w y²). */
  readonly rwp: number;
  /** √(Σ w(y − f)² / Σ w (y − b)²), only when a background b was given (operando backgrounds dominate Rwp). */
  readonly rwpBackgroundSubtracted?: number;
  /** Σ|y − f| / Σ|y|. */
  readonly rp: number;
  /** √((N − P + C) / Σ w y²). */
  readonly rexp: number;
  /** Σ w(y − f)². */
  readonly chi2: number;
  /** χ² / (N − P + C); NaN when N − P + C ≤ 0. */
  readonly chi2red: number;
  /** Goodness of fit S = √χ²_red = Rwp / Rexp. */
  readonly gof: number;
  /** Degrees of freedom N − P + C. */
  readonly degreesOfFreedom: number;
}

/**
 * @param y - observed values.
 * @param f - calculated values, same length.
 * @param w - weights 1/σ², same length; points with w = 0 (excluded regions) drop out of every sum but still count
 *   in N unless the caller removes them — pass only the points that were fitted.
 * @param nParams - P, refined parameters.
 * @param nConstraints - C, constraints between them (default 0).
 * @param background - optional background values for the background-subtracted Rwp.
 */
export function agreementFactors(
  y: ArrayLike<number>,
  f: ArrayLike<number>,
  w: ArrayLike<number>,
  nParams: number,
  nConstraints = 0,
  background?: ArrayLike<number>,
): AgreementFactors {
  const n = y.length;
  if (f.length !== n || w.length !== n || (background && background.length !== n)) {
    throw new RangeError('agreementFactors: y, f, w (and background) must have the same length');
  }
  const chi2 = compensatedSum();
  const wyy = compensatedSum();
  const absDiff = compensatedSum();
  const absY = compensatedSum();
  const wyb = compensatedSum();
  accumulateAgreement(y, f, w, background, chi2, wyy, absDiff, absY, wyb);
  const dof = n - nParams + nConstraints;
  const c = total(chi2);
  const chi2red = dof > 0 ? c / dof : Number.NaN;
  return {
    rwp: Math.sqrt(c / total(wyy)),
    ...(background ? { rwpBackgroundSubtracted: Math.sqrt(c / total(wyb)) } : {}),
    rp: total(absDiff) / total(absY),
    rexp: dof > 0 ? Math.sqrt(dof / total(wyy)) : Number.NaN,
    chi2: c,
    chi2red,
    gof: Math.sqrt(chi2red),
    degreesOfFreedom: dof,
  };
}

/** Serial correlation of weighted residuals and the σ multiplier it implies. */
export interface SerialCorrelation {
  /** Lag-one autocorrelation ρ of the weighted residuals Δ_i = √w_i (y_i − f_i). */
  readonly rho: number;
  /** Durbin–Watson d = Σ(Δ_i − Δ_{i−1})² / Σ Δ_i² ≈ 2(1 − ρ) (2 for uncorrelated residuals). */
  readonly durbinWatson: number;
  /** Multiply least-squares σ by this: √((1 + ρ)/(1 − ρ)) for ρ > 0, 1 otherwise. */
  readonly sigmaFactor: number;
}

/**
 * Bérar–Lelann correction (J. Appl. Cryst. 1991, 24, 1): residuals of neighbouring points in a powder pattern
 * are correlated, so the N points carry fewer independent observations and least-squares σ are optimistic.
 * Implemented in its first-order (AR(1)) form: with ρ the lag-one correlation of the weighted residuals, the
 * variance of a fitted quantity grows by (1 + ρ)/(1 − ρ). Report the corrected σ beside the plain one.
 *
 * @param y - observed values (in scan order).
 * @param f - calculated values.
 * @param w - weights 1/σ².
 */
export function berarLelannFactor(y: ArrayLike<number>, f: ArrayLike<number>, w: ArrayLike<number>): SerialCorrelation {
  const n = y.length;
  if (f.length !== n || w.length !== n) throw new RangeError('berarLelannFactor: y, f, w must have the same length');
  const sumSq = compensatedSum();
  const sumLag = compensatedSum();
  const sumDiff = compensatedSum();
  accumulateSerial(y, f, w, sumSq, sumLag, sumDiff);
  const s = total(sumSq);
  const rho = s > 0 ? total(sumLag) / s : 0;
  const durbinWatson = s > 0 ? total(sumDiff) / s : Number.NaN;
  const sigmaFactor = rho > 0 && rho < 1 ? Math.sqrt((1 + rho) / (1 - rho)) : rho >= 1 ? Number.POSITIVE_INFINITY : 1;
  return { rho, durbinWatson, sigmaFactor };
}

// The loops live in functions of their own that end with them: a function called once per fit with a 7000-point loop
// is optimised mid-loop (on-stack replacement), and code after the loop that never ran has no type feedback, so V8
// threw the optimised code away at every call (59 times in 60 fits) until these were split out.

function accumulateAgreement(
  y: ArrayLike<number>,
  f: ArrayLike<number>,
  w: ArrayLike<number>,
  background: ArrayLike<number> | undefined,
  chi2: CompensatedSum,
  wyy: CompensatedSum,
  absDiff: CompensatedSum,
  absY: CompensatedSum,
  wyb: CompensatedSum,
): void {
  for (let i = 0; i < y.length; i++) {
    const r = y[i] - f[i];
    add(chi2, w[i] * r * r);
    add(wyy, w[i] * y[i] * y[i]);
    add(absDiff, Math.abs(r));
    add(absY, Math.abs(y[i]));
    if (background) {
      const yb = y[i] - background[i];
      add(wyb, w[i] * yb * yb);
    }
  }
}

function accumulateSerial(
  y: ArrayLike<number>,
  f: ArrayLike<number>,
  w: ArrayLike<number>,
  sumSq: CompensatedSum,
  sumLag: CompensatedSum,
  sumDiff: CompensatedSum,
): void {
  let previous = Number.NaN;
  for (let i = 0; i < y.length; i++) {
    const d = Math.sqrt(w[i]) * (y[i] - f[i]);
    add(sumSq, d * d);
    if (i > 0) {
      add(sumLag, d * previous);
      add(sumDiff, (d - previous) * (d - previous));
    }
    previous = d;
  }
}

/** Neumaier running sum (ZAMM 1974, 54, 39) as plain data. */
interface CompensatedSum {
  sum: number;
  compensation: number;
}

function compensatedSum(): CompensatedSum {
  return { sum: 0, compensation: 0 };
}

function add(acc: CompensatedSum, v: number): void {
  const t = acc.sum + v;
  acc.compensation += Math.abs(acc.sum) >= Math.abs(v) ? acc.sum - t + v : v - t + acc.sum;
  acc.sum = t;
}

function total(acc: CompensatedSum): number {
  return acc.sum + acc.compensation;
}
