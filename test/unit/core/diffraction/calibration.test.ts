// Calibration on certified standards (real files in test/fixtures, see its README), and the transfer of a
// calibration to an independent pattern. Truth: NIST certificates (LaB6 SRM 660c 4.156826 Å, 660b 4.15689 Å) and
// Hölzer et al. (1997) Cu Kα1 = 1.540593 Å.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readData } from '../../../../src/core/io/index.ts';
import type { Scan, WavelengthLine } from '../../../../src/core/data/scan.ts';
import {
  STANDARDS,
  calibrateInstrument,
  formatCalibrationInstprm,
  wavelengthRelativeSigmaOf,
} from '../../../../src/core/diffraction/calibration.ts';
import { parseInstprm } from '../../../../src/core/diffraction/instprm.ts';
import { fitPawley } from '../../../../src/core/diffraction/leBail.ts';

const FIXTURES = path.resolve('test/fixtures');
function read(f: string): Scan {
  const r = readData(new Uint8Array(fs.readFileSync(path.join(FIXTURES, f))), f) as unknown as { scans: Scan[] };
  return r.scans[0];
}
// Hölzer et al., Phys. Rev. A 1997, 56, 4554: Cu Kα1, Kα2 (Å).
const CU: WavelengthLine[] = [
  { angstrom: 1.540593, ratio: 1, source: 'user', label: 'Kα1' },
  { angstrom: 1.544427, ratio: 0.5, source: 'user', label: 'Kα2' },
];
const D500 = 'xy/LaB6_d500_si_psd.xye';
const JAN2018 = 'bruker-raw/LaB6_Jan2018.raw';

test('calibrating λ on LaB6 (D500, cell held at SRM 660c) returns Cu Kα1 within 1e-4 of Hölzer 1997, with σ', () => {
  const cal = calibrateInstrument(read(D500), 'lab6', { wavelengths: CU, refine: ['wavelength', 'zero', 'displacement'], rangeDeg: [15, 150] });
  const rel = (cal.wavelengthAngstrom - 1.540593) / 1.540593;
  console.log(`D500 λ ${cal.wavelengthAngstrom.toFixed(6)} ± ${cal.wavelengthSigmaAngstrom.toExponential(2)} Å (Δλ/λ ${rel.toExponential(2)}), zero ${cal.zeroDeg.toFixed(4)}°, GoF ${cal.gof.toFixed(3)}, ${cal.stopReason}`);
  assert.ok(Math.abs(rel) <= 1e-4, `Δλ/λ = ${rel}`);
  assert.ok(cal.wavelengthRelativeSigma > 0 && cal.wavelengthRelativeSigma < 1e-4);
  assert.ok(cal.gof < 1.5, `GoF ${cal.gof}`);
  assert.match(cal.stopReason, /^converged|max-iterations/);
});

// Independence: the D500 file (xrayutilities example) and LaB6_Jan2018.raw (GSAS-II CWInstDemo, SRM 660b) are
// different measurements on different instruments. The shared data holds no two independent standard patterns
// from one instrument, so only λ can meaningfully transfer (the zero and displacement of the second pattern are its
// own and are refined). Over 20–70° (8 peaks) the second pattern's cell is poorly conditioned against zero and
// displacement (σ_a/a ≈ 5e-5, and the result moves by 1e-4 with the asymmetry model), so this is kept as a todo:
// it runs and prints, but the 1e-4 target is not claimed. The same transfer to NIST660CBI.gsas (SRM 660c) misses
// by 2.3e-4: the two instruments' effective wavelengths differ by that much.
test('a λ calibrated on one LaB6 pattern (D500) gives the cell of an independent LaB6 pattern (Bruker, SRM 660b) within 1e-4', { todo: 'cross-instrument transfer; see the comment above' }, () => {
  const cal = calibrateInstrument(read(D500), 'lab6', { wavelengths: CU, refine: ['wavelength', 'zero', 'displacement'], rangeDeg: [15, 150] });
  // Written and read back as a GSAS-II .instprm, as a user would.
  const text = formatCalibrationInstprm(cal);
  const file = parseInstprm(text);
  const relSigma = wavelengthRelativeSigmaOf(text);
  assert.ok(Math.abs(relSigma - cal.wavelengthRelativeSigma) <= 1e-12);
  const sample = read(JAN2018);
  // The second pattern is another instrument and mount: its zero and displacement are its own (refined); the
  // calibrated λ is held; the cell is refined.
  const fit = fitPawley(sample, [{ name: 'LaB6', spaceGroup: 'Pm-3m', cell: STANDARDS.lab6.cell }], {
    wavelengths: file.wavelengths,
    rangeDeg: [20, 70],
    strain: 'iso',
    refine: { zero: true, displacement: true, asymmetry: true },
    instrument: { sOverL: 0.015, hOverL: 0.015 },
    wavelengthRelativeSigma: relSigma,
  });
  const a = fit.phases[0].a;
  const rel = (a - 4.15689) / 4.15689;
  console.log(`LaB6_Jan2018 a ${a.toFixed(6)} ± ${fit.phases[0].aSigma.toExponential(2)} Å (Δa/a ${rel.toExponential(2)} vs SRM 660b), GoF ${fit.gof.toFixed(3)}, ${fit.stopReason}`);
  assert.ok(Math.abs(rel) <= 1e-4, `Δa/a = ${rel}`);
  // σ(λ) is in the cell's σ: σ_a ≥ a σ_λ/λ.
  assert.ok(fit.phases[0].aSigma >= a * relSigma * (1 - 1e-9));
});
