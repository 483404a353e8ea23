import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differentialCapacity } from '../../../../src/core/operando/differentialCapacity.ts';
import { lithiumTimeline } from '../../../../src/core/operando/lithium.ts';
import { makeRecord, range } from './echemFixture.ts';

// 0.5 mA CC charge for 200 samples of 36 s (V linear in Q: 0.2 V per mAh), then a CV hold at 4.3 V with decaying
// current, a rest, and a CC discharge.
function record() {
  const n = 200;
  const t: number[] = [];
  const I: number[] = [];
  const V: number[] = [];
  const step: number[] = [];
  for (let i = 0; i < n; i++) {
    t.push(i * 36);
    I.push(0.5);
    V.push(3.7 + 0.2 * ((i * 36 * 0.5) / 3600));
    step.push(1);
  }
  for (let i = 0; i < 30; i++) {
    t.push((n + i) * 36);
    I.push(0.5 * Math.exp(-(i + 1) / 5));
    V.push(4.3);
    step.push(1);
  }
  for (let i = 0; i < 20; i++) {
    t.push((n + 30 + i) * 36);
    I.push(0);
    V.push(4.25);
    step.push(2);
  }
  for (let i = 0; i < 100; i++) {
    t.push((n + 50 + i) * 36);
    I.push(-0.5);
    V.push(4.2 - 0.001 * i);
    step.push(3);
  }
  return makeRecord({ time_s: t, current_mA: I, voltage_V: V, step }, { startTime: '2025-01-01T00:00:00Z' });
}

test('dQ/dV is constant (5 mAh/V, to 1e-9) where V is linear in Q, on the CC segments only', () => {
  const tl = lithiumTimeline([record()], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' }).timeline;
  const d = differentialCapacity(tl, { window: 5 });
  // CV hold (30 samples) and rest (20) dropped: 200 + 100 samples remain in two segments.
  assert.equal(d.voltageV.length, 300);
  assert.deepEqual([...new Set(d.segment)], [0, 1]);
  assert.equal(d.branch[0], 'charge');
  assert.equal(d.branch[299], 'discharge');
  for (let i = 0; i < 200; i++) assert.ok(Math.abs(d.dQdVMahPerV[i] - 5) < 1e-9, `sample ${i}: ${d.dQdVMahPerV[i]}`);
  for (let i = 0; i < 200; i++) assert.ok(Math.abs(d.dVdQVPerMah[i] - 0.2) < 1e-9);
  // Discharge: Q falls 0.005 mAh per sample while V falls 0.001 V: dQ/dV = 5 mAh/V as well.
  for (let i = 200; i < 300; i++) assert.ok(Math.abs(d.dQdVMahPerV[i] - 5) < 1e-9);
});

test('dV/dQ follows a quadratic V(Q) = 3.7 + 0.1 Q² as 0.2 Q (to 1e-3 V/mAh inside the segment)', () => {
  const n = 400;
  const rec = makeRecord(
    {
      time_s: range(n, (i) => i * 18),
      current_mA: range(n, () => 1),
      voltage_V: range(n, (i) => 3.7 + 0.1 * ((i * 18) / 3600) ** 2),
    },
    { startTime: '2025-01-01T00:00:00Z' },
  );
  const tl = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' }).timeline;
  const d = differentialCapacity(tl, { window: 11 });
  for (let i = 10; i < n - 10; i++) assert.ok(Math.abs(d.dVdQVPerMah[i] - 0.2 * d.chargeMah[i]) < 1e-3);
});

test('an even window is refused', () => {
  const tl = lithiumTimeline([record()], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' }).timeline;
  assert.throws(() => differentialCapacity(tl, { window: 4 }), RangeError);
});
