// NeXus/HDF5 through the real path: h5wasm in its own thread (hdf5Worker.mjs, built beside the test bundles by
// `esbuild.mjs --unit`), with a timeout. Expected values were dumped independently with h5py 3.7 (Debian
// python3-h5py): binning[0], binning[1], binning[-1], data[0,0], data[0,700], data[19,1511], data[10,1000] and the
// sum of data for Test_spec.nxs; two_thetas[0,0], [0,1], [6,-1], intensities[0,0], [3,2000], [6,-1], their sum and
// file_basenames[2] for xrd-map-gadds.h5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDataAnyFormat, readNexusInWorker } from '../../../src/worker/hdf5.ts';
import { describeFile } from '../../../src/worker/methods.ts';
import { readAny } from '../../../src/worker/api.ts';
import { nodeFileAccess } from '../../../src/worker/nodeFiles.ts';
import { ParseError } from '../../../src/core/io/parseError.ts';
import type { ScanFile } from '../../../src/core/data/scan.ts';
import { fixture } from '../core/io/fixtures.ts';
import { checkResult, mutate, prng } from '../core/io/mutate.ts';

const sum = (file: ScanFile) => file.scans.reduce((s, scan) => s + scan.y.reduce((a, b) => a + b, 0), 0);

test('Dioptas Test_spec.nxs: 20 patterns of 1512 points in 2θ, values as h5py reads them', () => {
  const file = readNexusInWorker(fixture('nexus/Test_spec.nxs'), 'Test_spec.nxs');
  assert.equal(file.format, 'nexus');
  assert.equal(file.scans.length, 20);
  for (const s of file.scans) assert.equal(s.x.length, 1512);
  const s0 = file.scans[0];
  assert.equal(s0.axis, 'twoTheta');
  assert.equal(s0.unit, 'deg');
  assert.equal(s0.x[0], 0.01019698551);
  assert.equal(s0.x[1], 0.03059095652);
  assert.equal(s0.x[1511], 30.82548718);
  assert.equal(s0.y[0], 2.434518099);
  assert.equal(s0.y[700], 1719.557739);
  assert.equal(file.scans[19].y[1511], 60.00909424);
  assert.equal(file.scans[10].y[1000], 69.20413208);
  assert.ok(Math.abs(sum(file) - 4487182.216131399) < 1e-6);
  assert.equal(s0.wavelengths.length, 0);
  assert.equal(file.metadata.signal, '/processed/result/data');
  assert.equal(file.metadata['process int_unit'], '2th_deg');
});

test('scimap xrd-map-gadds.h5: 7 patterns with their own 2θ rows, Cu Kα from the float16 table', () => {
  const file = readNexusInWorker(fixture('nexus/xrd-map-gadds.h5'), 'xrd-map-gadds.h5');
  assert.equal(file.scans.length, 7);
  for (const s of file.scans) assert.equal(s.x.length, 4001);
  assert.equal(file.scans[0].x[0], 53.0);
  assert.equal(file.scans[0].x[1], 53.005);
  assert.equal(file.scans[6].x[4000], 73.0);
  assert.equal(file.scans[0].y[0], 7.131316);
  assert.equal(file.scans[3].y[2000], 17.824247);
  assert.equal(file.scans[6].y[4000], 16.144661);
  assert.ok(Math.abs(sum(file) - 501076.83359600004) < 1e-6);
  assert.equal(file.scans[2].sample, 'map-2');
  assert.deepEqual(
    file.scans[0].wavelengths.map((w) => [w.angstrom, w.ratio]),
    [
      [1.540593, 1],
      [1.544427, 0.5],
    ],
  );
});

test('the worker-side readData routes .nxs to the HDF5 thread and names the file in errors; readAny and describeFile use it', () => {
  const bytes = fixture('nexus/Test_spec.nxs');
  const viaRoute = readDataAnyFormat(bytes, 'Test_spec.nxs');
  assert.equal(viaRoute.kind, 'diffraction');
  const viaFiles = readAny(nodeFileAccess, path.resolve('test/fixtures/nexus/xrd-map-gadds.h5'));
  assert.equal(viaFiles.kind === 'diffraction' && viaFiles.scans.length, 7);
  const view = describeFile(bytes, 'Test_spec.nxs');
  assert.equal(view.type, 'diffraction');
  if (view.type === 'diffraction') assert.equal(view.scans.length, 20);
});

