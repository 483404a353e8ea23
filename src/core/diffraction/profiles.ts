/**
 * Peak-profile functions, all unit-area in 2θ (deg) and parametrised by their full width at half maximum.
 * The Thompson–Cox–Hastings pseudo-Voigt (J. Appl. Cryst. 1987, 20, 79) is the workhorse; Pearson VII and the
 * split pseudo-Voigt serve single-peak fits; the Finger–Cox–Jephcoat axial-divergence weights
 * (J. Appl. Cryst. 1994, 27, 892) make any of them asymmetric.
 */

/** 4 ln 2. */
export const FOUR_LN2 = 4 * Math.LN2;
/** √(4 ln 2 / π): peak height × FWHM of a unit-area Gaussian. */
export const GAUSS_NORM = Math.sqrt(FOUR_LN2 / Math.PI);
/** 2/π: peak height × FWHM of a unit-area Lorentzian. */
export const LORENTZ_NORM = 2 / Math.PI;

/** FWHM and mixing of the TCH pseudo-Voigt with derivatives with respect to the Gaussian and Lorentzian FWHMs. */
export interface TchWidths {
  /** Combined FWHM H (same unit as the inputs). */
  fwhm: number;
  /** Lorentzian fraction η. */
  eta: number;
  dFwhmDGauss: number;
  dFwhmDLorentz: number;
  dEtaDGauss: number;
  dEtaDLorentz: number;
}

/**
 * TCH combination of a Gaussian FWHM and a Lorentzian FWHM (TCH 1987 eqs. 4–5):
 * H⁵ = Σ c_n H_G^(5−n) H_L^n, η = 1.36603 q − 0.47719 q² + 0.11116 q³ with q = H_L/H.
 * Writes into `out` (no allocation) and returns it.
 */
export function tchWidths(gaussFwhm: number, lorentzFwhm: number, out: TchWidths = newTchWidths()): TchWidths {
  const g = gaussFwhm;
  const l = lorentzFwhm;
  const g2 = g * g;
  const g3 = g2 * g;
  const g4 = g3 * g;
  const l2 = l * l;
  const l3 = l2 * l;
  const l4 = l3 * l;
  const p = g4 * g + 2.69269 * g4 * l + 2.42843 * g3 * l2 + 4.47163 * g2 * l3 + 0.07842 * g * l4 + l4 * l;
  const h = Math.pow(p, 0.2);
  const dpdg = 5 * g4 + 4 * 2.69269 * g3 * l + 3 * 2.42843 * g2 * l2 + 2 * 4.47163 * g * l3 + 0.07842 * l4;
  const dpdl = 2.69269 * g4 + 2 * 2.42843 * g3 * l + 3 * 4.47163 * g2 * l2 + 4 * 0.07842 * g * l3 + 5 * l4;
  const inv5h4 = 1 / (5 * h * h * h * h);
  const dhdg = dpdg * inv5h4;
  const dhdl = dpdl * inv5h4;
  const q = l / h;
  const eta = q * (1.36603 + q * (-0.47719 + q * 0.11116));
  const detadq = 1.36603 + q * (-0.95438 + q * 0.33348);
  out.fwhm = h;
  out.eta = eta;
  out.dFwhmDGauss = dhdg;
  out.dFwhmDLorentz = dhdl;
  out.dEtaDGauss = detadq * (-l / (h * h)) * dhdg;
  out.dEtaDLorentz = detadq * (1 / h - (l / (h * h)) * dhdl);
  return out;
}

/** A zeroed TchWidths record to reuse across calls. */
export function newTchWidths(): TchWidths {
  return { fwhm: 0, eta: 0, dFwhmDGauss: 0, dFwhmDLorentz: 0, dEtaDGauss: 0, dEtaDLorentz: 0 };
}

/** Unit-area Gaussian of FWHM `fwhm` at offset `dx` from its centre. */
export function gaussian(dx: number, fwhm: number): number {
  const u = dx / fwhm;
  return (GAUSS_NORM / fwhm) * Math.exp(-FOUR_LN2 * u * u);
}

/** Unit-area Lorentzian of FWHM `fwhm` at offset `dx` from its centre. */
export function lorentzian(dx: number, fwhm: number): number {
  const u = dx / fwhm;
  return LORENTZ_NORM / fwhm / (1 + 4 * u * u);
}

/** Unit-area pseudo-Voigt η·L + (1 − η)·G, both of FWHM `fwhm`. */
export function pseudoVoigt(dx: number, fwhm: number, eta: number): number {
  return eta * lorentzian(dx, fwhm) + (1 - eta) * gaussian(dx, fwhm);
}

/** Split pseudo-Voigt: FWHM `fwhmLow` below the centre, `fwhmHigh` above, continuous and unit-area. */
export function splitPseudoVoigt(dx: number, fwhmLow: number, fwhmHigh: number, eta: number): number {
  const w = dx < 0 ? fwhmLow : fwhmHigh;
  // Each half of a unit-area PV holds ½; scaling by 2w/(w₁ + w₂) matches the heights at dx = 0 and keeps area 1.
  return ((2 * w) / (fwhmLow + fwhmHigh)) * pseudoVoigt(dx, w, eta);
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; Numerical Recipes 3rd ed. §6.1 form). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let s = c[0];
  for (let i = 1; i < 9; i++) s += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** ψ(x) = d ln Γ/dx for x > 0: recurrence up to x ≥ 6, then the asymptotic series (Abramowitz & Stegun 6.3.18). */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 6) {
    shift -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  return shift + Math.log(x) - 0.5 / x - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
}

