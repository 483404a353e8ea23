// A series from a multi-scan file: each scan of a NeXus series becomes a pattern `FILE#N` that every reader accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { memoizedReader, readAny, readScan, seriesPatterns } from '../../../src/worker/api.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { parseScanRef, scanRef } from '../../../src/core/operando/scanRef.ts';
import type { ScanFile } from '../../../src/core/data/scan.ts';

const nexus = path.resolve('test/fixtures/nexus/Test_spec.nxs');
const series = path.resolve('test/fixtures/simulated/series');

test('a NeXus file of 20 patterns becomes 20 references, and reference N reads scan N', () => {
  const refs = seriesPatterns(nodeFileAccess, [nexus]);
  assert.equal(refs.length, 20);
  assert.equal(refs[19], `${nexus}#19`);
  const whole = readAny(nodeFileAccess, nexus) as ScanFile;
  const read = memoizedReader();
  const last = readScan(nodeFileAccess, refs[19], {}, read);
  assert.deepEqual(Array.from(last.y), Array.from(whole.scans[19].y));
  assert.equal(last.file, 'Test_spec.nxs#19');
  assert.throws(() => readScan(nodeFileAccess, `${nexus}#20`), /has 20 scan\(s\); scan 20 does not exist/);
});

test('the electrode map of 7 different patterns (scimap HDF5) reads each scan by its reference', () => {
  const map = path.resolve('test/fixtures/nexus/xrd-map-gadds.h5');
  const refs = seriesPatterns(nodeFileAccess, [map]);
  assert.equal(refs.length, 7);
  const whole = readAny(nodeFileAccess, map) as ScanFile;
  const read = memoizedReader();
  // Test_spec.nxs repeats one pattern 20 times; these differ, so a wrong index would show.
  assert.notDeepEqual(Array.from(whole.scans[0].y), Array.from(whole.scans[6].y));
  for (const k of [0, 3, 6]) assert.deepEqual(Array.from(readScan(nodeFileAccess, refs[k], {}, read).y), Array.from(whole.scans[k].y));
});

test('a folder gives its scans in natural order, a plain file stays itself, and parseScanRef inverts scanRef', () => {
  const refs = seriesPatterns(nodeFileAccess, [series]);
  assert.equal(refs.length, 200);
  assert.equal(path.basename(refs[10]), 'series_010.xy');
  assert.deepEqual(seriesPatterns(nodeFileAccess, [refs[3]]), [refs[3]]);
  assert.deepEqual(parseScanRef(scanRef('/d/run.nxs', 7)), { file: '/d/run.nxs', scan: 7 });
  assert.deepEqual(parseScanRef('/d/plain.xy'), { file: '/d/plain.xy', scan: 0 });
  // A real file named like a reference is read as that file.
  assert.deepEqual(parseScanRef('/d/odd#3', () => true), { file: '/d/odd#3', scan: 0 });
});

test('a pattern gives the scan files it matches (not the scan log), a folder matched gives its series, and nothing matched or named is an error', () => {
  const operando = path.resolve('test/fixtures/operando');
  // The folder holds five .xye patterns and the scan log .csv.
  const all = seriesPatterns(nodeFileAccess, [`${operando}/*`]);
  assert.deepEqual(all.map((f) => path.basename(f)), ['1355639', '1355647', '1355655', '1355663', '1355671'].map((n) => `${n}_summed_mythen3.xye`));
  assert.deepEqual(seriesPatterns(nodeFileAccess, [`${series}/series_19[5-9].xy`]).map((f) => path.basename(f)), ['series_195.xy', 'series_196.xy', 'series_197.xy', 'series_198.xy', 'series_199.xy']);
  assert.equal(seriesPatterns(nodeFileAccess, [`${path.dirname(series)}/seri*`]).length, 200);
  assert.throws(() => seriesPatterns(nodeFileAccess, [`${series}/nothing_*.xy`]), /nothing_\*\.xy: no scan files match this pattern/);
  assert.throws(() => seriesPatterns(nodeFileAccess, [`${series}/series_999.xy`]), /series_999\.xy: no such file or folder/);
});
