/**
 * The strain master curve (Jousseaume et al. 2024, Fig. 7): ε(c_Li) = ε₀ for c_Li ≥ c*, and
 * ε₀ + A(exp((c* − c_Li)/λ) − 1) below. Several series share λ and c* (one curve for all materials and C-rates)
 * while each keeps its own ε₀ and A. Below c* only A·exp(c* / λ) is well determined, so c* is not refined as an
 * ordinary parameter: the fit is profiled over c* (every other parameter re-fitted at each trial c*) and σ(c*) is
 * read where the profile rises by Δχ² = 1 (Wilks; with unknown data σ the χ² is first scaled to χ²_red = 1).
 */
import { levenbergMarquardt } from '../fit/levenbergMarquardt.ts';
import type { ContentStatus } from './characteristicContents.ts';

/** One series of refined strain against c_Li. */
export interface MasterCurveSeries {
  readonly name?: string;
  readonly cLi: ArrayLike<number>;
  /** Refined ε_001 (dimensionless, FWHM of Δd/d). */
  readonly strain: ArrayLike<number>;
  /** σ of each strain; used as weights 1/σ² only when every series has them all finite and > 0. */
  readonly sigma?: ArrayLike<number>;
}

/** Options of {@link fitMasterCurve}; defaults in {@link MASTER_CURVE_DEFAULTS}. */
export interface MasterCurveOptions {
  /** Trial values of c* spread evenly over the data's c_Li range before refinement. */
  readonly gridPoints: number;
}

/** Defaults: 81 trial c* values. */
export const MASTER_CURVE_DEFAULTS: MasterCurveOptions = { gridPoints: 81 };

/** Result of the master-curve fit. */
export interface MasterCurveFit {
  /** Per series, in input order. σ of ε₀, A and λ are those of the fit at the best c*, i.e. conditional on c*. */
  readonly eps0: number[];
  readonly eps0Sigma: number[];
  readonly A: number[];
  readonly ASigma: number[];
  /** Decay length λ in units of c_Li, shared. */
  readonly lambda: number;
  readonly lambdaSigma: number;
  /** Onset c* (c_Li), shared, and its profile-likelihood σ (mean of the two half-widths found). */
  readonly cStar: number;
  readonly cStarSigma: number;
  /**
   * 'boundary' when the best c* is an end of the trial range; 'none' when the growth below c* is not significant:
   * the flat model (one ε₀ per series) is worse by less than Δχ² = 9.21 (χ² with 2 degrees of freedom at 99 %, in
   * units of `deltaChi2`).
   */
  readonly cStarStatus: ContentStatus;
  readonly chi2: number;
  readonly chi2red: number;
  /** The Δχ² used for σ(c*): 1 with data σ, else χ²_min/(N − P). */
  readonly deltaChi2: number;
  /** The profile χ²(c*) on the trial grid. */
  readonly profile: { readonly cStar: Float64Array; readonly chi2: Float64Array };
}

interface Pooled {
  readonly c: Float64Array;
  readonly y: Float64Array;
  readonly w: Float64Array | undefined;
  readonly series: Int32Array;
  readonly count: number;
}

interface FixedFit {
  readonly chi2: number;
  readonly values: Float64Array;
  readonly sigma: Float64Array;
}

/**
 * @param series - one or more series.
 * @param options - overrides of {@link MASTER_CURVE_DEFAULTS}.
 * @throws RangeError when there are fewer points than parameters + 2.
 */
