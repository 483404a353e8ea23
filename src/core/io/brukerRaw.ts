/**
 * Siemens/Bruker DIFFRAC `.raw` binary scans, versions 1 ("RAW "), 2 ("RAW2"), 3 ("RAW1.01") and 4 ("RAW4.00").
 * All numbers are little-endian. Layouts follow the DIFFRAC-plus XCH manual (appendix A, versions 1–3) as
 * documented by xylib and GSAS-II, and, for version 4, the segment structure (type, length) as read by GSAS-II:
 *
 * - v1: per range a 156-byte header (steps u32, time/step f32, step f32, scan mode u32, start f32, θ/χ/φ starts,
 *   32-byte sample name, Kα1/Kα2 f32, 72 unused bytes, "another range follows" u32), then `steps` float32 counts.
 * - v2: range count u16 at 4, date at 168, anode at 188, Kα1/Kα2/ratio f32 at 190; ranges from 256, each with its
 *   own header length (u16), steps (u16), time/step, step and start (f32), then float32 counts.
 * - v3: 712-byte file header (range count at 12, date/time at 16/26, sample at 326, anode at 608, Kα average, Kα1,
 *   Kα2, Kβ, ratio as f64 from 616); each range a 304-byte header (+ supplementary bytes) then float32 counts.
 * - v4: from byte 61 a chain of segments (u32 type, u32 length): 10 = text item, 30 = X-ray source, 0/160 = a
 *   range whose 160-byte header holds scan type, start, step, steps, datum size and a sub-header length.
 */
import type { Scan, ScanFile, WavelengthLine } from '../data/scan.ts';
import { binaryReader, f32Decimal, float32Column, stepAxis, type BinaryReader } from './binary.ts';
import { putMeta } from './header.ts';
import { anodeWavelengths } from './wavelengths.ts';

const FORMAT = 'bruker-raw';
/** No real diffractometer range has more points than this; a larger count is corruption. */
const MAX_STEPS = 50_000_000;
const MAX_RANGES = 100_000;

/** Reads a Bruker `.raw` file (any of versions 1–4); each range becomes one scan. */
export function readBrukerRaw(bytes: Uint8Array): ScanFile {
  const r = binaryReader(bytes, FORMAT);
  if (bytes.length < 4) r.fail(0, 'a RAW signature ("RAW ", "RAW2", "RAW1.01" or "RAW4.00")', `${bytes.length} bytes`);
  const head = r.str(0, Math.min(7, bytes.length), 'signature');
  if (head.startsWith('RAW4')) return readV4(r);
  if (head.startsWith('RAW1.01')) return readV3(r);
  if (head.startsWith('RAW2')) return readV2(r);
  if (bytes[0] === 0x52 && bytes[1] === 0x41 && bytes[2] === 0x57 && bytes[3] === 0x20) return readV1(r);
  return r.fail(0, 'a RAW signature ("RAW ", "RAW2", "RAW1.01" or "RAW4.00")', JSON.stringify(head));
}

function checkSteps(r: BinaryReader, offset: number, steps: number, datum = 4): void {
  if (!(steps >= 0 && steps <= MAX_STEPS)) r.fail(offset, `a step count up to ${MAX_STEPS}`, String(steps));
  r.need(offset, 0, 'range');
  if (steps * datum > r.length) r.fail(offset, `${steps} points of ${datum} bytes inside the file`, `${r.length} bytes in all`);
}

function scanOf(
  x: Float64Array,
  y: Float64Array,
  wavelengths: WavelengthLine[],
  meta: Record<string, string>,
  extra: Partial<Scan> = {},
): Scan {
  return { x, y, axis: 'twoTheta', unit: 'deg', intensityKind: 'counts', wavelengths, geometry: 'unknown', metadata: meta, ...extra };
}

/** ISO date from "mm/dd/yy[yy]" or "dd/mm/yy" when the day/month order can be told apart; undefined otherwise. */
export function isoFromSlashDate(date: string, time: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(date.trim());
  const t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.trim());
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  let y = Number(m[3]);
  if (m[3].length === 2) y += y < 70 ? 2000 : 1900;
  let month: number;
  let day: number;
  if (a > 12 && b <= 12) [day, month] = [a, b];
  else if (b > 12 && a <= 12) [month, day] = [a, b];
  else if (a === b) [month, day] = [a, b];
  else return undefined;
  if (month < 1 || day < 1 || day > 31) return undefined;
  const p2 = (v: number) => String(v).padStart(2, '0');
  const hms = t ? `T${p2(Number(t[1]))}:${t[2]}:${t[3] ?? '00'}` : '';
  return `${y}-${p2(month)}-${p2(day)}${hms}`;
}

