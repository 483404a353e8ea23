import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBrukerRaw } from '../../../../src/core/io/brukerRaw.ts';
import { readBrml } from '../../../../src/core/io/brml.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, col, fixture, xylibBlocks } from './fixtures.ts';

// xylib writes x and y with 6 decimals (printf %f), our only allowance against its numbers.
function sameAsXylib(file: string, expected: string, ranges: number): void {
  const f = readBrukerRaw(fixture(`bruker-raw/${file}`));
  const blocks = xylibBlocks(expected);
  assert.equal(blocks.length, ranges);
  blocks.forEach((b, k) => {
    assertClose(f.scans[k].x, col(b.rows, 0), 5.01e-7, `${file} range ${k} x`);
    assertClose(f.scans[k].y, col(b.rows, 1), 5.01e-7, `${file} range ${k} y`);
  });
}

test('readBrukerRaw matches xylib on v3 files (Cu3Au-1, BT86, three-range format1)', () => {
  sameAsXylib('Cu3Au-1.raw', 'Cu3Au-1.raw.txt', 1);
  sameAsXylib('BT86.raw', 'BT86.raw.txt', 1);
  sameAsXylib('format1.raw', 'format1.raw.txt', 3);
});

test('readBrukerRaw reads both ranges of Keokuk kaolinite (xylib stops after the first)', () => {
  const f = readBrukerRaw(fixture('bruker-raw/Keokuk_kaolinite.RAW'));
  const [b] = xylibBlocks('Keokuk_kaolinite.RAW.txt');
  assertClose(f.scans[0].y, col(b.rows, 1), 5.01e-7, 'range 1 y');
  // MANIFEST (walk of the documented layout): 4001 pts from 10° step 0.02°; 3501 pts from 80° step 0.02°.
  assert.deepEqual(f.scans.map((s) => s.x.length), [4001, 3501]);
  assert.ok(Math.abs(f.scans[1].x[0] - 80) < 1e-9 && Math.abs(f.scans[1].x[1] - 80.02) < 1e-9);
  assert.equal(f.scans[0].sample, 'Kaolinite, Keokuk, Bish#1, -325, SBPM, 2B');
  assert.equal(f.scans[0].startTime, '1988-03-14T00:00:00');
});

test('readBrukerRaw keeps the v3 header: wavelengths, ratio, sample, time per step', () => {
  const s = readBrukerRaw(fixture('bruker-raw/Cu3Au-1.raw')).scans[0];
  assert.equal(s.x.length, 3901);
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.ratio, w.source]), [
    [1.5406, 1, 'file'],
    [1.54439, 0.5, 'file'],
  ]);
  assert.equal(s.sample, 'Cu3Au-1');
  assert.equal(s.intensityKind, 'counts');
});

test('readBrukerRaw reads v4 (xylib cannot): corundum.raw equals the same scan saved as .brml', () => {
  const raw = readBrukerRaw(fixture('bruker-raw/corundum.raw'));
  const brml = readBrml(fixture('brml/corundum.brml')).scans[0];
  const s = raw.scans[0];
  assert.equal(raw.metadata['format version'], '4');
  assert.equal(s.x.length, 6851);
  assertClose(s.y, brml.y, 0, 'counts');
  // The .brml rounds positions to 4 decimals.
  assertClose(s.x, brml.x, 5.1e-5, '2θ');
  assert.equal(s.sample, 'Corundum (new Safety Board)');
  assert.deepEqual(s.wavelengths.map((w) => w.angstrom), [1.5406, 1.54439]);
  assert.equal(s.countTimeS, brml.countTimeS);
});

test('readBrukerRaw reads the v4 TiO2 scan: 1647 points from 10°', () => {
  const s = readBrukerRaw(fixture('bruker-raw/TiO2.raw')).scans[0];
  assert.equal(s.x.length, 1647);
  assert.equal(s.x[0], 10);
  assert.equal(s.y[0], 557);
  assert.equal(s.sample, 'TiO2');
});

