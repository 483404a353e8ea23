/**
 * Column text patterns: `.xy .xye .dat .txt .csv` with two to many columns (x, y, optional σ), any delimiter,
 * comment headers, decimal commas, and pyFAI / Dioptas / 11-BM / EVA header conventions.
 *
 * The header is every line before the first line that holds at least two numeric fields. pyFAI writes the
 * wavelength in metres and names its axis column (`2th_deg`, `q_nm^-1`, `q_A^-1`); the scan keeps that
 * native axis.
 */
import type { AxisQuantity, AxisUnit, IntensityKind, Scan, ScanFile } from '../data/scan.ts';
import { ParseError } from './parseError.ts';
import { axisFromName, findMeta, firstNumber, headerItems, isoFromHeaderTime, putMeta, wavelengthsFromMeta } from './header.ts';
import {
  countFields,
  decodeText,
  excerpt,
  finiteOrNaN,
  isNumericLine,
  lineEnd,
  looksBinary,
  nextLine,
  normaliseTextBytes,
  readTable,
  sniffLayout,
} from './text.ts';

const FORMAT = 'xy';
/** How far into a file the header may reach before we give up looking for data (bytes). */
const MAX_HEADER_BYTES = 4 << 20;

/** Header lines and the position of the first data line of a column text file. */
export interface TextHeader {
  readonly lines: string[];
  readonly dataOffset: number;
  /** 1-based line number of the first data line. */
  readonly dataLine: number;
}

/**
 * Finds the first data line (≥ `minFields` numeric-led fields) and decodes the lines before it.
 * Throws ParseError when the file is binary or has no data line.
 */
export function splitHeader(bytes: Uint8Array, format: string, from = 0, minFields = 2): TextHeader {
  if (bytes.length === 0) throw new ParseError({ format, offset: 0, expected: 'a non-empty text file', found: '0 bytes' });
  if (looksBinary(bytes.subarray(from))) {
    throw new ParseError({ format, offset: from, expected: 'text', found: 'binary bytes (NUL or control characters)' });
  }
  const lines: string[] = [];
  let i = from;
  let line = 1;
  let inBlock = false;
  while (i < bytes.length && i - from < MAX_HEADER_BYTES) {
    const next = nextLine(bytes, i, bytes.length);
    const e = lineEnd;
    const text = e - i < 4096 ? decodeText(bytes, i, e) : decodeText(bytes, i, i + 4096);
    const trimmed = text.trimStart();
    if (trimmed.startsWith('/*')) inBlock = !trimmed.includes('*/');
    else if (inBlock && trimmed.includes('*/')) inBlock = false;
    else if (!inBlock) {
      const layout = sniffLayout(bytes, i, e);
      if (isNumericLine(bytes, i, e, layout) && countFields(bytes, i, e, layout) >= minFields) {
        return { lines, dataOffset: i, dataLine: line };
      }
    }
    if (lines.length < 5000) lines.push(text);
    i = next;
    line++;
  }
  throw new ParseError({
    format,
    offset: Math.min(i, bytes.length),
    line,
    expected: `a line of at least ${minFields} numbers`,
    found: i >= bytes.length ? 'end of file' : `more than ${MAX_HEADER_BYTES} bytes of header`,
  });
}

