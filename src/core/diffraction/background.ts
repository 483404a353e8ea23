/** Chebyshev-polynomial backgrounds in 2θ (first kind, T_{m+1} = 2u T_m − T_{m−1}, u mapped to [−1, 1]). */

/**
 * Chebyshev basis of `terms` polynomials on the points `twoThetaDeg`, mapped linearly from [fromDeg, toDeg]
 * to [−1, 1]; returned term-major (basis[m·N + i]) to match the parameter-major Jacobian.
 */
export function chebyshevBasis(twoThetaDeg: Float64Array, terms: number, fromDeg: number, toDeg: number): Float64Array {
  const n = twoThetaDeg.length;
  const basis = new Float64Array(terms * n);
  const span = toDeg - fromDeg || 1;
  for (let i = 0; i < n; i++) {
    const u = (2 * (twoThetaDeg[i] - fromDeg)) / span - 1;
    let t0 = 1;
    let t1 = u;
    for (let m = 0; m < terms; m++) {
      const t = m === 0 ? 1 : m === 1 ? u : 2 * u * t1 - t0;
      if (m >= 2) {
        t0 = t1;
        t1 = t;
      }
      basis[m * n + i] = t;
    }
  }
  return basis;
}

/** Evaluate Σ c_m T_m at the basis points into `out`. */
export function evaluateBackground(basis: Float64Array, coefficients: Float64Array, out: Float64Array): Float64Array {
  const n = out.length;
  out.fill(0);
  for (let m = 0; m < coefficients.length; m++) {
    const c = coefficients[m];
    if (c === 0) continue;
    const off = m * n;
    for (let i = 0; i < n; i++) out[i] += c * basis[off + i];
  }
  return out;
}

/**
 * Σ w_i u_i v_i over the points in use (rows of a term-major basis at their offsets). The clipped background fits
 * call it per matrix entry, so that a fresh thread optimises this loop over every point alone (a small compile):
 * optimised in the middle of their first call, a whole fit came without type feedback for its later statements and
 * was deoptimised and compiled again.
 */
function maskedWeightedDot(use: Uint8Array, w: Float64Array, u: Float64Array, uOffset: number, v: Float64Array, vOffset: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) if (use[i]) s += w[i] * u[uOffset + i] * v[vOffset + i];
  return s;
}

/**
 * The normal equations of a weighted least-squares fit of `terms` basis rows to `y` over the points in `use`: the
 * lower and upper triangles of `a` (terms × terms) and `rhs` (terms), every entry written.
 */
export function maskedNormalEquations(
  use: Uint8Array,
  w: Float64Array,
  y: Float64Array,
  basis: Float64Array,
  terms: number,
  a: Float64Array,
  rhs: Float64Array,
): void {
  const n = use.length;
  for (let p = 0; p < terms; p++) {
    for (let q = 0; q <= p; q++) {
      const s = maskedWeightedDot(use, w, basis, p * n, basis, q * n, n);
      a[p * terms + q] = s;
      a[q * terms + p] = s;
    }
    rhs[p] = maskedWeightedDot(use, w, basis, p * n, y, 0, n);
  }
}

/** Marks the points less than 1.5σ above the background `bg` in `use` (1 kept, 0 dropped); returns how many changed. */
export function clipAboveBackground(use: Uint8Array, y: Float64Array, w: Float64Array, bg: Float64Array): number {
  let changed = 0;
  for (let i = 0; i < use.length; i++) {
    const keep = (y[i] - bg[i]) * Math.sqrt(w[i]) < 1.5 ? 1 : 0;
    if (keep !== use[i]) changed++;
    use[i] = keep;
  }
  return changed;
}