export function fitMasterCurve(series: readonly MasterCurveSeries[], options: Partial<MasterCurveOptions> = {}): MasterCurveFit {
  const o = { ...MASTER_CURVE_DEFAULTS, ...options };
  const data = pool(series);
  const S = series.length;
  const P = 2 * S + 2; // λ, (ε₀, A) per series, and c*
  const N = data.y.length;
  if (N < P + 2) throw new RangeError(`fitMasterCurve: ${N} points cannot fix ${P} parameters`);
  let cMin = Number.POSITIVE_INFINITY;
  let cMax = Number.NEGATIVE_INFINITY;
  for (const c of data.c) {
    cMin = Math.min(cMin, c);
    cMax = Math.max(cMax, c);
  }
  const range = cMax - cMin;
  const fitAt = (cStar: number): FixedFit => fitFixedOnset(data, S, cStar, range);

  const G = Math.max(5, o.gridPoints);
  const grid = new Float64Array(G);
  const profile = new Float64Array(G);
  let best = 0;
  for (let k = 0; k < G; k++) {
    grid[k] = cMin + (k / (G - 1)) * range;
    profile[k] = fitAt(grid[k]).chi2;
    if (profile[k] < profile[best]) best = k;
  }
  // Golden-section refinement between the neighbours of the best trial.
  let lo = grid[Math.max(0, best - 1)];
  let hi = grid[Math.min(G - 1, best + 1)];
  const phi = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - phi * (hi - lo);
  let x2 = lo + phi * (hi - lo);
  let f1 = fitAt(x1).chi2;
  let f2 = fitAt(x2).chi2;
  for (let it = 0; it < 40 && hi - lo > 1e-9 * Math.max(1, range); it++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - phi * (hi - lo);
      f1 = fitAt(x1).chi2;
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + phi * (hi - lo);
      f2 = fitAt(x2).chi2;
    }
  }
  let cStar = f1 <= f2 ? x1 : x2;
  let fit = fitAt(cStar);
  if (profile[best] < fit.chi2) {
    cStar = grid[best];
    fit = fitAt(cStar);
  }
  const chi2 = fit.chi2;
  const dof = N - P;
  const chi2red = chi2 / dof;
  const deltaChi2 = data.w ? 1 : chi2red;
  const level = chi2 + deltaChi2;

  const crossing = (direction: -1 | 1): number => {
    // Walk the grid outwards to the first trial above the level, then bisect between it and the point inside.
    let inside = cStar;
    for (let k = best; k >= 0 && k < G; k += direction) {
      if ((direction < 0 && grid[k] >= cStar) || (direction > 0 && grid[k] <= cStar)) continue;
      if (profile[k] > level) {
        let a = inside;
        let b = grid[k];
        for (let it = 0; it < 40; it++) {
          const m = 0.5 * (a + b);
          if (fitAt(m).chi2 > level) b = m;
          else a = m;
        }
        return Math.abs(0.5 * (a + b) - cStar);
      }
      inside = grid[k];
    }
    return Number.NaN;
  };
  const left = crossing(-1);
  const right = crossing(1);
  const halfWidths = [left, right].filter((v) => Number.isFinite(v));
  const cStarSigma = halfWidths.length
    ? halfWidths.reduce((s, v) => s + v, 0) / halfWidths.length
    : Number.POSITIVE_INFINITY;

  const eps0: number[] = [];
  const eps0Sigma: number[] = [];
  const A: number[] = [];
  const ASigma: number[] = [];
  for (let s = 0; s < S; s++) {
    eps0.push(fit.values[1 + 2 * s]);
    eps0Sigma.push(fit.sigma[1 + 2 * s]);
    A.push(fit.values[2 + 2 * s]);
    ASigma.push(fit.sigma[2 + 2 * s]);
  }
  const grows = A.some((a) => a > 0) && (flatChi2(data) - chi2) / deltaChi2 > 9.21;
  const atEdge = best === 0 || best === G - 1 || cStar <= grid[0] || cStar >= grid[G - 1];
  let cStarStatus: ContentStatus = 'interior';
  if (!grows) cStarStatus = 'none';
  else if (atEdge) cStarStatus = 'boundary';
  return {
    eps0,
    eps0Sigma,
    A,
    ASigma,
    lambda: fit.values[0],
    lambdaSigma: fit.sigma[0],
    cStar,
    cStarSigma,
    cStarStatus,
    chi2,
    chi2red,
    deltaChi2,
    profile: { cStar: grid, chi2: profile },
  };
}