function readV1(r: BinaryReader): ScanFile {
  const meta: Record<string, string> = { 'format version': '1' };
  const scans: Scan[] = [];
  let pos = 4;
  let more = 1;
  while (more && pos < r.length) {
    if (scans.length >= MAX_RANGES) r.fail(pos, `at most ${MAX_RANGES} ranges`, 'more');
    // Early files repeat "RAW " before every further range.
    if (scans.length && r.length - pos >= 4 && r.str(pos, 4, 'range signature') === 'RAW') pos += 4;
    const steps = r.u32(pos, 'steps');
    const timePerStep = r.f32(pos + 4, 'time per step');
    const step = r.f32(pos + 8, 'step size');
    const start = r.f32(pos + 20, 'start 2θ');
    const sample = r.str(pos + 36, 32, 'sample name');
    const a1 = r.f32(pos + 68, 'Kα1');
    const a2 = r.f32(pos + 72, 'Kα2');
    more = r.u32(pos + 148, 'following-range flag');
    pos += 152;
    checkSteps(r, pos, steps);
    const y = float32Column(r, pos, steps, 'counts');
    pos += 4 * steps;
    const m: Record<string, string> = { ...meta, 'time per step (s)': String(f32Decimal(timePerStep)) };
    const wl: WavelengthLine[] = [];
    if (a1 > 0) wl.push({ angstrom: f32Decimal(a1), ratio: 1, source: 'file', label: 'Kα1' });
    if (a1 > 0 && a2 > 0 && a2 !== a1) wl.push({ angstrom: f32Decimal(a2), ratio: 0.5, source: 'default', label: 'Kα2' });
    scans.push(
      scanOf(stepAxis(f32Decimal(start), f32Decimal(step), steps), y, wl, m, {
        sample: sample || undefined,
        countTimeS: f32Decimal(timePerStep),
      }),
    );
  }
  if (!scans.length) r.fail(4, 'a range', 'none');
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings: [] };
}

function readV2(r: BinaryReader): ScanFile {
  const meta: Record<string, string> = { 'format version': '2' };
  const ranges = r.u16(4, 'range count');
  const date = r.str(168, 20, 'date and time');
  const anode = r.str(188, 2, 'anode');
  const a1 = r.f32(190, 'Kα1');
  const a2 = r.f32(194, 'Kα2');
  const ratio = r.f32(198, 'Kα2/Kα1 ratio');
  putMeta(meta, 'date and time', date);
  putMeta(meta, 'anode', anode);
  const wl = wavelengthsOf(f32Decimal(a1), f32Decimal(a2), f32Decimal(ratio), anode);
  const scans: Scan[] = [];
  let pos = 256;
  for (let k = 0; k < ranges; k++) {
    const headerLen = r.u16(pos, 'range header length');
    if (headerLen <= 48) r.fail(pos, 'a range header longer than 48 bytes', String(headerLen));
    const steps = r.u16(pos + 2, 'steps');
    const timePerStep = f32Decimal(r.f32(pos + 8, 'time per step'));
    const step = f32Decimal(r.f32(pos + 12, 'step size'));
    const start = f32Decimal(r.f32(pos + 16, 'start 2θ'));
    const temperature = r.u16(pos + 46, 'temperature');
    const data = pos + headerLen;
    checkSteps(r, data, steps);
    const y = float32Column(r, data, steps, 'counts');
    scans.push(
      scanOf(stepAxis(start, step, steps), y, wl, { ...meta }, {
        countTimeS: timePerStep,
        temperatureK: temperature > 0 ? temperature : undefined,
      }),
    );
    pos = data + 4 * steps;
  }
  if (!scans.length) r.fail(4, 'at least one range', '0');
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings: [] };
}

