// STOE WinXPOW .raw: the real file from aimat-lab/xrdpattern. xylib has no STOE reader, so the expected values
// come from the file's own redundancy: its header states the end angle and the minimum and maximum counts, and
// the counts were dumped independently with Python (array('i') from byte 2560): first 4213, 4179, [2700] 2261,
// last 1285, sum 12964626.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStoeRaw, stoeDate } from '../../../../src/core/io/stoeRaw.ts';
import { detectFormat, readData } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { fixture } from './fixtures.ts';

test('stoe.raw: one range of 5404 counts from 10° to 91.045° 2θ in 0.015° steps', () => {
  const bytes = fixture('stoe/stoe.raw');
  assert.equal(detectFormat(bytes, 'stoe.raw').format, 'stoe-raw');
  const file = readData(bytes, 'stoe.raw');
  assert.equal(file.kind, 'diffraction');
  if (file.kind !== 'diffraction') return;
  assert.equal(file.format, 'stoe-raw');
  assert.equal(file.scans.length, 1);
  const s = file.scans[0];
  assert.equal(s.x.length, 5404);
  assert.equal(s.x[0], 10);
  assert.ok(Math.abs(s.x[5403] - 91.045) < 1e-9);
  for (let i = 1; i < s.x.length; i++) assert.ok(s.x[i] > s.x[i - 1]);
  assert.deepEqual([s.y[0], s.y[1], s.y[2700], s.y[5403]], [4213, 4179, 2261, 1285]);
  assert.equal(s.y.reduce((a, b) => a + b, 0), 12964626);
  // The header's minimum and maximum match the data, so no warning about them.
  assert.equal(Math.min(...s.y), 1129);
  assert.equal(Math.max(...s.y), 5824);
  assert.ok(!file.warnings.some((w) => /header states/.test(w)));
  assert.equal(s.intensityKind, 'counts');
  assert.equal(s.startTime, '2020-09-22T17:18:00');
  assert.equal(s.endTime, '2020-09-22T18:21:00');
  assert.equal(s.metadata['omega step (deg)'], '0.0075');
  assert.equal(s.wavelengths.length, 0);
  assert.ok(file.warnings.some((w) => /wavelength is not read/.test(w)));
});

test('stoeDate reads "dd-Mon-yy hh:mm" and refuses anything else', () => {
  assert.equal(stoeDate('22-Sep-20 17:18'), '2020-09-22T17:18:00');
  assert.equal(stoeDate('01-Jan-1999 00:05:07'), '1999-01-01T00:05:07');
  assert.equal(stoeDate('32-Foo-20 17:18'), undefined);
});

test('a truncated or altered STOE file is a ParseError with an offset', () => {
  const bytes = fixture('stoe/stoe.raw');
  for (const cut of [10, 300, 2100, 2560 + 1000]) {
    assert.throws(
      () => readStoeRaw(bytes.slice(0, cut)),
      (e: unknown) => e instanceof ParseError && e.format === 'stoe-raw' && e.offset !== undefined,
    );
  }
  const bad = bytes.slice();
  new DataView(bad.buffer).setFloat32(2048 + 52, 95, true);
  assert.throws(() => readStoeRaw(bad), /2θ end = start \+ \(points − 1\) × step/);
});
