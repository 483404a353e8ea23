import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignPatterns } from '../../../../src/core/operando/align.ts';
import { lithiumTimeline } from '../../../../src/core/operando/lithium.ts';
import { LITHIUM_TABLE_COLUMNS, lithiumTableToCsv, readClisTable } from '../../../../src/core/operando/lithiumTable.ts';
import { makeRecord, range } from './echemFixture.ts';

test('echem table → --clis → alignment gives the same c_Li, V and I as the timeline itself (to 1e-12)', () => {
  const rec = makeRecord(
    {
      time_s: range(50, (i) => i * 73.3),
      current_mA: range(50, (i) => (i < 30 ? 0.8 : -0.8)),
      voltage_V: range(50, (i) => (i < 30 ? 3.6 + 0.02 * i : 4.2 - 0.02 * (i - 30))),
      step: range(50, (i) => (i < 30 ? 1 : 2)),
    },
    { startTime: '2025-07-02 19:00:00.123456', currentSign: 'oxidation-positive' },
  );
  const { timeline } = lithiumTimeline([rec], {
    activeMass: { activeMassMg: 5 },
    composition: 'NMC622',
    timeZone: 'Europe/London',
  });
  const csv = lithiumTableToCsv(timeline);
  assert.ok(csv.startsWith(LITHIUM_TABLE_COLUMNS.join(',') + '\r\n'));
  const clis = readClisTable(csv);
  assert.equal(clis.kind, 'timeline');
  if (clis.kind !== 'timeline') return;
  // time_utc carries microseconds, so times survive to 1e-6 s.
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(clis.timeline.unixTimeS[i] - timeline.unixTimeS[i]) < 1e-6);
  assert.deepEqual(clis.timeline.branch, timeline.branch);
  const t0 = timeline.unixTimeS[0];
  const exposures = [100, 1000, 2500, 3500].map((s) => ({ startUnixS: t0 + s, endUnixS: t0 + s + 57 }));
  const files = exposures.map((_, i) => `scan_${i}.xye`);
  const direct = alignPatterns(files, exposures, timeline).patterns;
  const viaCsv = alignPatterns(files, exposures, clis.timeline).patterns;
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(direct[i].cLi - viaCsv[i].cLi) < 1e-12);
    assert.ok(Math.abs(direct[i].voltageV - viaCsv[i].voltageV) < 1e-12);
    assert.equal(direct[i].branch, viaCsv[i].branch);
  }
});

test('a file,c_Li table is read as direct assignments', () => {
  const t = readClisTable('file,c_Li\r\nscan_1.xy,0.95\r\n"scan, 2.xy",0.9\r\n');
  assert.deepEqual(t, {
    kind: 'by-file',
    rows: [
      { file: 'scan_1.xy', cLi: 0.95 },
      { file: 'scan, 2.xy', cLi: 0.9 },
    ],
  });
});

test('a table without c_Li, or with time_s only, is refused', () => {
  assert.throws(() => readClisTable('file,x\na,1\n'), /no c_Li/);
  assert.throws(() => readClisTable('time_s,c_Li\n0,1\n'), /time_utc/);
});