function pool(series: readonly MasterCurveSeries[]): Pooled {
  const c: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  const index: number[] = [];
  let weighted = series.length > 0;
  series.forEach((s, k) => {
    if (s.cLi.length !== s.strain.length || (s.sigma && s.sigma.length !== s.cLi.length)) {
      throw new RangeError(`fitMasterCurve: series ${s.name ?? k} has columns of different lengths`);
    }
    for (let i = 0; i < s.cLi.length; i++) {
      if (!Number.isFinite(s.cLi[i]) || !Number.isFinite(s.strain[i])) continue;
      c.push(s.cLi[i]);
      y.push(s.strain[i]);
      index.push(k);
      const sg = s.sigma?.[i];
      if (sg !== undefined && sg > 0 && Number.isFinite(sg)) w.push(1 / (sg * sg));
      else weighted = false;
    }
  });
  return {
    c: Float64Array.from(c),
    y: Float64Array.from(y),
    w: weighted ? Float64Array.from(w) : undefined,
    series: Int32Array.from(index),
    count: series.length,
  };
}

/** Least squares at a fixed c*: θ = [λ, ε₀₁, A₁, ε₀₂, A₂, …], λ > 0 and A ≥ 0 by bounds. */
function fitFixedOnset(data: Pooled, S: number, cStar: number, range: number): FixedFit {
  const n = data.y.length;
  const P = 1 + 2 * S;
  const start = new Float64Array(P);
  const lower = new Float64Array(P).fill(Number.NEGATIVE_INFINITY);
  const upper = new Float64Array(P).fill(Number.POSITIVE_INFINITY);
  const lambda0 = 0.1 * range;
  start[0] = lambda0;
  lower[0] = 1e-3 * range;
  upper[0] = 10 * range;
  for (let s = 0; s < S; s++) {
    // ε₀ from the flat part (median above c*), A from the point of lowest c_Li.
    const flat: number[] = [];
    let cLow = Number.POSITIVE_INFINITY;
    let yLow = Number.NaN;
    let all: number[] = [];
    for (let i = 0; i < n; i++) {
      if (data.series[i] !== s) continue;
      all.push(data.y[i]);
      if (data.c[i] >= cStar) flat.push(data.y[i]);
      if (data.c[i] < cLow) {
        cLow = data.c[i];
        yLow = data.y[i];
      }
    }
    if (flat.length === 0) all = all.slice().sort((a, b) => a - b).slice(0, 1);
    const e0 = median(flat.length ? flat : all);
    start[1 + 2 * s] = e0;
    const e = cLow < cStar ? Math.expm1((cStar - cLow) / lambda0) : 0;
    start[2 + 2 * s] = e > 0 ? Math.max(0, (yLow - e0) / e) : 0;
    lower[2 + 2 * s] = 0;
  }
  const result = levenbergMarquardt(
    {
      y: data.y,
      weights: data.w,
      start,
      lower,
      upper,
      model(t, out) {
        const lambda = t[0];
        for (let i = 0; i < n; i++) {
          const s = data.series[i];
          const d = cStar - data.c[i];
          out[i] = t[1 + 2 * s] + (d > 0 ? t[2 + 2 * s] * Math.expm1(d / lambda) : 0);
        }
      },
      jacobian(t, _f, jac) {
        const lambda = t[0];
        for (let i = 0; i < n; i++) {
          const s = data.series[i];
          const d = cStar - data.c[i];
          jac[(1 + 2 * s) * n + i] = 1;
          if (d > 0) {
            const ex = Math.exp(d / lambda);
            jac[i] = (-t[2 + 2 * s] * ex * d) / (lambda * lambda);
            jac[(2 + 2 * s) * n + i] = ex - 1;
          }
        }
      },
    },
    { maxIterations: 500 },
  );
  return { chi2: result.chi2, values: result.values, sigma: result.sigma };
}

/** χ² of the flat model: each series at its own weighted mean. */
function flatChi2(data: Pooled): number {
  let total = 0;
  for (let s = 0; s < data.count; s++) {
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < data.y.length; i++) {
      if (data.series[i] !== s) continue;
      const w = data.w ? data.w[i] : 1;
      sw += w;
      swy += w * data.y[i];
    }
    const mean = swy / sw;
    for (let i = 0; i < data.y.length; i++) {
      if (data.series[i] !== s) continue;
      const w = data.w ? data.w[i] : 1;
      total += w * (data.y[i] - mean) ** 2;
    }
  }
  return total;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const v = values.slice().sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}
