import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cumulativeTrapezoid,
  inferCurrentSign,
  labelBranches,
  lithiumFromCharge,
  lithiumTimeline,
  stateOfCharge,
} from '../../../../src/core/operando/lithium.ts';
import { FARADAY_C_PER_MOL } from '../../../../src/core/operando/composition.ts';
import { makeRecord, range } from './echemFixture.ts';

const M811 = 6.941 + 0.8 * 58.693 + 0.1 * 54.938 + 0.1 * 58.933 + 2 * 15.999;
// 1 mA for 3600 s on 10 mg NMC811: Δc_Li = 3.6 C / (F · 10e-3 g / M).
const DELTA_1MAH_10MG = 3.6 / (FARADAY_C_PER_MOL * (10e-3 / M811));

test('1 mA for 3600 s on 10 mg NMC811 lowers c_Li by 3.6/(F·n) exactly (to 1e-12)', () => {
  const rec = makeRecord(
    { time_s: range(3601, (i) => i), current_mA: range(3601, () => 1), voltage_V: range(3601, (i) => 3.7 + i * 1e-4) },
    { startTime: '2025-01-01T00:00:00Z' },
  );
  const { timeline, activeMol, warnings } = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' });
  assert.ok(Math.abs(activeMol - 10e-3 / M811) < 1e-18);
  assert.ok(Math.abs(timeline.cLi[3600] - (1 - DELTA_1MAH_10MG)) < 1e-12);
  assert.ok(Math.abs(timeline.chargeMah[3600] - 1) < 1e-12);
  assert.equal(timeline.cLi[0], 1);
  assert.deepEqual(warnings, []);
});

test('cumulativeTrapezoid is exact on a piecewise-linear current sampled at its corners', () => {
  // 0→2 mA over 10 s, flat 2 mA for 5 s, 2→−1 mA over 6 s: areas 10, 10, 3 (mA·s).
  const t = Float64Array.from([0, 10, 15, 21]);
  const I = Float64Array.from([0, 2, 2, -1]);
  assert.deepEqual(Array.from(cumulativeTrapezoid(t, I)), [0, 10, 20, 23]);
});

test('cumulativeTrapezoid on uneven sampling of a straight line equals the closed form to 1e-9', () => {
  const t = Float64Array.from(range(200, (i) => i * i * 0.01));
  const I = t.map((x) => 0.5 + 0.02 * x);
  const q = cumulativeTrapezoid(t, I);
  const T = t[199];
  assert.ok(Math.abs(q[199] - (0.5 * T + 0.01 * T * T)) < 1e-9);
});

test('a reduction-positive current is flipped: a 1 mA "positive" discharge record raises c_Li', () => {
  const rec = makeRecord(
    { time_s: [0, 3600], current_mA: [1, 1], voltage_V: [4.2, 3.6] },
    { startTime: '2025-01-01T00:00:00Z', currentSign: 'unknown' },
  );
  const opts = { activeMass: { activeMassMg: 10 }, composition: 'NMC811', cLi0: 0.5 } as const;
  const given = lithiumTimeline([rec], { ...opts, currentSign: 'reduction-positive' });
  assert.ok(Math.abs(given.timeline.cLi[1] - (0.5 + DELTA_1MAH_10MG)) < 1e-12);
  assert.equal(given.signs[0].source, 'option');
  assert.equal(given.timeline.branch[1], 'discharge');
});

