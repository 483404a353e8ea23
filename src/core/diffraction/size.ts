/**
 * Crystallite-size (Scherrer) broadening per phase (science.md §3).
 *
 * Convention (Scherrer 1918; the one GSAS-II uses for its isotropic "size" and the simulator for its X term):
 * the size contribution to the FWHM of a reflection is Γ_size = K λ / (L cos θ) (radians of 2θ), with
 * - λ the wavelength of the emission line (each line of a doublet gets its own Γ_size),
 * - L the apparent crystallite size (column length perpendicular to the reflecting planes, isotropic: the same for
 *   every hkl), and
 * - K the Scherrer constant, 1 by default. With K = 1 and the FWHM, L is the "Scherrer size, K = 1" of GSAS-II
 *   (its `Size;i`, in μm there). It is not the volume-weighted column length: that one is defined by the integral
 *   breadth β (Stokes & Wilson 1942), ⟨L⟩_V = λ / (β cos θ), so ⟨L⟩_V = L / (K b(ζ)) with b = β/Γ of the size profile
 *   (b = π/2 for a Lorentzian, √(π / (4 ln 2)) ≈ 1.0645 for a Gaussian; see {@link integralBreadthRatio}). For
 *   spheres of diameter D, ⟨L⟩_V = 3D/4.
 * The size profile is split like the strain's (TCH / GSAS-II mixing): (1 − ζ) Γ_size adds to H_G in quadrature and
 * ζ Γ_size adds to H_L, with ζ the refinable Lorentzian share.
 */
import { GAUSS_NORM, LORENTZ_NORM, tchWidths } from './profiles.ts';

/** Size models: none, or isotropic Scherrer broadening (one L per phase). */
export const SizeModel = {
  none: 'none',
  iso: 'iso',
} as const;
export type SizeModel = keyof typeof SizeModel;

/**
 * Size broadening Γ_size = K λ / (L cos θ) in degrees of 2θ.
 *
 * @param lengthNm - apparent crystallite size L (nm).
 * @param twoThetaDeg - Bragg angle 2θ (deg).
 * @param wavelengthAngstrom - λ (Å).
 * @param scherrerK - Scherrer constant K (default 1).
 */
export function scherrerBroadeningDeg(lengthNm: number, twoThetaDeg: number, wavelengthAngstrom: number, scherrerK = 1): number {
  if (!(lengthNm > 0)) throw new RangeError('scherrerBroadeningDeg: the size must be positive');
  const cosT = Math.cos((twoThetaDeg * Math.PI) / 360);
  return ((scherrerK * wavelengthAngstrom) / (10 * lengthNm * cosT)) * (180 / Math.PI);
}

/**
 * Apparent size L (nm) from a size FWHM Γ_size (deg of 2θ): the inverse of {@link scherrerBroadeningDeg}.
 */
export function scherrerLengthNm(broadeningDeg: number, twoThetaDeg: number, wavelengthAngstrom: number, scherrerK = 1): number {
  if (!(broadeningDeg > 0)) throw new RangeError('scherrerLengthNm: the broadening must be positive');
  const cosT = Math.cos((twoThetaDeg * Math.PI) / 360);
  return (scherrerK * wavelengthAngstrom) / (10 * ((broadeningDeg * Math.PI) / 180) * cosT);
}

/**
 * Integral breadth over FWHM, b = β/Γ, of the size profile with Lorentzian share ζ: the TCH pseudo-Voigt of a
 * Gaussian FWHM (1 − ζ) and a Lorentzian FWHM ζ, whose unit-area peak height is η·(2/π)/H + (1 − η)·√(4 ln 2/π)/H.
 * b(1) = π/2, b(0) = √(π / (4 ln 2)).
 */
export function integralBreadthRatio(zeta: number): number {
  const z = Math.min(Math.max(zeta, 0), 1);
  const t = tchWidths(1 - z, z);
  return t.fwhm / (t.eta * LORENTZ_NORM + (1 - t.eta) * GAUSS_NORM);
}

/**
 * Volume-weighted mean column length ⟨L⟩_V = λ / (β cos θ) (Stokes & Wilson 1942) from the Scherrer size L (K as
 * used in the fit) and the size profile's Lorentzian share ζ: ⟨L⟩_V = L / (K b(ζ)).
 */
export function volumeWeightedLengthNm(lengthNm: number, zeta: number, scherrerK = 1): number {
  return lengthNm / (scherrerK * integralBreadthRatio(zeta));
}
