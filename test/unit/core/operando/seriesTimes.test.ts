import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  exposureFromHeader,
  exposureMidUnixS,
  exposuresFromPeriod,
  exposuresFromModificationTimes,
  matchScanLog,
  parseScanLog,
} from '../../../../src/core/operando/seriesTimes.ts';

const LOG = fs.readFileSync('test/fixtures/operando/log_operando_coincell8_LDE2_reduced.csv', 'utf8');

test('the real I11 scan log reads five exposures of about 56 s (local times, zone given as UTC)', () => {
  const entries = parseScanLog(LOG, { timeZone: 'UTC' });
  assert.equal(entries.length, 5);
  assert.equal(entries[0].scan, '1355639');
  assert.equal(entries[0].cell, 'coincell8_LDE2');
  // 2025-07-02 19:05:59.614 → 19:06:56.167: 56.553 s, checked to 1e-6 s.
  assert.ok(Math.abs(entries[0].endUnixS - entries[0].startUnixS - 56.553) < 1e-6);
  assert.ok(Math.abs(entries[0].startUnixS - (Date.UTC(2025, 6, 2, 19, 5, 59) / 1000 + 0.614)) < 1e-6);
});

test('the scan log refuses to guess a time zone', () => {
  assert.throws(() => parseScanLog(LOG), /line 2: .*time zone/);
});

test('files are matched to the log by their scan number, and unknown files are named', () => {
  const entries = parseScanLog(LOG, { timeZone: '+01:00' });
  const files = ['data/1355647_summed_mythen3.xye', '1355639_summed_mythen3.xye', '9999_summed.xye'];
  const { exposures, warnings } = matchScanLog(files, entries);
  assert.equal(exposures[0]?.startUnixS, entries[1].startUnixS);
  assert.equal(exposures[1]?.startUnixS, entries[0].startUnixS);
  assert.equal(exposures[2], undefined);
  assert.deepEqual(warnings, ['9999_summed.xye: not in the scan log']);
});

test("a pattern's time is the middle of its exposure", () => {
  assert.equal(exposureMidUnixS({ startUnixS: 100, endUnixS: 160 }), 130);
});

test('start + period gives evenly spaced exposures, whole period by default', () => {
  const e = exposuresFromPeriod(3, 1000, 600);
  assert.deepEqual(e, [
    { startUnixS: 1000, endUnixS: 1600 },
    { startUnixS: 1600, endUnixS: 2200 },
    { startUnixS: 2200, endUnixS: 2800 },
  ]);
  assert.deepEqual(exposuresFromPeriod(1, 0, 600, 60), [{ startUnixS: 0, endUnixS: 60 }]);
  assert.throws(() => exposuresFromPeriod(3, 0, 0), RangeError);
});

test('a header with start time and exposure gives an exposure; without a start, none', () => {
  const e = exposureFromHeader({ startTime: '2025-01-01T00:00:00Z', exposureS: 30 });
  assert.equal(e?.endUnixS !== undefined && e.endUnixS - e.startUnixS, 30);
  assert.equal(exposureFromHeader({}), undefined);
});

test('exposuresFromModificationTimes takes each time as an exposure end: back to back without a duration, the first one the median gap', () => {
  const ends = [1000, 1600, 2200, 2790];
  const back = exposuresFromModificationTimes(ends);
  assert.deepEqual(
    back.map((e) => [e.startUnixS, e.endUnixS]),
    [
      [400, 1000],
      [1000, 1600],
      [1600, 2200],
      [2200, 2790],
    ],
  );
  const fixed = exposuresFromModificationTimes(ends, 300);
  assert.deepEqual(fixed.map(exposureMidUnixS), [850, 1450, 2050, 2640]);
  // A file older than the one before it (copied out of order) does not get a negative exposure.
  const shuffled = exposuresFromModificationTimes([1000, 1600, 1500, 2100]);
  assert.ok(shuffled.every((e) => e.endUnixS >= e.startUnixS));
  assert.throws(() => exposuresFromModificationTimes([1000, Number.NaN]), /pattern 2/);
  assert.throws(() => exposuresFromModificationTimes([1000], -1), RangeError);
});
