// Test helpers: read the simulated .xy fixtures (two columns, '#' header) into a Scan, and the truth table.
import fs from 'node:fs';
import path from 'node:path';
import type { Scan, WavelengthLine } from '../../../../src/core/data/scan.ts';

/** Root of test/fixtures/simulated, found from the working directory (tests run from the repo root). */
export const SIMULATED = path.resolve('test/fixtures/simulated');

/** Parse a simulated .xy file; wavelengths from its 'wavelength_A=' header line (comma-separated, with intensities). */
export function readSimulatedXy(file: string): Scan {
  const text = fs.readFileSync(path.join(SIMULATED, file), 'utf8');
  const xs: number[] = [];
  const ys: number[] = [];
  let wavelengths: WavelengthLine[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const m = /wavelength_A=([0-9.,]+)(?:\s+intensities=([0-9.,]+))?/.exec(line);
      if (m) {
        const lams = m[1].split(',').filter(Boolean).map(Number);
        const ratios = m[2] ? m[2].split(',').map(Number) : lams.map(() => 1);
        wavelengths = lams.map((angstrom, i) => ({ angstrom, ratio: ratios[i], source: 'file' as const }));
      }
      continue;
    }
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    xs.push(Number(parts[0]));
    ys.push(Number(parts[1]));
  }
  return {
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind: 'counts',
    wavelengths,
    geometry: 'unknown',
    metadata: {},
  };
}

/** One row of truth_series.csv. */
export interface TruthRow {
  readonly index: number;
  readonly cLi: number;
  readonly a: number;
  readonly c: number;
  readonly epsC: number;
  readonly epsIso: number;
  readonly fwhm003: number;
  readonly file: string;
}

export function readTruth(): TruthRow[] {
  const lines = fs.readFileSync(path.join(SIMULATED, 'truth_series.csv'), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const col = (name: string): number => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const v = l.split(',');
    return {
      index: Number(v[col('index')]),
      cLi: Number(v[col('c_Li')]),
      a: Number(v[col('a')]),
      c: Number(v[col('c')]),
      epsC: Number(v[col('eps_c')]),
      epsIso: Number(v[col('eps_iso')]),
      fwhm003: Number(v[col('fwhm003')]),
      file: v[col('file')],
    };
  });
}
