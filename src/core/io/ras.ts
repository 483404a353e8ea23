/**
 * Rigaku `.ras` text files (SmartLab, Ultima): `*RAS_DATA_START`, then per scan a header of `*KEY "value"` lines
 * between `*RAS_HEADER_START` and `*RAS_HEADER_END`, and rows "x y attenuation" between `*RAS_INT_START` and
 * `*RAS_INT_END`. Intensities are multiplied by the attenuation factor (1 when no attenuator was in). The
 * header gives the scan axis, units, tube lines, wave type (Ka or Ka1) and start/end times (mm/dd/yy).
 * Shared with `.rasx`, whose Profile*.txt rows have the same three columns.
 */
import type { IntensityKind, Scan, ScanFile, WavelengthLine } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { decodeText, finiteOrNaN, lineEnd, looksBinary, nextLine, normaliseTextBytes, readTable } from './text.ts';
import { anodeWavelengths } from './wavelengths.ts';

const FORMAT = 'ras';

/** ISO date-time from Rigaku's "mm/dd/yy hh:mm:ss" (US order), or undefined. */
export function rigakuTime(s: string | undefined): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec((s ?? '').trim());
  if (!m) return undefined;
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const p2 = (v: number | string) => String(v).padStart(2, '0');
  return `${year}-${p2(month)}-${p2(day)}T${p2(m[4])}:${m[5]}:${m[6]}`;
}

/** Tube lines from Rigaku header values: Kα1 alone for wave type "Ka1", else Kα1 + Kα2 (ratio 0.5 assumed). */
export function rigakuWavelengths(target: string | undefined, a1: number, a2: number, waveType: string | undefined): WavelengthLine[] {
  const el = target ? `${target} ` : '';
  if (!(a1 > 0 && a1 < 20)) return anodeWavelengths(target);
  const out: WavelengthLine[] = [{ angstrom: a1, ratio: 1, source: 'file', label: `${el}Kα1` }];
  if (!/a1$/i.test(waveType ?? '') && a2 > 0 && a2 < 20) {
    // The file gives λ(Kα2) but not the intensity ratio; 0.5 is the textbook value, so the line is a default.
    out.push({ angstrom: a2, ratio: 0.5, source: 'default', label: `${el}Kα2` });
  }
  return out;
}

/** Builds a scan from "x y attenuation" columns and the header record; shared by ras and rasx. */
export function rigakuScan(
  cols: Float64Array[],
  header: Record<string, string>,
  info: { unitY?: string; startTime?: string; endTime?: string; wavelengths: WavelengthLine[]; sample?: string; instrument?: string },
  warnings: string[],
): Scan {
  const [x, y, att] = cols;
  let attenuated = false;
  for (let k = 0; k < y.length; k++) {
    if (att[k] !== 1 && Number.isFinite(att[k])) {
      y[k] *= att[k];
      attenuated = true;
    }
  }
  finiteOrNaN(y);
  if (attenuated) warnings.push('intensities were multiplied by the attenuation factors of the third column');
  const unit = (info.unitY ?? '').toLowerCase();
  const intensityKind: IntensityKind = unit === 'counts' ? 'counts' : unit === 'cps' ? 'countsPerSecond' : 'unknown';
  return {
    x,
    y,
    axis: 'twoTheta',
    unit: 'deg',
    intensityKind,
    wavelengths: info.wavelengths,
    geometry: 'unknown',
    startTime: info.startTime,
    endTime: info.endTime,
    sample: info.sample || undefined,
    instrument: info.instrument || undefined,
    metadata: header,
  };
}

/** Reads a `.ras` file; each header + intensity block becomes one scan. */
export function readRas(input: Uint8Array): ScanFile {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: '*RAS_DATA_START', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const first = decodeText(bytes, 0, Math.min(bytes.length, 64));
  if (!first.startsWith('*RAS_DATA_START')) {
    throw new ParseError({ format: FORMAT, offset: 0, line: 1, expected: '*RAS_DATA_START', found: JSON.stringify(first.split(/\r?\n/)[0].slice(0, 40)) });
  }
  const scans: Scan[] = [];
  const warnings: string[] = [];
  let header: Record<string, string> = {};
  let i = 0;
  let line = 0;
  while (i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    line++;
    if (bytes[s] !== 42) continue;
    const text = decodeText(bytes, s, Math.min(lineEnd, s + 2000));
    if (text.startsWith('*RAS_HEADER_START')) {
      header = {};
      continue;
    }
    if (text.startsWith('*RAS_INT_START')) {
      const t = readTable(bytes, {
        format: FORMAT,
        layout: { delimiter: 'whitespace', decimal: 46 },
        ncol: 3,
        start: i,
        end: bytes.length,
        firstLine: line + 1,
        stopAtText: true,
      });
      i = t.endOffset;
      line += t.linesRead;
      const end = decodeText(bytes, i, Math.min(bytes.length, i + 20));
      if (!end.startsWith('*RAS_INT_END')) {
        throw new ParseError({ format: FORMAT, offset: i, line: line + 1, expected: '"x y attenuation" rows ending with *RAS_INT_END', found: JSON.stringify(end.split(/\r?\n/)[0]) });
      }
      const declared = Number(header.MEAS_DATA_COUNT);
      if (Number.isFinite(declared) && declared !== t.rows) warnings.push(`scan ${scans.length + 1}: ${t.rows} rows, header says ${declared}`);
      const a1 = Number(header.HW_XG_WAVE_LENGTH_ALPHA1);
      const a2 = Number(header.HW_XG_WAVE_LENGTH_ALPHA2);
      scans.push(
        rigakuScan(t.columns, header, {
          unitY: header.MEAS_SCAN_UNIT_Y,
          startTime: rigakuTime(header.MEAS_SCAN_START_TIME),
          endTime: rigakuTime(header.MEAS_SCAN_END_TIME),
          wavelengths: rigakuWavelengths(header.HW_XG_TARGET_NAME, a1, a2, header.MEAS_COND_XG_WAVE_TYPE),
          sample: header.FILE_SAMPLE?.trim(),
          instrument: header.HW_GONIOMETER_NAME?.split('|').pop(),
        }, warnings),
      );
      continue;
    }
    const m = /^\*([A-Za-z0-9_\-]+)\s+"?(.*?)"?\s*$/.exec(text);
    if (m) putMeta(header, m[1], m[2]);
  }
  if (!scans.length) throw new ParseError({ format: FORMAT, offset: bytes.length, line, expected: 'a *RAS_INT_START block', found: 'none' });
  return { kind: 'diffraction', format: FORMAT, scans, metadata: scans[0].metadata, warnings };
}
