import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesFilesInFolder } from '../../../../src/core/operando/seriesFiles.ts';

test('seriesFilesInFolder keeps the dominant scan extension in natural order and leaves the log and notes out', () => {
  const names = ['scan_10.xy', 'scan_2.xy', 'log_2025.csv', 'notes.txt', 'scan_1.xy', 'cell.ndax', 'README.md'];
  assert.deepEqual(seriesFilesInFolder(names), ['scan_1.xy', 'scan_2.xy', 'scan_10.xy']);
});

test('seriesFilesInFolder takes any readable diffraction extension, case-insensitively, and nothing from an empty folder', () => {
  assert.deepEqual(seriesFilesInFolder(['b.XRDML', 'a.xrdml', 'summary.csv']), ['a.xrdml', 'b.XRDML']);
  assert.deepEqual(seriesFilesInFolder(['run.nxs']), ['run.nxs']);
  assert.deepEqual(seriesFilesInFolder(['cell.mpr', 'cell.mpt']), []);
});
