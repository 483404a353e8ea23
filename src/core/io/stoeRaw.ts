/**
 * STOE WinXPOW binary `.raw` ("RAW_1.06Powdat"). No public description was at hand; the layout below was worked
 * out from a real file (test/fixtures/stoe/stoe.raw) and is checked against itself in every way the file allows:
 * the stated end angle equals start + (n − 1)·step, the stated minimum and maximum counts equal those of the data,
 * the data end inside the 512-byte blocks the header counts, and zeros pad the rest of the last block.
 *
 * - file header, 2048 bytes: signature at 0, date "dd-Mon-yy hh:mm" at 16, title (NUL-terminated) at 32, number of
 *   ranges u16 at 304;
 * - per range: a 512-byte header — start and end date at +0 and +16, points u32 at +34, 2θ start f32 at +44, ω
 *   start at +48, 2θ end at +52, ω end at +56, 2θ step at +60, ω step at +64, minimum and maximum counts u32 at
 *   +120 and +124 — then the counts as int32, padded with zeros to a multiple of 512 bytes.
 *
 * The wavelength is not decoded: the only candidate floats in the header (1.20793, 1.20839 at 322) are neither a
 * Cu nor a Mo Kα pair, so the scan carries none and a warning says to give one.
 */
import type { Scan, ScanFile } from '../data/scan.ts';
import { binaryReader, f32Decimal, stepAxis } from './binary.ts';
import { putMeta } from './header.ts';

const FORMAT = 'stoe-raw';
const SIGNATURE = 'RAW_1.06Powdat';
const FILE_HEADER = 2048;
const RANGE_HEADER = 512;
const BLOCK = 512;
const MAX_RANGES = 256;
const MAX_POINTS = 10_000_000;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "22-Sep-20 17:18" → "2020-09-22T17:18:00" (no zone: the file gives none); undefined when it is not such a date. */
export function stoeDate(text: string): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
  const day = Number(m[1]);
  if (!month || day < 1 || day > 31 || Number(m[4]) > 23) return undefined;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) - (Number(m[3]) > 69 ? 100 : 0) : Number(m[3]);
  const p = (n: number | string) => String(n).padStart(2, '0');
  return `${year}-${p(month)}-${p(day)}T${p(m[4])}:${m[5]}:${p(m[6] ?? 0)}`;
}

/** Reads a STOE WinXPOW `.raw` file; each range becomes one scan in 2θ (degrees) with counts. */
export function readStoeRaw(bytes: Uint8Array): ScanFile {
  const r = binaryReader(bytes, FORMAT);
  const sig = r.str(0, Math.min(SIGNATURE.length, bytes.length), 'signature');
  if (sig !== SIGNATURE) r.fail(0, `the signature "${SIGNATURE}"`, JSON.stringify(sig));
  const meta: Record<string, string> = {};
  putMeta(meta, 'version', '1.06');
  const date = r.str(16, 16, 'file date');
  if (date) putMeta(meta, 'file date', date);
  const title = r.str(32, 256, 'title');
  if (title) putMeta(meta, 'title', title);
  const ranges = r.u16(304, 'number of ranges');
  if (!(ranges >= 1 && ranges <= MAX_RANGES)) r.fail(304, `a range count from 1 to ${MAX_RANGES}`, String(ranges));
  const scans: Scan[] = [];
  const warnings: string[] = ['STOE .raw: the wavelength is not read from this format; give it (wavelength, energy or anode) to convert 2θ'];
  let o = FILE_HEADER;
  for (let k = 0; k < ranges; k++) {
    r.need(o, RANGE_HEADER, `header of range ${k + 1}`);
    const n = r.u32(o + 34, 'number of points');
    if (!(n >= 1 && n <= MAX_POINTS)) r.fail(o + 34, `a point count from 1 to ${MAX_POINTS}`, String(n));
    const start = r.f32(o + 44, '2θ start');
    const end = r.f32(o + 52, '2θ end');
    const step = r.f32(o + 60, '2θ step');
    if (!(Number.isFinite(start) && Number.isFinite(step) && step > 0 && step < 180 && start > -180 && start < 360)) {
      r.fail(o + 44, 'a finite 2θ start and a positive step (degrees)', `start ${start}, step ${step}`);
    }
    // The stated end must be where n equal steps lead: this is what ties the fields to their meaning.
    if (!(Math.abs(start + (n - 1) * step - end) <= step / 2)) {
      r.fail(o + 52, `2θ end = start + (points − 1) × step = ${start + (n - 1) * step}`, String(end));
    }
    const dataAt = o + RANGE_HEADER;
    r.need(dataAt, n * 4, `${n} counts of range ${k + 1}`);
    const y = new Float64Array(n);
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataAt, n * 4);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = dv.getInt32(4 * i, true);
      y[i] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const statedMin = r.u32(o + 120, 'minimum count');
    const statedMax = r.u32(o + 124, 'maximum count');
    if (statedMin !== lo || statedMax !== hi) {
      warnings.push(`range ${k + 1}: counts span ${lo}…${hi}, the header states ${statedMin}…${statedMax}`);
    }
    const rangeMeta: Record<string, string> = { ...meta };
    const omegaStart = r.f32(o + 48, 'ω start');
    const omegaStep = r.f32(o + 64, 'ω step');
    if (Number.isFinite(omegaStart) && Number.isFinite(omegaStep)) {
      putMeta(rangeMeta, 'omega start (deg)', String(f32Decimal(omegaStart)));
      putMeta(rangeMeta, 'omega step (deg)', String(f32Decimal(omegaStep)));
    }
    putMeta(rangeMeta, 'range', `${k + 1} of ${ranges}`);
    const startText = r.str(o, 16, 'range start date');
    const endText = r.str(o + 16, 16, 'range end date');
    scans.push({
      x: stepAxis(f32Decimal(start), f32Decimal(step), n),
      y,
      axis: 'twoTheta',
      unit: 'deg',
      intensityKind: 'counts',
      wavelengths: [],
      geometry: 'unknown',
      startTime: stoeDate(startText) ?? (startText || undefined),
      endTime: stoeDate(endText) ?? (endText || undefined),
      sample: title && title !== 'This file has no Title' ? title : undefined,
      metadata: rangeMeta,
    });
    o = dataAt + Math.ceil((n * 4) / BLOCK) * BLOCK;
  }
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings };
}
