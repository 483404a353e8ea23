/**
 * Microstrain broadening per reflection (science.md §4).
 *
 * Convention: the microstrain ε is the FWHM of the distribution of Δd/d. A reflection is broadened by
 * Γ = 2 ε tan θ (radians of 2θ). Conversions at the boundary only: GSAS-II "mustrain" μ = 2·10⁶ ε;
 * an rms strain e_rms gives ε = 2√(2 ln 2) e_rms.
 */

/** Strain models: none, isotropic, the [001] model of the reference study, Stephens' −3m model. */
export const StrainModel = {
  none: 'none',
  iso: 'iso',
  uniaxial001: 'uniaxial001',
  stephens: 'stephens',
} as const;
export type StrainModel = keyof typeof StrainModel;

/** √(8 ln 2): FWHM of a unit-σ Gaussian. */
export const SQRT_8LN2 = Math.sqrt(8 * Math.LN2);

/** GSAS-II mustrain (μ, 10⁻⁶) from ε (FWHM of Δd/d): μ = 2·10⁶ ε. */
export function gsasMustrainFromStrainFwhm(strainFwhm: number): number {
  return 2e6 * strainFwhm;
}

/** ε (FWHM of Δd/d) from GSAS-II mustrain μ (10⁻⁶): ε = μ / (2·10⁶). */
export function strainFwhmFromGsasMustrain(mustrain: number): number {
  return mustrain / 2e6;
}

/**
 * ε_hkl of the [001] model: ε_hkl² = ε_iso² + ε_001² cos⁴φ (variances add, Stephens 1999), with cos φ the cosine
 * between the scattering vector and c* (l·d/c on hexagonal axes).
 */
export function uniaxialStrainFwhm(strainIso: number, strain001: number, cosPhi: number): number {
  const c2 = cosPhi * cosPhi;
  return Math.sqrt(strainIso * strainIso + strain001 * strain001 * c2 * c2);
}

/**
 * ε_hkl of Stephens' model for Laue class −3m on hexagonal axes (J. Appl. Cryst. 1999, 32, 281):
 * σ²(M) = S400 A² + S004 l⁴ + S202 A l² + S301 B l with M = 1/d², A = h² + hk + k², B = 2h³ + 3h²k − 3hk² − 2k³;
 * σ² < 0 is clamped to 0. ε = FWHM of Δd/d = √(8 ln 2) · d² σ(M) / 2 (δd/d = −d² δM / 2). S in Å⁻⁴.
 */
export function stephensTrigonalStrainFwhm(
  s400: number,
  s004: number,
  s202: number,
  s301: number,
  h: number,
  k: number,
  l: number,
  dAngstrom: number,
): number {
  const a = h * h + h * k + k * k;
  const b = 2 * h * h * h + 3 * h * h * k - 3 * h * k * k - 2 * k * k * k;
  const variance = s400 * a * a + s004 * l * l * l * l + s202 * a * l * l + s301 * b * l;
  return variance > 0 ? (SQRT_8LN2 * dAngstrom * dAngstrom * Math.sqrt(variance)) / 2 : 0;
}

/** Strain broadening Γ in degrees of 2θ: Γ = 2 ε tan θ (rad) converted to degrees. */
export function strainBroadeningDeg(strainFwhm: number, twoThetaDeg: number): number {
  return ((2 * strainFwhm * Math.tan((twoThetaDeg * Math.PI) / 360)) * 180) / Math.PI;
}

/**
 * Stephens −3m coefficients (S400, S004, S202, S301) that reproduce the [001] model on a hexagonal cell (a, c in Å):
 * ε_iso gives σ(M) ∝ M = 4A/(3a²) + l²/c², so σ²(M) = k²(16A²/(9a⁴) + 8Al²/(3a²c²) + l⁴/c⁴), k = 2ε_iso/√(8 ln 2);
 * ε_001 adds (2ε_001/√(8 ln 2))² l⁴/c⁴. Exact in σ² (variances add).
 */
export function stephensFromUniaxial(
  strainIso: number,
  strain001: number,
  aAngstrom: number,
  cAngstrom: number,
): [number, number, number, number] {
  const k2 = ((2 * strainIso) / SQRT_8LN2) ** 2;
  const e2 = ((2 * strain001) / SQRT_8LN2) ** 2;
  const a2 = aAngstrom * aAngstrom;
  const c2 = cAngstrom * cAngstrom;
  return [(k2 * 16) / (9 * a2 * a2), (k2 + e2) / (c2 * c2), (k2 * 8) / (3 * a2 * c2), 0];
}