function wavelengthsOf(a1: number, a2: number, ratio: number, anode: string): WavelengthLine[] {
  const el = anode ? `${anode[0].toUpperCase()}${anode.slice(1).toLowerCase()} ` : '';
  const out: WavelengthLine[] = [];
  if (Number.isFinite(a1) && a1 > 0.05 && a1 < 20) {
    out.push({ angstrom: a1, ratio: 1, source: 'file', label: `${el}Kα1` });
    if (Number.isFinite(a2) && a2 > 0.05 && a2 < 20 && Number.isFinite(ratio) && ratio > 0 && ratio <= 1) {
      out.push({ angstrom: a2, ratio, source: 'file', label: `${el}Kα2` });
    }
    return out;
  }
  return anodeWavelengths(anode);
}

function readV3(r: BinaryReader): ScanFile {
  const meta: Record<string, string> = { 'format version': '3' };
  const status = r.u32(8, 'file status');
  putMeta(meta, 'file status', ['', 'done', 'active', 'aborted', 'interrupted'][status] ?? String(status));
  const ranges = r.u32(12, 'range count');
  if (ranges > MAX_RANGES) r.fail(12, `at most ${MAX_RANGES} ranges`, String(ranges));
  const date = r.str(16, 10, 'measure date');
  const time = r.str(26, 10, 'measure time');
  putMeta(meta, 'measure date', date);
  putMeta(meta, 'measure time', time);
  putMeta(meta, 'user', r.str(36, 72, 'user'));
  putMeta(meta, 'site', r.str(108, 218, 'site'));
  const sample = r.str(326, 60, 'sample id');
  putMeta(meta, 'sample id', sample);
  putMeta(meta, 'comment', r.str(386, 160, 'comment'));
  const radius = r.f32(564, 'goniometer radius');
  if (radius > 0) putMeta(meta, 'goniometer radius (mm)', String(f32Decimal(radius)));
  const anode = r.str(608, 4, 'anode');
  putMeta(meta, 'anode', anode);
  const a1 = r.f64(624, 'Kα1');
  const a2 = r.f64(632, 'Kα2');
  const ratio = r.f64(648, 'Kα2/Kα1 ratio');
  putMeta(meta, 'Kα average (Å)', String(r.f64(616, 'Kα average')));
  const wl = wavelengthsOf(a1, a2, ratio, anode);
  const startTime = isoFromSlashDate(date, time);
  const scans: Scan[] = [];
  let pos = 712;
  for (let k = 0; k < ranges; k++) {
    const headerLen = r.u32(pos, 'range header length');
    if (headerLen !== 304) r.fail(pos, 'a range header length of 304', String(headerLen));
    const steps = r.u32(pos + 4, 'steps');
    const start2Theta = r.f64(pos + 16, 'start 2θ');
    const step = r.f64(pos + 176, 'step size');
    const timePerStep = f32Decimal(r.f32(pos + 192, 'time per step'));
    const kV = r.u32(pos + 224, 'generator voltage');
    const mA = r.u32(pos + 228, 'generator current');
    const supplementary = r.u32(pos + 256, 'supplementary header size');
    const m: Record<string, string> = { ...meta };
    putMeta(m, 'start θ (deg)', String(r.f64(pos + 8, 'start θ')));
    putMeta(m, 'generator', `${kV} kV, ${mA} mA`);
    putMeta(m, 'used λ (Å)', String(r.f64(pos + 240, 'used λ')));
    const data = pos + headerLen + supplementary;
    if (supplementary > r.length) r.fail(pos + 256, 'a supplementary header inside the file', String(supplementary));
    checkSteps(r, data, steps);
    const y = float32Column(r, data, steps, 'counts');
    scans.push(
      scanOf(stepAxis(start2Theta, step, steps), y, wl, m, {
        countTimeS: timePerStep,
        sample: sample || undefined,
        startTime,
      }),
    );
    pos = data + 4 * steps;
  }
  if (!scans.length) r.fail(12, 'at least one range', '0');
  return { kind: 'diffraction', format: FORMAT, scans, metadata: meta, warnings: [] };
}