/**
 * Unit-area Pearson VII of FWHM `fwhm` and exponent m > ½: (1 + x²/w²)^(−m) with w = H / (2√(2^(1/m) − 1)),
 * normalised by w √π Γ(m − ½)/Γ(m). m = 1 is a Lorentzian, m → ∞ a Gaussian.
 */
export function pearsonVII(dx: number, fwhm: number, exponent: number): number {
  const w = fwhm / (2 * Math.sqrt(Math.pow(2, 1 / exponent) - 1));
  const norm = Math.exp(lnGamma(exponent) - lnGamma(exponent - 0.5)) / (w * Math.sqrt(Math.PI));
  const u = dx / w;
  return norm * Math.pow(1 + u * u, -exponent);
}

const glCache = new Map<number, { x: Float64Array; w: Float64Array }>();

/** Gauss–Legendre nodes and weights on [−1, 1] (Newton iteration on P_n; Abramowitz & Stegun 25.4.29). */
export function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const hit = glCache.get(n);
  if (hit) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 1;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = z;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const dz = p1 / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    x[i] = -z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  const r = { x, w };
  glCache.set(n, r);
  return r;
}

/**
 * Finger–Cox–Jephcoat axial-divergence weights for a reflection at `twoThetaDeg`, with sample half-height over
 * radius `sOverL` and detector half-height over radius `hOverL`: writes the 2θ offsets (deg, ≤ 0 below 90°,
 * ≥ 0 above) and normalised weights of 2·`nodesPerSegment` quadrature points from `startIndex` on, and returns how many were written
 * (0 when the peak is symmetric). The asymmetric profile is Σ w_n P(2θ − 2θ_peak − δ_n) (FCJ 1994 eqs. 7–11).
 * Substituting t = s² (t = 2θ_peak − 2φ) removes the integrable 1/√t singularity of the weight at the peak.
 */
export function fcjWeights(
  twoThetaDeg: number,
  sOverL: number,
  hOverL: number,
  nodesPerSegment: number,
  offsetsDeg: Float64Array,
  weights: Float64Array,
  startIndex = 0,
): number {
  if (!(sOverL > 0 || hOverL > 0)) return 0;
  const flip = twoThetaDeg > 90;
  const tt = ((flip ? 180 - twoThetaDeg : twoThetaDeg) * Math.PI) / 180;
  const cos2t = Math.cos(tt);
  if (cos2t < 1e-9) return 0;
  const sumHS = sOverL + hOverL;
  const difHS = Math.abs(hOverL - sOverL);
  const argMin = cos2t * Math.sqrt(sumHS * sumHS + 1);
  const ttMin = argMin >= 1 ? 0 : Math.acos(argMin);
  // H = S (to rounding) has no inflection: one segment, else rounding would create a sliver segment.
  const ttInfl = difHS > 1e-9 * sumHS ? Math.acos(Math.min(1, cos2t * Math.sqrt(difHS * difHS + 1))) : tt;
  const sMax = Math.sqrt(tt - ttMin);
  const sInfl = Math.sqrt(Math.max(0, tt - ttInfl));
  if (!(sMax > 0)) return 0;
  const minHS = Math.min(sOverL, hOverL);
  const gl = gaussLegendre(nodesPerSegment);
  let n = 0;
  let total = 0;
  // Two segments: [0, s_infl] where W = 2 min(H, S) and [s_infl, s_max] where W = H + S − h.
  for (let seg = 0; seg < 2; seg++) {
    const s0 = seg === 0 ? 0 : sInfl;
    const s1 = seg === 0 ? sInfl : sMax;
    if (!(s1 > s0)) continue;
    const half = 0.5 * (s1 - s0);
    const mid = 0.5 * (s1 + s0);
    for (let j = 0; j < nodesPerSegment; j++) {
      const s = mid + half * gl.x[j];
      const t = s * s;
      const c2 = Math.cos(tt - t);
      // h/L = √(cos²2φ/cos²2θ − 1), with cos²(2θ − t) − cos²2θ = sin t · sin(4θ − t) to avoid cancellation at t → 0.
      const hOver = Math.sqrt(Math.max(Math.sin(t) * Math.sin(2 * tt - t), 1e-300)) / cos2t;
      const wAxial = seg === 0 ? 2 * minHS : Math.max(sumHS - hOver, 0);
      // D(2φ) ∝ W / (h cos 2φ); the Jacobian dt = 2s ds makes the integrand finite at s = 0.
      const wt = ((wAxial / (hOver * c2)) * 2 * s * half * gl.w[j]) || 0;
      offsetsDeg[startIndex + n] = ((flip ? t : -t) * 180) / Math.PI;
      weights[startIndex + n] = wt;
      total += wt;
      n++;
    }
  }
  if (!(total > 0)) return 0;
  for (let j = 0; j < n; j++) weights[startIndex + j] /= total;
  return n;
}
