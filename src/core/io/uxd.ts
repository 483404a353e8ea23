/**
 * Bruker/Siemens DIFFRAC-AT `.uxd` text: `_KEY=value` header lines and `;` comments, then for each range its own
 * keys (`_START`, `_STEPSIZE`, `_STEPTIME`, …) followed by a data keyword: `_2THETACOUNTS` / `_2THETACPS` (rows of
 * 2θ and intensity) or `_COUNTS` / `_CPS` (intensities only, several per line, at `_START + k·_STEPSIZE`).
 */
import type { IntensityKind, Scan, ScanFile } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { decodeText, lineEnd, looksBinary, nextLine, normaliseTextBytes, readTable, scanEnd, scanNumber } from './text.ts';
import { fileWavelengths, anodeWavelengths } from './wavelengths.ts';
import { stepAxis } from './binary.ts';

const FORMAT = 'uxd';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** ISO time from "04-Mar-2010 20:59:14", or undefined. */
function uxdTime(s: string | undefined): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})$/.exec((s ?? '').trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2].toLowerCase()) + 1;
  if (!month) return undefined;
  const p2 = (v: number | string) => String(v).padStart(2, '0');
  return `${m[3]}-${p2(month)}-${p2(m[1])}T${p2(m[4])}:${m[5]}:${m[6]}`;
}

/** Reads a `.uxd` file; each range becomes one scan. */
export function readUxd(input: Uint8Array): ScanFile {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: '_KEY=value header lines', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const fileMeta: Record<string, string> = {};
  let rangeMeta: Record<string, string> = {};
  const scans: Scan[] = [];
  const warnings: string[] = [];
  let i = 0;
  let line = 0;
  while (i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    line++;
    const text = decodeText(bytes, s, Math.min(lineEnd, s + 2000)).trim();
    if (!text || text.startsWith(';')) continue;
    if (!text.startsWith('_')) {
      throw new ParseError({ format: FORMAT, line, offset: s, expected: 'a _KEY=value line, a ; comment or a data keyword', found: JSON.stringify(text.slice(0, 40)) });
    }
    const eq = text.indexOf('=');
    if (eq > 0) {
      const key = text.slice(1, eq).trim();
      const value = text.slice(eq + 1).trim().replace(/^'(.*)'$/, '$1');
      // Keys before the first range describe the file; later ones the range they precede.
      if (key === 'DRIVE' || scans.length || Object.keys(rangeMeta).length) putMeta(rangeMeta, key, value);
      else putMeta(fileMeta, key, value);
      continue;
    }
    const kw = text.slice(1).toUpperCase();
    const pairs = kw === '2THETACOUNTS' || kw === '2THETACPS';
    const single = kw === 'COUNTS' || kw === 'CPS';
    if (!pairs && !single) {
      throw new ParseError({ format: FORMAT, line, offset: s, expected: 'a data keyword (_2THETACOUNTS, _2THETACPS, _COUNTS, _CPS)', found: JSON.stringify(text.slice(0, 40)) });
    }
    const meta = { ...fileMeta, ...rangeMeta };
    let x: Float64Array;
    let y: Float64Array;
    if (pairs) {
      const t = readTable(bytes, { format: FORMAT, layout: { delimiter: 'whitespace', decimal: 46 }, ncol: 2, start: i, end: bytes.length, firstLine: line + 1, stopAtText: true });
      x = t.columns[0];
      y = t.columns[1];
      i = t.endOffset;
      line += t.linesRead;
    } else {
      const r = readValues(bytes, i);
      y = r.values;
      i = r.next;
      line += r.lines;
      const start = Number(meta.START ?? meta['2THETA']);
      const step = Number(meta.STEPSIZE);
      if (!Number.isFinite(start) || !Number.isFinite(step)) {
        throw new ParseError({ format: FORMAT, line, offset: s, expected: '_START and _STEPSIZE before _COUNTS', found: `${meta.START} ${meta.STEPSIZE}` });
      }
      x = stepAxis(start, step, y.length);
    }
    const stepTime = Number(meta.STEPTIME);
    const intensityKind: IntensityKind = kw.endsWith('CPS') ? 'countsPerSecond' : 'counts';
    const wl1 = Number(meta.WL1);
    const wavelengths = Number.isFinite(wl1) && wl1 > 0
      ? fileWavelengths(wl1, Number(meta.WL2), Number(meta.WLRATIO), meta.ANODE ? `${meta.ANODE} Kα` : 'Kα')
      : anodeWavelengths(meta.ANODE);
    scans.push({
      x,
      y,
      axis: 'twoTheta',
      unit: 'deg',
      intensityKind,
      countTimeS: Number.isFinite(stepTime) && stepTime > 0 ? stepTime : undefined,
      wavelengths,
      geometry: 'unknown',
      startTime: uxdTime(meta.DATEMEASURED),
      sample: meta.SAMPLE || undefined,
      metadata: meta,
    });
    rangeMeta = {};
  }
  if (!scans.length) throw new ParseError({ format: FORMAT, offset: bytes.length, line, expected: 'a data keyword such as _2THETACOUNTS', found: 'none' });
  return { kind: 'diffraction', format: FORMAT, scans, metadata: fileMeta, warnings };
}

/** Whitespace-separated numbers over several lines, up to a line starting with '_' or ';'. */
function readValues(bytes: Uint8Array, from: number): { values: Float64Array; next: number; lines: number } {
  let cap = 1024;
  let values = new Float64Array(cap);
  let n = 0;
  let i = from;
  let lines = 0;
  while (i < bytes.length) {
    const s = i;
    const next = nextLine(bytes, i, bytes.length);
    const e = lineEnd;
    let p = s;
    while (p < e && (bytes[p] === 32 || bytes[p] === 9)) p++;
    if (p < e && (bytes[p] === 95 || bytes[p] === 59)) break;
    lines++;
    while (p < e) {
      const v = scanNumber(bytes, p, e, 46);
      const q = scanEnd;
      if (q === p) throw new ParseError({ format: FORMAT, offset: p, line: lines, expected: 'intensities', found: JSON.stringify(decodeText(bytes, p, Math.min(e, p + 20))) });
      if (n === cap) {
        cap *= 2;
        const g = new Float64Array(cap);
        g.set(values);
        values = g;
      }
      values[n++] = v;
      p = q;
      while (p < e && (bytes[p] === 32 || bytes[p] === 9)) p++;
    }
    i = next;
  }
  return { values: values.slice(0, n), next: i, lines };
}
