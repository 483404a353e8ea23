import { test } from 'node:test';
import assert from 'node:assert/strict';
import { biphasicRegions } from '../../../../src/core/analysis/biphasicRegions.ts';
import { safeWindows } from '../../../../src/core/analysis/stateOfChargeWindow.ts';

test('biphasicRegions finds the runs where two phases are present above 5 % of their maxima', () => {
  const cLi = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const regions = biphasicRegions(cLi, [
    { name: 'H1', scale: [1, 1, 0.6, 0.2, 0.01, 0, 0] },
    { name: 'M', scale: [0, 0, 0.3, 0.8, 1, 0.5, 0.02] },
    { name: 'H2', scale: [0, 0, 0, 0, 0, 0.5, 1] },
  ]);
  assert.deepEqual(regions, [
    { startIndex: 2, endIndex: 3, cLiStart: 0.8, cLiEnd: 0.7, phases: ['H1', 'M'] },
    { startIndex: 5, endIndex: 5, cLiStart: 0.5, cLiEnd: 0.5, phases: ['M', 'H2'] },
  ]);
});

test('safeWindows maps the critical content to each cell SOC with its σ', () => {
  const [a, b] = safeWindows(0.4, 0.01, [
    { name: 'NMC622', cLiMax: 1, cLiMin: 0.3 },
    { name: 'LNO', cLiMax: 0.95, cLiMin: 0.1 },
  ]);
  assert.ok(Math.abs(a.socAtCritical - 0.6 / 0.7) < 1e-15);
  assert.ok(Math.abs(a.socAtCriticalSigma - 0.01 / 0.7) < 1e-15);
  assert.equal(b.cLiFrom, 0.4);
  assert.equal(b.cLiTo, 0.95);
  assert.throws(() => safeWindows(0.4, 0, [{ name: 'x', cLiMax: 0.5, cLiMin: 0.5 }]), RangeError);
});
