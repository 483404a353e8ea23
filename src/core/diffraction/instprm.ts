/**
 * GSAS-II constant-wavelength instrument parameter files (`.instprm`, `key:value` lines). Conventions are converted
 * here and nowhere else (science.md §3):
 * - GSAS-II U, V, W are Gaussian variances σ² in centidegrees²: H_G² [deg²] = 8 ln 2 · 10⁻⁴ · (U tan²θ + V tanθ + W);
 * - GSAS-II X (1/cosθ, size) and Y (tanθ, strain) are Lorentzian FWHMs in centidegrees: ours are in degrees;
 * - GSAS-II SH/L is (S + H)/L of the FCJ model: split equally into S/L and H/L;
 * - Zero is in degrees of 2θ in both (GSAS-II, not the older GSAS, which used centidegrees).
 */
import type { WavelengthLine } from '../data/scan.ts';
import type { InstrumentProfile } from './patternModel.ts';

/** What an instrument file carries: profile terms and emission lines. */
export interface InstrumentFile {
  readonly instrument: Partial<InstrumentProfile>;
  readonly wavelengths: readonly WavelengthLine[];
  /** Keys present in the file that the engine does not use (e.g. Polariz., Z, Azimuth). */
  readonly ignored: readonly string[];
}

/** 8 ln 2 · 10⁻⁴: GSAS-II σ² (centideg²) → FWHM² (deg²). */
const VARIANCE_TO_FWHM2 = 8 * Math.LN2 * 1e-4;

/** Parse a GSAS-II `.instprm` text (keys case-sensitive as GSAS-II writes them; `#` lines are comments). */
export function parseInstprm(text: string): InstrumentFile {
  const values = new Map<string, number>();
  const ignored: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = Number(line.slice(colon + 1).trim());
    if (Number.isFinite(value)) values.set(key, value);
    else if (key !== 'Type') ignored.push(key);
  }
  const get = (k: string): number | undefined => values.get(k);
  const wavelengths: WavelengthLine[] = [];
  const lam = get('Lam') ?? get('Lam1');
  if (lam !== undefined) wavelengths.push({ angstrom: lam, ratio: 1, source: 'file', label: get('Lam2') ? 'Kα1' : undefined });
  const lam2 = get('Lam2');
  if (lam2 !== undefined) wavelengths.push({ angstrom: lam2, ratio: get('I(L2)/I(L1)') ?? 0.5, source: 'file', label: 'Kα2' });
  const instrument: { -readonly [K in keyof InstrumentProfile]?: InstrumentProfile[K] } = {};
  const u = get('U');
  const v = get('V');
  const w = get('W');
  if (u !== undefined) instrument.U = u * VARIANCE_TO_FWHM2;
  if (v !== undefined) instrument.V = v * VARIANCE_TO_FWHM2;
  if (w !== undefined) instrument.W = w * VARIANCE_TO_FWHM2;
  const x = get('X');
  const y = get('Y');
  if (x !== undefined) instrument.X = x / 100;
  if (y !== undefined) instrument.Y = y / 100;
  const shl = get('SH/L');
  if (shl !== undefined) {
    instrument.sOverL = shl / 2;
    instrument.hOverL = shl / 2;
  }
  const zero = get('Zero');
  if (zero !== undefined) instrument.zeroDeg = zero;
  const used = new Set(['Lam', 'Lam1', 'Lam2', 'I(L2)/I(L1)', 'U', 'V', 'W', 'X', 'Y', 'SH/L', 'Zero', 'Bank']);
  for (const k of values.keys()) if (!used.has(k)) ignored.push(k);
  return { instrument, wavelengths, ignored };
}

/** Write a GSAS-II `.instprm` (type PXC, one bank) from our profile and lines; S/L and H/L are written as their sum. */
export function formatInstprm(instrument: InstrumentProfile, wavelengths: readonly WavelengthLine[]): string {
  if (!wavelengths.length) throw new RangeError('formatInstprm: at least one wavelength is needed');
  const sorted = [...wavelengths].sort((a, b) => b.ratio - a.ratio);
  const lines = ['#GSAS-II instrument parameter file; do not add/delete items!', 'Type:PXC', 'Bank:1.0'];
  if (sorted.length === 1) lines.push(`Lam:${sorted[0].angstrom}`);
  else {
    lines.push(`Lam1:${sorted[0].angstrom}`, `Lam2:${sorted[1].angstrom}`, `I(L2)/I(L1):${sorted[1].ratio / sorted[0].ratio}`);
  }
  lines.push(
    `Zero:${instrument.zeroDeg}`,
    `U:${instrument.U / VARIANCE_TO_FWHM2}`,
    `V:${instrument.V / VARIANCE_TO_FWHM2}`,
    `W:${instrument.W / VARIANCE_TO_FWHM2}`,
    `X:${instrument.X * 100}`,
    `Y:${instrument.Y * 100}`,
    `Z:0.0`,
    `SH/L:${instrument.sOverL + instrument.hOverL}`,
  );
  return lines.join('\n') + '\n';
}