test('with the sign unknown, dV/dt decides it and the convention is recorded and reported', () => {
  // A cycler that stores discharge current as positive: V falls while I > 0, rises while I < 0.
  const n = 100;
  const rec = makeRecord(
    {
      time_s: range(2 * n, (i) => i * 10),
      current_mA: range(2 * n, (i) => (i < n ? 0.5 : -0.5)),
      voltage_V: range(2 * n, (i) => (i < n ? 4.2 - i * 0.005 : 3.7 + (i - n) * 0.005)),
      step: range(2 * n, (i) => (i < n ? 1 : 2)),
    },
    { startTime: '2025-01-01T00:00:00Z', currentSign: 'unknown' },
  );
  const r = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811', cLi0: 0.5 });
  assert.equal(r.signs[0].convention, 'reduction-positive');
  assert.equal(r.signs[0].source, 'dV/dt');
  assert.ok(r.warnings.some((w) => w.includes('reduction-positive inferred from dV/dt')));
  assert.equal(r.timeline.branch[10], 'discharge');
  assert.ok(r.timeline.cLi[n - 1] > 0.5);
});

test('a file that states oxidation-positive is not second-guessed, even against dV/dt', () => {
  const rec = makeRecord(
    { time_s: [0, 10, 20], current_mA: [1, 1, 1], voltage_V: [4, 3.9, 3.8] },
    { startTime: '2025-01-01T00:00:00Z', currentSign: 'oxidation-positive' },
  );
  const r = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' });
  assert.equal(r.signs[0].source, 'file');
  assert.ok(r.timeline.cLi[2] < 1);
});

test('inferCurrentSign reports an unsigned current when positive current both raises and lowers V', () => {
  const t = Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  const I = Float64Array.from([1, 1, 1, 0, 1, 1, 1, 0]);
  const V = Float64Array.from([3.7, 3.8, 3.9, 3.9, 3.85, 3.8, 3.6, 3.6]);
  const r = inferCurrentSign(t, V, I, undefined, 0.01);
  assert.equal(r.unsigned, true);
});

