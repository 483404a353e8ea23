import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignPatterns, assignLithiumByFile } from '../../../../src/core/operando/align.ts';
import { lithiumTimeline } from '../../../../src/core/operando/lithium.ts';
import { makeRecord, range } from './echemFixture.ts';

const T0 = Date.UTC(2025, 0, 1) / 1000;

// 100 mg NMC811, 1 mA for 2 h (V rising linearly 3.6 → 4.2 V), then a 1 h rest.
function timeline() {
  const rec = makeRecord(
    {
      time_s: range(11, (i) => i * 1080),
      current_mA: range(11, (i) => (i <= 6 ? 1 : 0)),
      voltage_V: range(11, (i) => (i <= 6 ? 3.6 + (0.6 * i) / 6 : 4.2)),
    },
    { startTime: '2025-01-01T00:00:00Z' },
  );
  return lithiumTimeline([rec], { activeMass: { activeMassMg: 100 }, composition: 'NMC811' }).timeline;
}

test('c_Li, voltage and current are interpolated at the exposure midpoint (to 1e-12)', () => {
  const tl = timeline();
  const { patterns, warnings } = alignPatterns(['p1.xy'], [{ startUnixS: T0 + 1000, endUnixS: T0 + 1600 }], tl);
  const p = patterns[0];
  assert.equal(p.midUnixS, T0 + 1300);
  // c_Li is linear in time during the constant current, with the slope of the first interval.
  const slope = (tl.cLi[1] - tl.cLi[0]) / 1080;
  assert.ok(Math.abs(p.cLi - (1 + slope * 1300)) < 1e-12);
  assert.ok(Math.abs(p.voltageV - (3.6 + (0.1 * 1300) / 1080)) < 1e-12);
  assert.equal(p.currentMilliamp, 1);
  assert.equal(p.branch, 'charge');
  assert.equal(p.timeS, 300);
  // Span over the 600 s exposure on a straight line: |slope| × 600.
  assert.ok(Math.abs(p.cLiSpan - Math.abs(slope) * 600) < 1e-12);
  assert.deepEqual(warnings, []);
});

test('patterns during a rest share one c_Li and have zero span', () => {
  const tl = timeline();
  const { patterns } = alignPatterns(
    ['r1', 'r2'],
    [
      { startUnixS: T0 + 7600, endUnixS: T0 + 7700 },
      { startUnixS: T0 + 9000, endUnixS: T0 + 9100 },
    ],
    tl,
  );
  assert.equal(patterns[0].cLi, patterns[1].cLi);
  assert.equal(patterns[0].cLiSpan, 0);
  assert.equal(patterns[1].branch, 'rest');
});

test('a pattern outside the record gets NaN, a flag and a warning naming its file', () => {
  const tl = timeline();
  const { patterns, warnings } = alignPatterns(
    ['inside.xy', 'late.xy', 'untimed.xy'],
    [{ startUnixS: T0 + 10, endUnixS: T0 + 20 }, { startUnixS: T0 + 20000, endUnixS: T0 + 20100 }, undefined],
    tl,
  );
  assert.ok(Number.isNaN(patterns[1].cLi));
  assert.deepEqual(patterns[1].flags, ['outside-record']);
  assert.deepEqual(patterns[2].flags, ['no-time']);
  assert.ok(warnings.some((w) => w.includes('late.xy') && w.includes('outside')));
  assert.ok(warnings.some((w) => w.includes('untimed.xy')));
});

test('clocks that do not overlap at all give one warning that names the files and suggests the zone', () => {
  const tl = timeline();
  const { warnings } = alignPatterns(
    ['a.xy', 'b.xy'],
    [
      { startUnixS: T0 - 7 * 3600, endUnixS: T0 - 7 * 3600 + 60 },
      { startUnixS: T0 - 6 * 3600, endUnixS: T0 - 6 * 3600 + 60 },
    ],
    tl,
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /do not overlap.*time zone.*a\.xy, b\.xy/);
});

test('an exposure that spans more c_Li than the threshold is flagged and reported', () => {
  const tl = timeline();
  const { patterns, warnings } = alignPatterns(['long.xy'], [{ startUnixS: T0, endUnixS: T0 + 3600 }], tl, { maxSpanCLi: 0.01 });
  assert.ok(patterns[0].flags.includes('wide-c_Li-span'));
  assert.ok(warnings.some((w) => w.includes('long.xy')));
});

test('assignLithiumByFile matches full names, then base names, and names the missing ones', () => {
  const r = assignLithiumByFile(['/data/a.xy', 'b.xy', 'c.xy'], [
    { file: 'a.xy', cLi: 0.9 },
    { file: 'b.xy', cLi: 0.8 },
  ]);
  assert.equal(r.cLi[0], 0.9);
  assert.equal(r.cLi[1], 0.8);
  assert.ok(Number.isNaN(r.cLi[2]));
  assert.deepEqual(r.warnings, ['no c_Li in the table for: c.xy']);
});

test('with the real I11 scan log, the scan taken before the cycler record starts is named (zone +01:00 assumed)', async () => {
  const fs = await import('node:fs');
  const { parseScanLog, matchScanLog } = await import('../../../../src/core/operando/seriesTimes.ts');
  const log = fs.readFileSync('test/fixtures/operando/log_operando_coincell8_LDE2_reduced.csv', 'utf8');
  const clock = { timeZone: '+01:00' };
  const entries = parseScanLog(log, clock);
  const files = entries.map((e) => `${e.scan}_summed_mythen3.xye`);
  const { exposures } = matchScanLog(files, entries);
  // A stand-in record (not the real cycler data) starting at 19:08 local, as MANIFEST.md states for cc8.ndax.
  const rec = makeRecord(
    { time_s: range(121, (i) => i * 30), current_mA: range(121, () => 0.2), voltage_V: range(121, (i) => 3.5 + i * 0.005) },
    { startTime: '2025-07-02 19:08:00' },
  );
  const tl = lithiumTimeline([rec], { activeMass: { activeMassMg: 10 }, composition: 'NMC811', ...clock }).timeline;
  const { patterns, warnings } = alignPatterns(files, exposures, tl);
  assert.deepEqual(
    patterns.map((p) => p.flags.includes('outside-record')),
    [true, false, false, false, false],
  );
  assert.ok(warnings.some((w) => w.includes('1355639_summed_mythen3.xye')));
  // Scans are ~9 min apart: 19:15:03.582–19:15:59.280 is the second exposure, midpoint 27.849 s after its start.
  assert.ok(Math.abs(patterns[1].midUnixS - (Date.UTC(2025, 6, 2, 18, 15, 3) / 1000 + 0.582 + 27.849)) < 1e-6);
});

test('seedBranchKeys keeps rests in the branch before them and leading rests in the first branch', async () => {
  const { seedBranchKeys } = await import('../../../../src/core/operando/align.ts');
  const base = alignPatterns(['x'], [{ startUnixS: T0 + 10, endUnixS: T0 + 20 }], timeline()).patterns[0];
  const p = (branch: 'charge' | 'discharge' | 'rest' | undefined, cycle: number) => ({ ...base, branch, cycle });
  const keys = seedBranchKeys([p('rest', 1), p('charge', 1), p('rest', 1), p('charge', 1), p('discharge', 1), p(undefined, NaN), p('charge', 2)]);
  assert.deepEqual(keys, ['1:charge', '1:charge', '1:charge', '1:charge', '1:discharge', '1:discharge', '2:charge']);
  assert.deepEqual(seedBranchKeys([p('rest', 1), p('rest', 1)]), ['all', 'all']);
});
