import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstprm, parseInstprm } from '../../../../src/core/diffraction/instprm.ts';
import { INSTRUMENT_DEFAULTS } from '../../../../src/core/diffraction/patternModel.ts';

const CU_LAB = `#GSAS-II instrument parameter file; do not add/delete items!
Type:PXC
Bank:1.0
Lam1:1.5405
Lam2:1.5443
I(L2)/I(L1):0.5
Zero:0.01
Polariz.:0.7
U:2.0
V:-2.0
W:5.0
X:1.5
Y:3.0
Z:0.0
SH/L:0.002
Azimuth:0.0
`;

test('parseInstprm converts GSAS-II σ² in centideg² to FWHM² in deg² (× 8 ln 2 · 1e-4) and centideg to deg', () => {
  const f = parseInstprm(CU_LAB);
  assert.equal(f.wavelengths.length, 2);
  assert.deepEqual(
    f.wavelengths.map((w) => [w.angstrom, w.ratio]),
    [
      [1.5405, 1],
      [1.5443, 0.5],
    ],
  );
  assert.ok(Math.abs((f.instrument.W ?? 0) - 5 * 8 * Math.LN2 * 1e-4) < 1e-15);
  assert.ok(Math.abs((f.instrument.U ?? 0) - 2 * 8 * Math.LN2 * 1e-4) < 1e-15);
  assert.equal(f.instrument.X, 0.015);
  assert.equal(f.instrument.Y, 0.03);
  assert.equal(f.instrument.zeroDeg, 0.01);
  assert.equal(f.instrument.sOverL, 0.001);
  assert.ok(f.ignored.includes('Polariz.'));
});

test('formatInstprm and parseInstprm round-trip an instrument (1e-12 relative)', () => {
  const inst = { ...INSTRUMENT_DEFAULTS, U: 0.002, V: -0.0001, W: 0.0004, X: 0.0105, Y: 0.002, sOverL: 0.004, hOverL: 0.004, zeroDeg: -0.003 };
  const back = parseInstprm(formatInstprm(inst, [{ angstrom: 0.4592, ratio: 1, source: 'user' }]));
  for (const k of ['U', 'V', 'W', 'X', 'Y', 'sOverL', 'hOverL', 'zeroDeg'] as const) {
    assert.ok(Math.abs((back.instrument[k] ?? NaN) - inst[k]) <= 1e-12 * Math.abs(inst[k]), k);
  }
  assert.equal(back.wavelengths[0].angstrom, 0.4592);
});
