/**
 * Unit cells of any symmetry through the metric tensor (International Tables for Crystallography Vol. B, §1.1).
 * 1/d² = hᵀ G* h with G* = G⁻¹ the reciprocal metric tensor.
 */

/** A unit cell: edges in Å, angles in degrees. */
export interface Cell {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly alphaDeg: number;
  readonly betaDeg: number;
  readonly gammaDeg: number;
}

const DEG = Math.PI / 180;

/** Direct metric tensor G (row-major 3×3, Å²): G_ij = a_i · a_j. */
export function metricTensor(cell: Cell): Float64Array {
  const { a, b, c } = cell;
  const ca = Math.cos(cell.alphaDeg * DEG);
  const cb = Math.cos(cell.betaDeg * DEG);
  const cg = Math.cos(cell.gammaDeg * DEG);
  return Float64Array.of(a * a, a * b * cg, a * c * cb, a * b * cg, b * b, b * c * ca, a * c * cb, b * c * ca, c * c);
}

/** Cell volume in Å³: V = √det G. */
export function cellVolume(cell: Cell): number {
  const ca = Math.cos(cell.alphaDeg * DEG);
  const cb = Math.cos(cell.betaDeg * DEG);
  const cg = Math.cos(cell.gammaDeg * DEG);
  const f = 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg;
  if (!(f > 0)) throw new RangeError('cellVolume: the cell angles do not form a valid cell');
  return cell.a * cell.b * cell.c * Math.sqrt(f);
}

/**
 * Reciprocal metric tensor G* = G⁻¹ (row-major 3×3, Å⁻²), written into `out` when given.
 * A 3×3 symmetric inverse by cofactors: this is a definition, not a linear solve inside a fit.
 */
export function reciprocalMetricTensor(cell: Cell, out: Float64Array = new Float64Array(9)): Float64Array {
  const g = metricTensor(cell);
  const c00 = g[4] * g[8] - g[5] * g[7];
  const c01 = g[5] * g[6] - g[3] * g[8];
  const c02 = g[3] * g[7] - g[4] * g[6];
  const det = g[0] * c00 + g[1] * c01 + g[2] * c02;
  if (!(det > 0)) throw new RangeError('reciprocalMetricTensor: singular cell');
  out[0] = c00 / det;
  out[1] = c01 / det;
  out[2] = c02 / det;
  out[3] = out[1];
  out[4] = (g[0] * g[8] - g[2] * g[6]) / det;
  out[5] = (g[2] * g[3] - g[0] * g[5]) / det;
  out[6] = out[2];
  out[7] = out[5];
  out[8] = (g[0] * g[4] - g[1] * g[3]) / det;
  return out;
}

/** 1/d² in Å⁻² for indices h, k, l given the reciprocal metric tensor. */
export function inverseDSquared(gStar: Float64Array, h: number, k: number, l: number): number {
  return (
    h * h * gStar[0] + k * k * gStar[4] + l * l * gStar[8] + 2 * (h * k * gStar[1] + h * l * gStar[2] + k * l * gStar[5])
  );
}

/** Interplanar spacing d_hkl in Å. */
export function dSpacingAngstrom(cell: Cell, h: number, k: number, l: number): number {
  return 1 / Math.sqrt(inverseDSquared(reciprocalMetricTensor(cell), h, k, l));
}

/** Bragg angle 2θ in degrees for spacing `dAngstrom` at `wavelengthAngstrom`; NaN when λ > 2d (no reflection). */
export function twoThetaDegFromD(dAngstrom: number, wavelengthAngstrom: number): number {
  const s = wavelengthAngstrom / (2 * dAngstrom);
  return s > 1 ? Number.NaN : (2 * Math.asin(s)) / DEG;
}

/** Spacing d in Å from 2θ in degrees (Bragg: λ = 2 d sin θ). */
export function dFromTwoThetaDeg(twoThetaDeg: number, wavelengthAngstrom: number): number {
  return wavelengthAngstrom / (2 * Math.sin((twoThetaDeg * DEG) / 2));
}
