// Shared by the absorption tests: a capillary's transmission factor by brute force, independent of the engine's
// quadrature (absorption.ts integrates in polar coordinates with Gauss–Legendre in √(1 − r)).
const DEG = Math.PI / 180;

/**
 * A(2θ) of a cylinder of unit radius and absorption μR: the mean of exp(−μR(l_in + l_out)) over a Cartesian midpoint
 * grid of `cells` × `cells` on the cross-section (the staircase rim costs ~1e-4 relative at 600–1600 cells).
 */
export function cylinderByGrid(muR: number, twoThetaDeg: number, cells: number): number {
  const ox = Math.cos(twoThetaDeg * DEG);
  const oy = Math.sin(twoThetaDeg * DEG);
  const h = 2 / cells;
  let sum = 0;
  let area = 0;
  for (let i = 0; i < cells; i++) {
    const x = -1 + (i + 0.5) * h;
    for (let j = 0; j < cells; j++) {
      const y = -1 + (j + 0.5) * h;
      if (x * x + y * y >= 1) continue;
      // Entry: the beam (along +x) came in at x = −√(1 − y²).
      const lIn = x + Math.sqrt(1 - y * y);
      // Exit along (ox, oy): the positive root of |p + s o|² = 1.
      const b = x * ox + y * oy;
      const lOut = -b + Math.sqrt(b * b - (x * x + y * y - 1));
      sum += Math.exp(-muR * (lIn + lOut));
      area++;
    }
  }
  return sum / area;
}
