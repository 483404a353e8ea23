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
