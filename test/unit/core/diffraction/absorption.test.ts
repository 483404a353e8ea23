// Absorption factors against independent calculations done here by other means:
// - cylinder at 2θ = 0 and 180°: every point of a chord at height y has the same path (the chord, L = 2√(1 − y²)) at
//   2θ = 0, and twice its depth at 2θ = 180°, so A reduces to 1-D integrals over y (Simpson, 20 000 panels);
// - cylinder at small μR: A = 1 − (16/3π) μR + O(μR²) at every angle (the mean path in + out is 16R/3π);
// - cylinder at any angle: a Cartesian midpoint grid over the disk (1600 × 1600 cells), not the polar Gauss rule;
// - flat plates: the depth integrals done by Simpson's rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absorptionFactor, cylinderTransmission } from '../../../../src/core/diffraction/absorption.ts';
import { cylinderByGrid } from './cylinderGrid.ts';

const DEG = Math.PI / 180;

function simpson(f: (x: number) => number, a: number, b: number, panels = 20000): number {
  const h = (b - a) / panels;
  let s = f(a) + f(b);
  for (let i = 1; i < panels; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3;
}

function cylinderByChords(muR: number, twoThetaDeg: 0 | 180): number {
  // Substitute y = sin u so the √(1 − y²) end points are smooth.
  const integrand =
    twoThetaDeg === 0
      ? (u: number) => {
          const L = 2 * Math.cos(u);
          return L * Math.exp(-muR * L) * Math.cos(u);
        }
      : (u: number) => {
          const L = 2 * Math.cos(u);
          // ∫₀^L exp(−2μt) dt over the depth t along the chord.
          return ((-Math.expm1(-2 * muR * L)) / (2 * muR)) * Math.cos(u);
        };
  return simpson(integrand, -Math.PI / 2, Math.PI / 2) / Math.PI;
}

test('cylinder: A(2θ = 0) and A(180°) equal the chord integrals within 2e-6 for μR 0.1 … 5', () => {
  for (const muR of [0.1, 0.5, 1, 2, 5]) {
    for (const tt of [0, 180] as const) {
      const ours = cylinderTransmission(muR, tt);
      const truth = cylinderByChords(muR, tt);
      assert.ok(Math.abs(ours - truth) <= 2e-6 * Math.max(1, truth) && Math.abs(ours / truth - 1) <= 1e-4, `μR ${muR}, 2θ ${tt}: ${ours} vs ${truth}`);
    }
  }
});

test('cylinder: at small μR the slope is −16/(3π) at every angle', () => {
  const muR = 1e-4;
  for (const tt of [0, 37, 90, 143, 180]) {
    const slope = (cylinderTransmission(muR, tt) - 1) / muR;
    assert.ok(Math.abs(slope + 16 / (3 * Math.PI)) <= 1e-3, `2θ ${tt}: ${slope}`);
  }
});

test('cylinder: the interpolated factor agrees with a Cartesian grid over the disk within 3e-4 (relative) at odd angles', () => {
  for (const muR of [0.5, 3]) {
    const A = absorptionFactor({ geometry: 'capillary', muR });
    let previous = 0;
    for (const tt of [3.3, 44.1, 91.35, 171.9]) {
      const ours = A((tt / 2) * DEG);
      const grid = cylinderByGrid(muR, tt, 1600);
      // The midpoint grid's own error (its staircase rim) is 3e-5 (μR 0.5) to 2e-4 (μR 3) at 1600 cells.
      assert.ok(Math.abs(ours / grid - 1) <= 3e-4, `μR ${muR}, 2θ ${tt}: ${ours} vs grid ${grid}`);
      // A cylinder absorbs less at higher angles.
      assert.ok(ours > previous, `not increasing at 2θ ${tt}`);
      previous = ours;
    }
  }
});

test('flat plates: transmission and finite Bragg–Brentano factors equal their depth integrals', () => {
  for (const muT of [0.05, 0.7, 2.5]) {
    const trans = absorptionFactor({ geometry: 'transmission', muT });
    const bb = absorptionFactor({ geometry: 'bragg-brentano', muT });
    for (const tt of [5, 30, 60, 85]) {
      const th = (tt / 2) * DEG;
      const k = 1 / Math.cos(2 * th);
      // Transmission: (1/t)∫₀ᵗ exp(−μz − μ(t − z)k) dz, normalised by its value at 2θ = 0, exp(−μt).
      const t = simpson((z) => Math.exp(-muT * z - muT * (1 - z) * k), 0, 1) / Math.exp(-muT);
      assert.ok(Math.abs(trans(th) / t - 1) <= 1e-9, `transmission μt ${muT}, 2θ ${tt}: ${trans(th)} vs ${t}`);
      // Reflection: ∫₀ᵗ exp(−2μz/sinθ) dz relative to the thick specimen's sinθ/2μ.
      const r = simpson((z) => Math.exp((-2 * muT * z) / Math.sin(th)), 0, 1) / (Math.sin(th) / (2 * muT));
      assert.ok(Math.abs(bb(th) / r - 1) <= 1e-9, `reflection μt ${muT}, 2θ ${tt}: ${bb(th)} vs ${r}`);
    }
  }
  assert.equal(absorptionFactor({ geometry: 'bragg-brentano' })(0.3), 1);
  assert.throws(() => absorptionFactor({ geometry: 'transmission', muT: 1 })(50 * DEG), /no reflection at 2θ = 100\.00°/);
  assert.throws(() => absorptionFactor({ geometry: 'capillary', muR: -1 }), /μR must be a finite number ≥ 0, got -1/);
});
