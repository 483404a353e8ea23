/**
 * Absorption factors of the common powder geometries, relative to a reference angle, as multipliers of a reflection's
 * intensity at Bragg angle θ. Only the variation with angle matters to a Rietveld fit: the constant part goes into the
 * scale (and cancels in Hill–Howard weight fractions, since every phase of one specimen shares it).
 *
 * - Bragg–Brentano (symmetric reflection) on a flat specimen of thickness t: A ∝ 1 − exp(−2μt / sin θ) (ITC Vol. C
 *   §6.3.3.3); a thick specimen (μt → ∞) absorbs the same fraction at every angle.
 * - Transmission through a flat plate normal to the beam (coin and pouch cells at a synchrotron): A(2θ)/A(0) =
 *   (1 − exp(−μt(k − 1))) / (μt(k − 1)), k = 1/cos 2θ, from the path μz in and μ(t − z)/cos 2θ out (ITC Vol. C
 *   §6.3.3.2); no reflection beyond 2θ = 90°.
 * - Cylinder (capillary, Debye–Scherrer) of radius R: A = (1/πR²) ∬ exp(−μ(l_in + l_out)) dS over the cross-section
 *   (ITC Vol. C §6.3.3.1), here integrated numerically (Gauss–Legendre in √(1 − r), uniform in φ) on a 0.5° grid of 2θ and
 *   interpolated; normalised to 1 at μR = 0, so the scale keeps its meaning when μR changes.
 */

import { gaussLegendre } from './profiles.ts';

const DEG = Math.PI / 180;

export type AbsorptionModel =
  /** Flat specimen in symmetric reflection; `muT` = μ·thickness (omit for a thick specimen). */
  | { readonly geometry: 'bragg-brentano'; readonly muT?: number }
  /** Flat plate normal to the beam, in transmission; `muT` = μ·thickness. */
  | { readonly geometry: 'transmission'; readonly muT: number }
  /** Cylindrical specimen; `muR` = μ·radius. */
  | { readonly geometry: 'capillary'; readonly muR: number };

const RADIAL_NODES = 48;
const ANGULAR_NODES = 160;
const GRID_STEP_DEG = 0.5;

/**
 * Transmission factor of a cylinder of μR at scattering angle 2θ (deg), by quadrature over the cross-section; 1 at
 * μR = 0. Exposed for tests and for users who want the factor itself.
 */
export function cylinderTransmission(muR: number, twoThetaDeg: number): number {
  if (!(muR >= 0) || !Number.isFinite(muR)) throw new RangeError(`cylinder absorption: μR must be a finite number ≥ 0, got ${muR}`);
  if (muR === 0) return 1;
  const { nodes, weights } = radialRule();
  const ox = Math.cos(twoThetaDeg * DEG);
  const oy = Math.sin(twoThetaDeg * DEG);
  let sum = 0;
  for (let i = 0; i < RADIAL_NODES; i++) {
    // r = 1 − w²: the path lengths have a √(1 − r) edge at the rim, which is smooth in w.
    const w = nodes[i];
    const r = 1 - w * w;
    const r2 = r * r;
    let ring = 0;
    for (let j = 0; j < ANGULAR_NODES; j++) {
      const phi = ((j + 0.5) * 2 * Math.PI) / ANGULAR_NODES;
      const px = r * Math.cos(phi);
      const py = r * Math.sin(phi);
      // Unit radius; the beam travels along +x. Back along −x to the entry point, forward along (ox, oy) to the exit.
      const inner = px;
      const lIn = inner + Math.sqrt(Math.max(0, 1 - r2 + inner * inner));
      const outer = px * ox + py * oy;
      const lOut = -outer + Math.sqrt(Math.max(0, 1 - r2 + outer * outer));
      ring += Math.exp(-muR * (lIn + lOut));
    }
    sum += weights[i] * r * 2 * w * ring;
  }
  // ∫₀¹ r dr ∫₀^{2π} dφ / π, with the uniform φ rule's weight 2π/N.
  return (sum * 2 * Math.PI) / ANGULAR_NODES / Math.PI;
}

let radial: { nodes: Float64Array; weights: Float64Array } | undefined;
/** The Gauss–Legendre rule of profiles.ts moved from [−1, 1] to [0, 1]. */
function radialRule(): { nodes: Float64Array; weights: Float64Array } {
  if (!radial) {
    const { x, w } = gaussLegendre(RADIAL_NODES);
    radial = { nodes: x.map((v) => (v + 1) / 2), weights: w.map((v) => v / 2) };
  }
  return radial;
}

/** A cylinder's factor on a 2θ grid, interpolated by cubic Hermite (Catmull–Rom) between grid points. */
function cylinderTable(muR: number): (twoThetaDeg: number) => number {
  const count = Math.round(180 / GRID_STEP_DEG) + 1;
  const table = new Float64Array(count);
  for (let k = 0; k < count; k++) table[k] = cylinderTransmission(muR, k * GRID_STEP_DEG);
  return (twoThetaDeg) => {
    const u = Math.min(Math.max(twoThetaDeg, 0), 180) / GRID_STEP_DEG;
    const k = Math.min(Math.floor(u), count - 2);
    const s = u - k;
    const p0 = table[Math.max(k - 1, 0)];
    const p1 = table[k];
    const p2 = table[k + 1];
    const p3 = table[Math.min(k + 2, count - 1)];
    const m1 = (p2 - p0) / (k === 0 ? 1 : 2);
    const m2 = (p3 - p1) / (k + 2 >= count ? 1 : 2);
    const s2 = s * s;
    const s3 = s2 * s;
    return (2 * s3 - 3 * s2 + 1) * p1 + (s3 - 2 * s2 + s) * m1 + (-2 * s3 + 3 * s2) * p2 + (s3 - s2) * m2;
  };
}

function finiteNonNegative(v: number, what: string): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`absorption: ${what} must be a finite number ≥ 0, got ${v}`);
  return v;
}

/**
 * The absorption factor as a function of the Bragg angle θ (radians) for a model (a thick Bragg–Brentano specimen
 * when none is given: 1 at every angle).
 */
export function absorptionFactor(model: AbsorptionModel | undefined): (thetaRad: number) => number {
  if (!model) return () => 1;
  switch (model.geometry) {
    case 'bragg-brentano': {
      if (model.muT === undefined) return () => 1;
      const muT = finiteNonNegative(model.muT, 'μt');
      if (muT === 0) return () => 1;
      return (th) => -Math.expm1((-2 * muT) / Math.sin(th));
    }
    case 'transmission': {
      const muT = finiteNonNegative(model.muT, 'μt');
      return (th) => {
        const cos2 = Math.cos(2 * th);
        if (cos2 <= 0) throw new RangeError(`absorption: a flat plate in transmission has no reflection at 2θ = ${((2 * th) / DEG).toFixed(2)}° (≥ 90°)`);
        const x = muT * (1 / cos2 - 1);
        return x < 1e-12 ? 1 - x / 2 : -Math.expm1(-x) / x;
      };
    }
    case 'capillary': {
      const muR = finiteNonNegative(model.muR, 'μR');
      if (muR === 0) return () => 1;
      const at = cylinderTable(muR);
      return (th) => at((2 * th) / DEG);
    }
    default:
      throw new RangeError(`absorption: unknown geometry '${(model as { geometry: string }).geometry}' (bragg-brentano, transmission or capillary)`);
  }
}
