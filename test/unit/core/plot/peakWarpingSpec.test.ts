import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from 'vega-lite';
import { peakWarpingSpec } from '../../../../src/core/plot/peakWarpingSpec.ts';

// A linear c(c_Li) and constant a: 003 moves linearly with c_Li, so a spread Δ broadens it symmetrically.
const cLi = Float64Array.from({ length: 41 }, (_, i) => 0.2 + 0.02 * i);
const a = cLi.map(() => 2.85);
const c = cLi.map((x) => 14.2 + 0.3 * (1 - x));

test('peakWarpingSpec: a wider c_Li spread gives a broader, lower 003 peak at the same centre', () => {
  const spec = peakWarpingSpec({ cLi, a, c, hkl: [0, 0, 3], atCLi: 0.6, deltas: [0.05, 0.2], wavelengthAngstrom: 0.4592, fwhmDeg: 0.01 });
  const rows = (spec.data as { values: { x: number; y: number; curve: string }[] }).values;
  const fwhm = (curve: string) => {
    const pts = rows.filter((r) => r.curve === curve);
    const above = pts.filter((r) => r.y >= 0.5);
    return above[above.length - 1].x - above[0].x;
  };
  const centroid = (curve: string) => {
    const pts = rows.filter((r) => r.curve === curve);
    const s = pts.reduce((acc, r) => acc + r.y, 0);
    return pts.reduce((acc, r) => acc + r.x * r.y, 0) / s;
  };
  assert.ok(fwhm('Δc_Li = 0.2') > 2 * fwhm('Δc_Li = 0'), `${fwhm('Δc_Li = 0.2')} vs ${fwhm('Δc_Li = 0')}`);
  assert.ok(fwhm('Δc_Li = 0.05') > fwhm('Δc_Li = 0'));
  // Linear position in c_Li: the spread keeps the centroid (to a tenth of the homogeneous FWHM).
  assert.ok(Math.abs(centroid('Δc_Li = 0.2') - centroid('Δc_Li = 0')) < 0.001);
  compile(spec as never);
});
