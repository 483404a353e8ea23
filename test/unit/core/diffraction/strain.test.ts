import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gsasMustrainFromStrainFwhm,
  stephensFromUniaxial,
  stephensTrigonalStrainFwhm,
  strainBroadeningDeg,
  strainFwhmFromGsasMustrain,
  uniaxialStrainFwhm,
} from '../../../../src/core/diffraction/strain.ts';

test('GSAS-II mustrain is 2·10⁶ ε and converts back', () => {
  assert.equal(gsasMustrainFromStrainFwhm(3e-4), 600);
  assert.equal(strainFwhmFromGsasMustrain(600), 3e-4);
});

test('the [001] model adds variances: ε_hkl² = ε_iso² + ε_001² cos⁴φ', () => {
  assert.ok(Math.abs(uniaxialStrainFwhm(3e-4, 4e-4, 1) - 5e-4) < 1e-18);
  assert.equal(uniaxialStrainFwhm(3e-4, 4e-4, 0), 3e-4);
});

test('a Gaussian spread of c alone is Stephens S004 only: ε_001 cos²φ = √(8 ln 2)/2 · d² √S004 · l² (1e-12)', () => {
  const a = 2.8727;
  const c = 14.2127;
  const e001 = 2e-3;
  const s004 = ((2 * e001) / (Math.sqrt(8 * Math.LN2) * c * c)) ** 2;
  for (const [h, k, l] of [
    [0, 0, 3],
    [1, 0, 4],
    [1, 1, 0],
    [1, 0, -8],
  ]) {
    const d = 1 / Math.sqrt((4 * (h * h + h * k + k * k)) / (3 * a * a) + (l * l) / (c * c));
    const cosPhi = (l * d) / c;
    const stephens = stephensTrigonalStrainFwhm(0, s004, 0, 0, h, k, l, d);
    assert.ok(Math.abs(stephens - uniaxialStrainFwhm(0, e001, cosPhi)) < 1e-12 * e001 + 1e-18);
  }
});

test('strain broadening is Γ = 2 ε tanθ in radians of 2θ', () => {
  const g = strainBroadeningDeg(1e-3, 30);
  assert.ok(Math.abs(g - (2e-3 * Math.tan(Math.PI / 12) * 180) / Math.PI) < 1e-15);
});

test('Stephens σ² < 0 gives no broadening rather than NaN', () => {
  assert.equal(stephensTrigonalStrainFwhm(-1e-6, 0, 0, 0, 1, 0, 0, 2), 0);
});

test('stephensFromUniaxial reproduces ε_hkl of the [001] model exactly (1e-12 relative)', () => {
  const a = 2.8727;
  const c = 14.2127;
  const [s400, s004, s202, s301] = stephensFromUniaxial(3e-4, 2e-3, a, c);
  for (const [h, k, l] of [
    [0, 0, 3],
    [1, 0, 4],
    [1, 1, 0],
    [2, -1, 3],
  ]) {
    const d = 1 / Math.sqrt((4 * (h * h + h * k + k * k)) / (3 * a * a) + (l * l) / (c * c));
    const expected = uniaxialStrainFwhm(3e-4, 2e-3, (l * d) / c);
    assert.ok(Math.abs(stephensTrigonalStrainFwhm(s400, s004, s202, s301, h, k, l, d) / expected - 1) < 1e-12);
  }
});
