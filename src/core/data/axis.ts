/**
 * Conversions between the three powder-diffraction axes, in one place.
 * Bragg's law λ = 2 d sin θ and q = 4π sin θ / λ = 2π / d (science.md §1). θ is half the scattering angle 2θ.
 * Units: 2θ in degrees, λ and d in Å, q in Å⁻¹ (nm⁻¹ only through {@link qToInvAngstrom}).
 */
import type { AxisQuantity, AxisUnit } from './scan.ts';

const DEG = Math.PI / 180;

/** q (Å⁻¹) from 2θ (degrees) at wavelength λ (Å): q = 4π sin(2θ/2) / λ. */
export function twoThetaDegToQ(twoThetaDeg: number, wavelengthAngstrom: number): number {
  return (4 * Math.PI * Math.sin((twoThetaDeg * DEG) / 2)) / wavelengthAngstrom;
}

/** 2θ (degrees) from q (Å⁻¹) at wavelength λ (Å); NaN when q λ / 4π > 1 (beyond the limiting sphere). */
export function qToTwoThetaDeg(qInvAngstrom: number, wavelengthAngstrom: number): number {
  const s = (qInvAngstrom * wavelengthAngstrom) / (4 * Math.PI);
  return s > 1 || s < -1 ? NaN : (2 * Math.asin(s)) / DEG;
}

/** d (Å) from 2θ (degrees) at wavelength λ (Å): d = λ / (2 sin θ). */
export function twoThetaDegToD(twoThetaDeg: number, wavelengthAngstrom: number): number {
  return wavelengthAngstrom / (2 * Math.sin((twoThetaDeg * DEG) / 2));
}

/** 2θ (degrees) from d (Å) at wavelength λ (Å); NaN when λ / 2d > 1 (reflection not reachable). */
export function dToTwoThetaDeg(dAngstrom: number, wavelengthAngstrom: number): number {
  const s = wavelengthAngstrom / (2 * dAngstrom);
  return s > 1 || s < -1 ? NaN : (2 * Math.asin(s)) / DEG;
}

/** d (Å) from q (Å⁻¹): d = 2π / q. */
export function qToD(qInvAngstrom: number): number {
  return (2 * Math.PI) / qInvAngstrom;
}

/** q (Å⁻¹) from d (Å): q = 2π / d. */
export function dToQ(dAngstrom: number): number {
  return (2 * Math.PI) / dAngstrom;
}

/** q in Å⁻¹ from a value in the given q unit (1 nm⁻¹ = 0.1 Å⁻¹). */
export function qToInvAngstrom(q: number, unit: AxisUnit): number {
  return unit === 'invNanometre' ? q / 10 : q;
}

/**
 * Converts a whole axis to another quantity, returning a new array (the input is untouched).
 * Source and target are given as quantity + unit; q may be in Å⁻¹ or nm⁻¹, 2θ in degrees, d in Å.
 * λ (Å) is needed whenever 2θ is involved; throws RangeError when it is missing or not positive.
 */
export function convertAxis(
  x: Float64Array,
  from: { axis: AxisQuantity; unit: AxisUnit },
  to: { axis: AxisQuantity; unit: AxisUnit },
  wavelengthAngstrom?: number,
): Float64Array {
  const needsLambda = (from.axis === 'twoTheta') !== (to.axis === 'twoTheta');
  if (needsLambda && !(wavelengthAngstrom !== undefined && wavelengthAngstrom > 0)) {
    throw new RangeError('convertAxis: a positive wavelength in Å is needed to convert to or from 2θ');
  }
  const lambda = wavelengthAngstrom ?? NaN;
  const out = new Float64Array(x.length);
  const toNm = to.axis === 'q' && to.unit === 'invNanometre' ? 10 : 1;
  for (let i = 0; i < x.length; i++) {
    // Go through q in Å⁻¹ as the common quantity.
    let q: number;
    const v = x[i];
    if (from.axis === 'q') q = from.unit === 'invNanometre' ? v / 10 : v;
    else if (from.axis === 'd') q = dToQ(v);
    else q = twoThetaDegToQ(v, lambda);
    if (to.axis === 'q') out[i] = q * toNm;
    else if (to.axis === 'd') out[i] = qToD(q);
    else out[i] = from.axis === 'twoTheta' ? v : qToTwoThetaDeg(q, lambda);
  }
  return out;
}
