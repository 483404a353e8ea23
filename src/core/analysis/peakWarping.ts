/**
 * Peak warping from lithiation heterogeneity (Jousseaume et al. 2024, ESI S16): a crystal whose lithium content
 * spreads uniformly over [c_Li − Δ/2, c_Li + Δ/2] diffracts as the average of the peaks it would give at each
 * content, at the positions set by the smoothed a(c_Li) and c(c_Li). The profile is injected so the diffraction
 * module's own profile (with its widths, asymmetry and Kα doublet) is the one averaged.
 */

/**
 * Average profile on a 2θ grid, by the midpoint rule over `samples` equally spaced contents in the spread.
 *
 * @param twoThetaDeg - grid in degrees 2θ.
 * @param cLi - central lithium content.
 * @param deltaCLi - full width of the uniform spread (0 gives the single peak).
 * @param peakPositionDeg - 2θ (degrees) of the reflection at a given c_Li, e.g. built with {@link hexagonalTwoThetaDeg}
 *   on interpolated a(c_Li), c(c_Li).
 * @param profile - intensity at offset 2θ − position (degrees) for a crystal of content c_Li.
 * @param samples - quadrature nodes (default 64).
 */
export function warpedPeakProfile(
  twoThetaDeg: ArrayLike<number>,
  cLi: number,
  deltaCLi: number,
  peakPositionDeg: (cLi: number) => number,
  profile: (offsetDeg: number, cLi: number) => number,
  samples = 64,
): Float64Array {
  if (!(deltaCLi >= 0)) throw new RangeError('warpedPeakProfile: Δc_Li must be ≥ 0');
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError('warpedPeakProfile: samples must be a positive integer');
  const n = twoThetaDeg.length;
  const out = new Float64Array(n);
  const nodes = deltaCLi === 0 ? 1 : samples;
  for (let k = 0; k < nodes; k++) {
    const c = cLi - deltaCLi / 2 + ((k + 0.5) / nodes) * deltaCLi;
    const centre = peakPositionDeg(c);
    for (let i = 0; i < n; i++) out[i] += profile(twoThetaDeg[i] - centre, c) / nodes;
  }
  return out;
}

/**
 * Bragg angle 2θ (degrees) of reflection hkl of a hexagonal cell: 1/d² = 4(h² + hk + k²)/(3a²) + l²/c²,
 * λ = 2d sin θ (science.md §1). NaN when the reflection is beyond the wavelength's reach.
 *
 * @param aAngstrom - a in Å. @param cAngstrom - c in Å. @param wavelengthAngstrom - λ in Å.
 */
export function hexagonalTwoThetaDeg(
  h: number,
  k: number,
  l: number,
  aAngstrom: number,
  cAngstrom: number,
  wavelengthAngstrom: number,
): number {
  const invD2 = (4 * (h * h + h * k + k * k)) / (3 * aAngstrom * aAngstrom) + (l * l) / (cAngstrom * cAngstrom);
  const s = (wavelengthAngstrom * Math.sqrt(invD2)) / 2;
  return s <= 1 ? (2 * Math.asin(s) * 180) / Math.PI : Number.NaN;
}