// No real v1/v2 files exist in our collection: these are written here from the documented layout.
function v1File(ranges: { start: number; step: number; y: number[] }[]): Uint8Array {
  const size = 4 + ranges.reduce((n, r) => n + 152 + 4 * r.y.length, 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set([0x52, 0x41, 0x57, 0x20]);
  let p = 4;
  ranges.forEach((r, k) => {
    dv.setUint32(p, r.y.length, true);
    dv.setFloat32(p + 4, 1.5, true);
    dv.setFloat32(p + 8, r.step, true);
    dv.setFloat32(p + 20, r.start, true);
    b.set(new TextEncoder().encode('quartz'), p + 36);
    dv.setFloat32(p + 68, 1.5406, true);
    dv.setFloat32(p + 72, 1.54439, true);
    dv.setUint32(p + 148, k < ranges.length - 1 ? 1 : 0, true);
    p += 152;
    r.y.forEach((v, i) => dv.setFloat32(p + 4 * i, v, true));
    p += 4 * r.y.length;
  });
  return b;
}

test('readBrukerRaw reads a v1 file written from the format description (two ranges)', () => {
  const f = readBrukerRaw(v1File([
    { start: 10, step: 0.05, y: [1, 2, 3] },
    { start: 40, step: 0.1, y: [7, 8] },
  ]));
  assert.equal(f.scans.length, 2);
  assert.deepEqual([...f.scans[0].x], [10, 10.05, 10.1]);
  assert.deepEqual([...f.scans[1].y], [7, 8]);
  assert.equal(f.scans[0].sample, 'quartz');
  assert.equal(f.scans[0].countTimeS, 1.5);
  assert.equal(f.scans[0].wavelengths[0].angstrom, 1.5406);
});

test('readBrukerRaw reads a v2 file written from the format description', () => {
  const y = [10, 20, 30, 40];
  const b = new Uint8Array(256 + 48 + 4 * y.length);
  const dv = new DataView(b.buffer);
  b.set(new TextEncoder().encode('RAW2'));
  dv.setUint16(4, 1, true);
  b.set(new TextEncoder().encode('Mo'), 188);
  dv.setFloat32(190, 0.70932, true);
  dv.setFloat32(194, 0.71361, true);
  dv.setFloat32(198, 0.5, true);
  dv.setUint16(256, 48 + 4, true); // header length (> 48), data follows it
  dv.setUint16(258, y.length, true);
  dv.setFloat32(264, 2, true);
  dv.setFloat32(268, 0.02, true);
  dv.setFloat32(272, 5, true);
  dv.setUint16(302, 298, true);
  const c = new Uint8Array(b.length + 4);
  c.set(b);
  const dc = new DataView(c.buffer);
  y.forEach((v, i) => dc.setFloat32(256 + 52 + 4 * i, v, true));
  const s = readBrukerRaw(c.subarray(0, 256 + 52 + 4 * y.length)).scans[0];
  assert.deepEqual([...s.y], y);
  assert.deepEqual([...s.x], [5, 5.02, 5.04, 5.06]);
  assert.equal(s.countTimeS, 2);
  assert.equal(s.temperatureK, 298);
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.label]), [
    [0.70932, 'Mo Kα1'],
    [0.71361, 'Mo Kα2'],
  ]);
});

test('readBrukerRaw throws ParseError for a bad signature, a truncated range and an absurd step count', () => {
  assert.throws(() => readBrukerRaw(new TextEncoder().encode('NOTRAW')), ParseError);
  const cu = fixture('bruker-raw/Cu3Au-1.raw');
  assert.throws(() => readBrukerRaw(cu.subarray(0, 5000)), (e: unknown) => e instanceof ParseError && e.offset !== undefined);
  const huge = v1File([{ start: 1, step: 1, y: [1] }]);
  new DataView(huge.buffer).setUint32(4, 4_000_000_000, true);
  assert.throws(() => readBrukerRaw(huge), ParseError);
});