test('a truncated HDF5 file is a ParseError naming the file and HDF5\'s reason, promptly', () => {
  const whole = fixture('nexus/Test_spec.nxs');
  for (const cut of [100_000, 2000, 40]) {
    const t0 = Date.now();
    assert.throws(
      () => readNexusInWorker(whole.slice(0, cut), 'cut.nxs'),
      (e: unknown) => e instanceof ParseError && e.format === 'nexus' && /cut\.nxs/.test(e.message) && /truncated|open/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 10_000);
  }
  const view = describeFile(whole.slice(0, 5000), 'cut.nxs');
  assert.equal(view.type, 'error');
});

test('a reader that hangs is stopped after the timeout with a ParseError "HDF5 reader timed out"', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdf5-hang-'));
  const hang = path.join(dir, 'hang.mjs');
  // A busy loop, as a wasm runtime stuck in a damaged file would be: terminate() must still stop it.
  fs.writeFileSync(hang, 'for (;;) {}\n');
  try {
    const t0 = Date.now();
    assert.throws(
      () => readNexusInWorker(fixture('nexus/Test_spec.nxs'), 'slow.nxs', { workerFile: hang, timeoutMs: 500 }),
      (e: unknown) => e instanceof ParseError && /HDF5 reader timed out after 0\.5 s/.test(e.message),
    );
    assert.ok(Date.now() - t0 < 5000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing worker script is a ParseError, not a crash', () => {
  assert.throws(
    () => readNexusInWorker(new Uint8Array(8), 'x.nxs', { workerFile: path.join(os.tmpdir(), 'no-such-hdf5Worker.mjs') }),
    (e: unknown) => e instanceof ParseError && /no file/.test(e.message),
  );
});

test('a folder passed to readAny is a one-line error, not EISDIR', () => {
  assert.throws(() => readAny(nodeFileAccess, path.resolve('test/fixtures/nexus')), /nexus is a folder; name one file in it/);
});

// About 0.3 % of mutated HDF5 files hang the HDF5 library itself; the thread is then stopped at the timeout (2 s here,
// 20 s for users) and restarted, so these 10 000 take about 100 s. `node scripts/fuzz-readers.mjs N SEED nexus` runs more.
test('fuzz: 10 000 mutations of a small NeXus series through the HDF5 thread give a well-formed result or a ParseError', () => {
  const rnd = prng(11);
  const seed = fixture('nexus/small_series.nxs');
  const other = fixture('nexus/xrd-map-gadds.h5');
  let errors = 0;
  const count = 10_000;
  for (let k = 0; k < count; k++) {
    const input = mutate(seed, rnd, other);
    try {
      checkResult(readNexusInWorker(input, 'fuzz.nxs', { timeoutMs: 2000 }));
    } catch (e) {
      if (!(e instanceof ParseError)) assert.fail(`mutation ${k} threw ${e instanceof Error ? e.stack : String(e)}`);
      errors++;
    }
  }
  assert.ok(errors > 0 && errors < count, `${errors} of ${count} mutations failed to read`);
});

// The real 268 kB file costs ~15 ms a read through the thread: fewer mutations of it, on top of the small seed's.
test('fuzz: 200 mutations of Test_spec.nxs through the HDF5 thread give a well-formed result or a ParseError', () => {
  const rnd = prng(7);
  const seed = fixture('nexus/Test_spec.nxs');
  const other = fixture('nexus/xrd-map-gadds.h5');
  let errors = 0;
  for (let k = 0; k < 200; k++) {
    const input = mutate(seed, rnd, other);
    try {
      checkResult(readNexusInWorker(input, 'fuzz.nxs', { timeoutMs: 20_000 }));
    } catch (e) {
      if (!(e instanceof ParseError)) assert.fail(`mutation ${k} threw ${e instanceof Error ? e.stack : String(e)}`);
      errors++;
    }
  }
  assert.ok(errors > 0 && errors < 200, `${errors} of 200 mutations failed to read`);
});