function readV4(r: BinaryReader): ScanFile {
  const meta: Record<string, string> = { 'format version': '4' };
  const date = r.str(12, 12, 'measure date');
  const time = r.str(24, 10, 'measure time');
  putMeta(meta, 'measure date', date);
  putMeta(meta, 'measure time', time);
  const startTime = isoFromSlashDate(date, time);
  const warnings: string[] = [];
  let wl: WavelengthLine[] = [];
  let anode = '';
  const scans: Scan[] = [];
  let pos = 61;
  let segments = 0;
  while (pos + 4 <= r.length) {
    if (++segments > 1_000_000) r.fail(pos, 'at most 10^6 segments', 'more');
    const type = r.u32(pos, 'segment type');
    if (type === 0 || type === 160) {
      if (r.length - pos < 160) break;
      const scanType = r.str(pos + 32, 24, 'scan type');
      const start = r.f64(pos + 72, 'start angle');
      const step = r.f64(pos + 80, 'step size');
      const steps = r.u32(pos + 88, 'steps');
      const stepTime = r.f32(pos + 92, 'time per step');
      const kV = r.f32(pos + 100, 'generator voltage');
      const mA = r.f32(pos + 104, 'generator current');
      const usedLambda = r.f64(pos + 112, 'used λ');
      const datum = r.u32(pos + 136, 'datum size');
      const subLen = r.u32(pos + 140, 'range sub-header length');
      if (datum !== 4) r.fail(pos + 136, 'a datum size of 4 bytes (float32 counts)', String(datum));
      if (subLen > r.length) r.fail(pos + 140, 'a range sub-header inside the file', String(subLen));
      const m: Record<string, string> = { ...meta };
      putMeta(m, 'scan type', scanType);
      putMeta(m, 'effective time per step (s)', String(f32Decimal(stepTime)));
      putMeta(m, 'generator', `${f32Decimal(kV)} kV, ${f32Decimal(mA)} mA`);
      putMeta(m, 'used λ (Å)', String(usedLambda));
      readV4Drives(r, pos + 160, subLen, m);
      const data = pos + 160 + subLen;
      checkSteps(r, data, steps);
      const y = float32Column(r, data, steps, 'counts');
      if (!/coupled|detector|2theta|theta/i.test(scanType)) warnings.push(`range ${scans.length + 1}: scan type "${scanType}"`);
      // The step time here is the effective one (96 s for corundum.raw, whose .brml says 0.5 s motor time and
      // 96 s TimePerStepEffective for a 192-strip detector).
      const countTimeS = Number.isFinite(stepTime) && stepTime > 0 ? f32Decimal(stepTime) : undefined;
      scans.push(scanOf(stepAxis(start, step, steps), y, wl, m, { startTime, sample: meta.SAMPLEID || undefined, countTimeS }));
      pos = data + 4 * steps;
      continue;
    }
    const len = Math.max(r.u32(pos + 4, 'segment length'), 8);
    if (type === 10 && len >= 36) {
      putMeta(meta, r.str(pos + 12, 24, 'item name'), r.str(pos + 36, len - 36, 'item value'));
    } else if (type === 30 && len >= 120) {
      const a1 = r.f64(pos + 80, 'Kα1');
      const a2 = r.f64(pos + 88, 'Kα2');
      const ratio = r.f64(pos + 104, 'Kα2/Kα1 ratio');
      anode = r.str(pos + 116, 4, 'anode');
      putMeta(meta, 'anode', anode);
      putMeta(meta, 'Kα average (Å)', String(r.f64(pos + 72, 'Kα average')));
      putMeta(meta, 'Kβ (Å)', String(r.f64(pos + 96, 'Kβ')));
      wl = wavelengthsOf(a1, a2, ratio, anode);
    }
    pos += len;
  }
  if (!scans.length) r.fail(Math.min(pos, r.length), 'a range segment (type 0 or 160)', 'none before the end of the file');
  // The source segment precedes the ranges, but keep every scan on the same lines if it came later.
  const fixed = scans.map((s) => (s.wavelengths.length ? s : { ...s, wavelengths: wl }));
  return { kind: 'diffraction', format: FORMAT, scans: fixed, metadata: meta, warnings };
}

/** Drive start positions from a v4 range's sub-header segments (type 50: drive name at +12, start at +56). */
function readV4Drives(r: BinaryReader, from: number, length: number, meta: Record<string, string>): void {
  let p = from;
  const end = from + length;
  while (p + 8 <= end) {
    const type = r.u32(p, 'sub-header type');
    const len = Math.max(r.u32(p + 4, 'sub-header length'), 8);
    if (type === 50 && len >= 64 && p + 64 <= end) {
      const name = r.str(p + 12, 24, 'drive name');
      if (name) putMeta(meta, `start ${name}`, String(r.f64(p + 56, 'drive start')));
    }
    p += len;
  }
}