/** Splits a column-name line into names, dropping comment marks. */
function columnNames(line: string | undefined, ncol: number): string[] | undefined {
  if (!line) return undefined;
  const text = line.replace(/^[\s#!;%*'/]+/, '').trim();
  if (!text) return undefined;
  const names = text.includes('\t')
    ? text.split('\t')
    : text.includes(',')
      ? text.split(',')
      : text.includes(';')
        ? text.split(';')
        : text.split(/\s+/);
  const clean = names.map((s) => s.trim()).filter((s) => s.length);
  return clean.length >= Math.min(ncol, 2) && clean.length <= ncol + 2 ? clean : undefined;
}

/** Options for {@link readXy}. */
export interface XyOptions {
  /** Reader id written into the result (chi and others reuse this reader). */
  readonly format?: string;
  /** Axis when the header does not say. */
  readonly axis?: { axis: AxisQuantity; unit: AxisUnit };
}

/**
 * Reads a column text pattern. x is the 2θ/q/d column (by name when the header names columns, else the first),
 * y the intensity column (by name, else the second), σ the third column of a three-column file or a column
 * named esd/sigma/error. Intensities that are all non-negative integers are taken as counts.
 */
export function readXy(input: Uint8Array, options: XyOptions = {}): ScanFile {
  const format = options.format ?? FORMAT;
  const bytes = normaliseTextBytes(input);
  const header = splitHeader(bytes, format);
  const meta: Record<string, string> = {};
  for (const l of header.lines) {
    if (/pyFAI|Fit2d calibration/i.test(l)) putMeta(meta, 'integrator', /pyFAI/i.test(l) ? 'pyFAI' : 'Fit2D');
    for (const [k, v] of headerItems(l)) putMeta(meta, k, v);
  }
  return scanFromText(bytes, header, meta, format, options.axis);
}

/** Builds a ScanFile from a located data block; shared by the xy and chi readers. */
export function scanFromText(
  bytes: Uint8Array,
  header: TextHeader,
  meta: Record<string, string>,
  format: string,
  axisHint?: { axis: AxisQuantity; unit: AxisUnit },
  maxRows?: number,
): ScanFile {
  const warnings: string[] = [];
  nextLine(bytes, header.dataOffset, bytes.length);
  const firstEnd = lineEnd;
  const layout = sniffLayout(bytes, header.dataOffset, firstEnd);
  const ncol = Math.max(2, Math.min(64, countFields(bytes, header.dataOffset, firstEnd, layout)));
  const table = readTable(bytes, {
    format,
    layout,
    ncol,
    start: header.dataOffset,
    end: bytes.length,
    firstLine: header.dataLine,
    maxRows,
    commentBytes: [35, 33, 59, 37, 39],
  });
  if (table.rows === 0) {
    throw new ParseError({
      format,
      offset: header.dataOffset,
      line: header.dataLine,
      expected: 'numeric rows',
      found: excerpt(bytes, header.dataOffset),
    });
  }
  if (table.skippedLines > 0) {
    warnings.push(`${table.skippedLines} non-numeric line(s) inside the data were skipped (first at line ${table.firstSkippedLine})`);
  }
  const names = columnNames(header.lines[header.lines.length - 1], ncol);
  let xi = 0;
  let yi = 1;
  let si = ncol === 3 ? 2 : -1;
  let axisInfo: ReturnType<typeof axisFromName> = axisHint;
  if (names && names.length === ncol) {
    const ax = names.findIndex((n) => axisFromName(n) !== undefined);
    if (ax >= 0) {
      xi = ax;
      axisInfo = axisFromName(names[ax]);
    }
    const yName = names.findIndex((n, k) => k !== xi && /^(i|int|intensity|counts?|y|yobs|i_?obs|cps)\b/i.test(n.trim()));
    if (yName >= 0) yi = yName;
    else if (xi === yi) yi = xi === 0 ? 1 : 0;
    const sName = names.findIndex((n) => /^(esd|sigma|σ|err|error|e|dy|s|std)\b/i.test(n.trim()));
    si = sName >= 0 ? sName : ncol === 3 && xi === 0 && yi === 1 ? 2 : -1;
    for (let k = 0; k < ncol; k++) putMeta(meta, `column ${k + 1}`, names[k]);
  } else if (ncol > 3) {
    warnings.push(`${ncol} columns without names: column 1 read as x, column 2 as y, column 3 as σ; the rest ignored`);
    si = 2;
  }
  const x0 = table.columns[xi];
  let x = x0;
  if (axisInfo?.radians) {
    x = new Float64Array(x0.length);
    for (let k = 0; k < x.length; k++) x[k] = (x0[k] * 180) / Math.PI;
    finiteOrNaN(x);
    warnings.push('2θ given in radians was converted to degrees');
  }
  const y = table.columns[yi];
  let sigma = si >= 0 && si < ncol ? table.columns[si] : undefined;
  if (sigma && hasNegative(sigma)) {
    warnings.push('the third column has negative values, so it is not read as σ');
    sigma = undefined;
  }
  // Column files have a monotonic x; many direction changes mean this is some other layout read as columns.
  const turns = directionChanges(x);
  if (turns > Math.max(2, x.length / 100)) {
    warnings.push(`x changes direction ${turns} times: this may not be an x-y column file (e.g. an ILL/PSI counts-only .dat)`);
  }
  const intensityKind: IntensityKind = allCounts(y) ? 'counts' : 'unknown';
  const axis = axisInfo ?? { axis: 'twoTheta' as const, unit: 'deg' as const };
  const temperature = firstNumber(findMeta(meta, /^temp.*\(k\)$|^temperature.*k\)?$/i));
  const sample = findMeta(meta, /^(sample|sample name|sample id|user sample name|sample comment|composition|id)$/i);
  const countTime = firstNumber(findMeta(meta, /^(time per step|timeperstep|count time|counting time)/i));
  const scan: Scan = {
    x,
    y,
    sigma,
    axis: axis.axis,
    unit: axis.unit,
    intensityKind,
    countTimeS: countTime,
    wavelengths: wavelengthsFromMeta(meta),
    geometry: meta.integrator ? 'detector2d' : 'unknown',
    instrument: findMeta(meta, /^(instrument|diffractometer|beamline)$/i),
    startTime: isoFromHeaderTime(findMeta(meta, /^(scan time|start time|date and time|file date and time|date)$/i)),
    sample: sample || undefined,
    temperatureK: temperature,
    metadata: meta,
  };
  return { kind: 'diffraction', format, scans: [scan], metadata: meta, warnings };
}

// The checks over every point are functions of their own: a fresh thread optimises such a loop in the middle of the
// first file's read, and the rest of scanFromText would come without type feedback (a deoptimisation and a recompile
// of the whole function per thread).

function hasNegative(values: Float64Array): boolean {
  for (let k = 0; k < values.length; k++) if (values[k] < 0) return true;
  return false;
}

/** How often the sign of the step changes. */
function directionChanges(x: Float64Array): number {
  let turns = 0;
  for (let k = 2; k < x.length; k++) if ((x[k] - x[k - 1]) * (x[k - 1] - x[k - 2]) < 0) turns++;
  return turns;
}

/** Whether every value is a non-negative integer (counts). */
function allCounts(y: Float64Array): boolean {
  for (let k = 0; k < y.length; k++) if (!(y[k] >= 0 && Number.isInteger(y[k]))) return false;
  return true;
}