test('two records are chained in time order whatever order they are given in, charge carried over', () => {
  const a = makeRecord({ time_s: [0, 1800, 3600], current_mA: [1, 1, 1], voltage_V: [3.7, 3.8, 3.9] }, { startTime: '2025-01-01T00:00:00Z' });
  const b = makeRecord({ time_s: [0, 3600], current_mA: [-2, -2], voltage_V: [3.9, 3.6] }, { startTime: '2025-01-01T01:30:00Z' });
  const r = lithiumTimeline([b, a], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' });
  const tl = r.timeline;
  assert.equal(tl.unixTimeS.length, 5);
  assert.ok(tl.unixTimeS.every((t, i) => i === 0 || t > tl.unixTimeS[i - 1]));
  // +1 mAh in the first record, nothing in the 30-min gap, −2 mAh in the second: c_Li = 1 + Δ.
  assert.ok(Math.abs(tl.chargeMah[4] - -1) < 1e-12);
  assert.ok(Math.abs(tl.cLi[4] - (1 + DELTA_1MAH_10MG)) < 1e-12);
  assert.deepEqual(Array.from(tl.record), [1, 1, 1, 0, 0]);
  assert.ok(r.warnings.some((w) => w.includes('1800 s after the previous record')));
});

test('rests are integrated too: zero current adds no charge but keeps its samples', () => {
  const rec = makeRecord(
    { time_s: [0, 100, 200, 300], current_mA: [1, 1, 0, 0], voltage_V: [3.7, 3.8, 3.8, 3.79] },
    { startTime: '2025-01-01T00:00:00Z' },
  );
  const r = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811' });
  // Trapezoid: 100 + 50 + 0 mA·s = 150 mA·s.
  assert.ok(Math.abs(r.timeline.chargeMah[3] - 150 / 3600) < 1e-15);
  assert.deepEqual(r.timeline.branch, ['charge', 'charge', 'rest', 'rest']);
});

test('the capacity columns give the same c_Li as the current when they agree (to 1e-12)', () => {
  // Per-step capacities reset at each step: 1 mAh charge, then 0.4 mAh discharge.
  const rec = makeRecord(
    {
      time_s: [0, 1800, 3600, 3600.001, 4320, 5040],
      current_mA: [1, 1, 1, -1, -1, -1],
      voltage_V: [3.7, 3.9, 4.1, 4.0, 3.9, 3.8],
      chargeCapacity_mAh: [0, 0.5, 1, 0, 0, 0],
      dischargeCapacity_mAh: [0, 0, 0, 0, 0.2, 0.4],
    },
    { startTime: '2025-01-01T00:00:00Z' },
  );
  const r = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811', chargeFrom: 'capacity' });
  assert.ok(Math.abs(r.timeline.chargeMah[5] - 0.6) < 1e-12);
  assert.ok(Math.abs(r.timeline.cLi[5] - (1 - 0.6 * DELTA_1MAH_10MG)) < 1e-12);
});

test('a record without absolute time or zone is refused', () => {
  const noTime = makeRecord({ time_s: [0, 1], current_mA: [1, 1], voltage_V: [3, 3] });
  assert.throws(() => lithiumTimeline([noTime], { activeMass: { activeMassMg: 1 }, composition: 'LNO' }), /no absolute time/);
  const local = makeRecord({ time_s: [0, 1], current_mA: [1, 1], voltage_V: [3, 3] }, { startTime: '2025-01-01 00:00:00' });
  assert.throws(() => lithiumTimeline([local], { activeMass: { activeMassMg: 1 }, composition: 'LNO' }), /time zone/);
  const ok = lithiumTimeline([local], { activeMass: { activeMassMg: 1 }, composition: 'LNO', timeZone: '+01:00', clockOffsetS: 5 });
  assert.equal(ok.timeline.unixTimeS[0], Date.UTC(2025, 0, 1) / 1000 - 3600 + 5);
});

test('a unixTime_s column is used as absolute time, with the clock offset', () => {
  const rec = makeRecord({ time_s: [0, 1], unixTime_s: [1.7e9, 1.7e9 + 1], current_mA: [1, 1], voltage_V: [3, 3] });
  const r = lithiumTimeline([rec], { activeMass: { activeMassMg: 1 }, composition: 'LNO', clockOffsetS: -2 });
  assert.equal(r.timeline.unixTimeS[0], 1.7e9 - 2);
});

test('lithiumFromCharge: dc_Li/dQ = −3.6/(F n) for any mass and composition (to 1e-12 relative)', () => {
  const c = lithiumFromCharge(Float64Array.from([0, 2]), 25, 97.63, 0.9);
  const slope = (c[1] - c[0]) / 2;
  const expected = -3.6 / (FARADAY_C_PER_MOL * (25e-3 / 97.63));
  assert.ok(Math.abs(slope / expected - 1) < 1e-12);
});

test('stateOfCharge maps the window to 0..1 (c_max → 0, c_min → 1; to 1e-12)', () => {
  const soc = stateOfCharge(Float64Array.from([1, 0.7, 0.4]));
  assert.equal(soc[0], 0);
  assert.ok(Math.abs(soc[1] - 0.5) < 1e-12);
  assert.equal(soc[2], 1);
  const fixed = stateOfCharge(Float64Array.from([0.4]), { cLiMax: 1, cLiMin: 0.3 });
  assert.ok(Math.abs(fixed[0] - 6 / 7) < 1e-12);
  assert.throws(() => stateOfCharge(Float64Array.from([0.5, 0.5])), RangeError);
});

test('labelBranches counts a new cycle at each charge that follows a discharge', () => {
  const I = Float64Array.from([0, 1, 1, 0, -1, -1, 0, 1, -1, 1]);
  const { branch, cycle } = labelBranches(I, 0.1);
  assert.deepEqual(branch, ['rest', 'charge', 'charge', 'rest', 'discharge', 'discharge', 'rest', 'charge', 'discharge', 'charge']);
  assert.deepEqual(Array.from(cycle), [1, 1, 1, 1, 1, 1, 1, 2, 2, 3]);
  const fromFile = labelBranches(I, 0.1, Float64Array.from(range(10, () => 7)));
  assert.ok(fromFile.cycle.every((c) => c === 7));
});
