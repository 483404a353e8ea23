import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPdcif } from '../../../../src/core/io/pdcif.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { assertClose, col, fixture, xylibBlocks } from './fixtures.ts';

// xylib's pdcif output has the processed 2θ first, then the measured 2θ, then each loop value with its
// standard uncertainty split into a column of its own; we read the measured 2θ.

test('readPdcif matches xylib on COD 1517474 (neutron, 3296 points, intensities with uncertainties)', () => {
  const s = readPdcif(fixture('pdcif/1517474.cif')).scans[0];
  const [b] = xylibBlocks('1517474.cif.txt');
  assert.equal(s.x.length, 3296);
  assertClose(s.x, col(b.rows, 1), 5.01e-7, '2θ (measured)');
  assertClose(s.y, col(b.rows, 2), 5.01e-7, 'intensity');
  assertClose(s.sigma!, col(b.rows, 3), 5.01e-7, 'σ');
  assert.equal(s.sigma![0], 160);
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.ratio]), [[2.0785, 1]]);
});

test('readPdcif matches xylib on COD 1501688 (Cu Kα1/Kα2 loop with weights, 3728 counts)', () => {
  const s = readPdcif(fixture('pdcif/xrdpattern_data.cif')).scans[0];
  const [b] = xylibBlocks('xrdpattern_data.cif.txt');
  assert.equal(s.x.length, 3728);
  assertClose(s.x, col(b.rows, 1), 5.01e-7, '2θ');
  assertClose(s.y, col(b.rows, 2), 5.01e-7, 'counts');
  assert.equal(s.intensityKind, 'counts');
  assert.deepEqual(s.wavelengths.map((w) => [w.angstrom, w.ratio]), [
    [1.540598, 1],
    [1.54439, 0.38],
  ]);
});

test('readPdcif throws ParseError for a CIF without a pattern loop and for an unclosed text field', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  assert.throws(() => readPdcif(enc('data_x\n_cell_length_a 3.0\n')), (e: unknown) => e instanceof ParseError && /_pd_meas_counts_total/.test(e.expected));
  assert.throws(() => readPdcif(enc('data_x\n_title\n;never closed\n')), ParseError);
});
