/**
 * Cycler and potentiostat exports as delimited text with a header row of column names: Arbin CSV, Maccor text
 * exports (tab-separated, "Today's Date" first line or a "Name:" block, decimal commas in some locales), Battery
 * Data Format CSV and any CSV with time, voltage and current columns. Columns are mapped onto the canonical names
 * by their header names and units ("Current(A)", "Voltage / V", "Cap. [Ah]"); vendor conventions fill in missing
 * units (Arbin and Maccor: A, V, Ah, s). A mapping given by the caller overrides the guesses.
 *
 * Times: a seconds column is used as is; Maccor's "0d 00:00:01.0000" durations are converted; without either, the
 * time is taken from a date-time column (mm/dd/yyyy hh:mm:ss) relative to the first row. Arbin's DateTime in Unix
 * seconds becomes `unixTime_s`.
 */
import type { EchemColumn, EchemRecord } from '../data/echem.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { CANONICAL_UNITS } from './echemColumns.ts';
import {
  countFields,
  decodeText,
  isNumericLine,
  lineEnd,
  looksBinary,
  nextLine,
  normaliseTextBytes,
  readTable,
  sniffLayout,
  type TableLayout,
} from './text.ts';

/** Which source column feeds a canonical column, and the factor from its unit. */
export interface ColumnSource {
  readonly name: string;
  readonly factor?: number;
}

/** A caller's mapping of canonical columns to source column names (with optional unit factors). */
export type EchemColumnMapping = Partial<Record<EchemColumn, ColumnSource>>;

/** Options for {@link readEchemTable}. */
export interface EchemTableOptions {
  /** Reader id written into the result ('arbin', 'maccor', 'echem-csv'). */
  readonly format?: string;
  readonly columns?: EchemColumnMapping;
}

const MAX_HEADER_LINES = 2000;

/** Unit of a column name: "Current(A)", "Current [A]", "Current / A", "I/mA" → "A" / "mA". */
export function unitInName(name: string): string | undefined {
  const m = /\(([^()]*)\)\s*$|\[([^\]]*)\]\s*$|\s\/\s*([^/]+)$|\/([A-Za-z.%°µ]+)$/.exec(name.trim());
  const u = m ? (m[1] ?? m[2] ?? m[3] ?? m[4]) : undefined;
  return u?.trim();
}

const FACTORS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  time: { s: 1, sec: 1, min: 60, h: 3600, hr: 3600, ms: 0.001 },
  voltage: { v: 1, mv: 0.001 },
  current: { a: 1000, ma: 1, µa: 0.001, ua: 0.001 },
  capacity: { ah: 1000, mah: 1, 'a.h': 1000, 'ma.h': 1 },
};

function factorFor(kind: keyof typeof FACTORS, unit: string | undefined, fallback: number): number | undefined {
  if (unit === undefined || unit === '') return fallback;
  return FACTORS[kind][unit.toLowerCase()];
}

/** Guessing rules: pattern on the name without its unit, kind, default factor when no unit is written. */
const RULES: readonly [EchemColumn, RegExp, keyof typeof FACTORS | undefined, number][] = [
  ['time_s', /^(test[_ ]?time|test|total[_ ]?time)$/i, 'time', 1],
  ['time_s', /^(time|elapsed time|run time)$/i, 'time', 1],
  ['voltage_V', /^(voltage|volts|potential|ewe|ecell|cell potential|u)$/i, 'voltage', 1],
  ['current_mA', /^(current|amps|i)$/i, 'current', 1000],
  ['chargeCapacity_mAh', /^(charge[_ ]capacity|chg\. ?cap\.?|charging capacity)$/i, 'capacity', 1000],
  ['dischargeCapacity_mAh', /^(discharge[_ ]capacity|dchg\. ?cap\.?|discharging capacity)$/i, 'capacity', 1000],
  ['cycle', /^(cycle[_ ]index|cyc#|cycle|cycle count|cycle c|cycle number)$/i, undefined, 1],
  ['step', /^(step[_ ]index|step|ns)$/i, undefined, 1],
];

function stripUnit(name: string): string {
  return name
    .replace(/\s*(\([^()]*\)|\[[^\]]*\])\s*$/, '')
    .replace(/\s+\/\s*[^/]+$/, '')
    .trim();
}

/** Seconds from a Maccor duration "3d 04:05:06.5" or "04:05:06", NaN otherwise. */
export function durationSeconds(s: string): number {
  const m = /^\s*(?:(\d+)d\s+)?(\d+):(\d{2}):(\d{2}(?:\.\d*)?)\s*$/.exec(s);
  return m ? Number(m[1] ?? 0) * 86400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]) : NaN;
}

/** Milliseconds (UTC arithmetic on the wall clock) from "mm/dd/yyyy hh:mm:ss" or ISO "yyyy-mm-dd hh:mm:ss". */
export function wallClockMs(s: string): number {
  let m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2}(?:\.\d*)?)/.exec(s);
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) + Number(m[6]) * 1000;
  m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2}(?:\.\d*)?)/.exec(s);
  if (!m) return NaN;
  let [month, day] = [+m[1], +m[2]];
  if (month > 12) [month, day] = [day, month];
  return Date.UTC(+m[3], month - 1, day, +m[4], +m[5]) + Number(m[6]) * 1000;
}

/** Splits a header line into names with the delimiter of the layout. */
function splitNames(text: string, layout: TableLayout): string[] {
  const sep = layout.delimiter === 'comma' ? ',' : layout.delimiter === 'semicolon' ? ';' : layout.delimiter === 'tab' ? '\t' : /\s{2,}|\t/;
  return text.replace(/[\r\n]+$/, '').split(sep).map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
}

/** Reads a delimited cycler export with a header row into an electrochemistry record. */
export function readEchemTable(input: Uint8Array, options: EchemTableOptions = {}): EchemRecord {
  const format = options.format ?? 'echem-csv';
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format, offset: 0, expected: 'a header row of column names', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format, offset: 0, expected: 'text', found: 'binary bytes' });
  // The header row is the last text line before the first numeric row.
  const meta: Record<string, string> = {};
  let i = 0;
  let line = 0;
  let headerText: string | undefined;
  let headerLine = 0;
  let dataStart = -1;
  while (i < bytes.length && line < MAX_HEADER_LINES) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    const e = lineEnd;
    line++;
    if (e === s) continue;
    const layout = sniffLayout(bytes, s, e);
    if (headerText !== undefined && isNumericLine(bytes, s, e, layout) && countFields(bytes, s, e, layout) >= 2) {
      dataStart = s;
      break;
    }
    const text = decodeText(bytes, s, Math.min(e, s + 8192));
    if (headerText !== undefined) {
      const kv = /^([^\t,:;]{1,60})[\t:,;]+\s*(.*)$/.exec(headerText);
      if (kv) putMeta(meta, kv[1], kv[2]);
    }
    headerText = text;
    headerLine = line;
  }
  if (dataStart < 0 || headerText === undefined) {
    throw new ParseError({ format, line, offset: i, expected: 'a header row followed by numeric rows', found: i >= bytes.length ? 'end of file' : `${MAX_HEADER_LINES} lines without data` });
  }
  nextLine(bytes, dataStart, bytes.length);
  const dataLayout = sniffLayout(bytes, dataStart, lineEnd);
  const headLayout: TableLayout = headerText.includes('\t') ? { delimiter: 'tab', decimal: 46 } : headerText.includes(';') ? { delimiter: 'semicolon', decimal: 46 } : headerText.includes(',') ? { delimiter: 'comma', decimal: 46 } : { delimiter: 'whitespace', decimal: 46 };
  const names = splitNames(headerText, headLayout);
  // Data rows use the header's delimiter; a decimal comma is possible only when the delimiter is not a comma.
  const layout: TableLayout = {
    delimiter: headLayout.delimiter,
    decimal: headLayout.delimiter !== 'comma' && dataLayout.decimal === 44 ? 44 : 46,
  };
  const ncol = Math.min(names.length, 512);
  const table = readTable(bytes, { format, layout, ncol, start: dataStart, end: bytes.length, firstLine: headerLine + 1 });
  const warnings: string[] = [];
  if (table.skippedLines) warnings.push(`${table.skippedLines} non-numeric line(s) skipped (first at line ${table.firstSkippedLine})`);
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  const allNaN = (c: Float64Array) => c.every((v) => Number.isNaN(v));
  const textColumns = new Map<number, string[]>();
  const textOf = (k: number): string[] => {
    let t = textColumns.get(k);
    if (!t) {
      t = columnText(bytes, dataStart, table.endOffset, layout, k, table.rows);
      textColumns.set(k, t);
    }
    return t;
  };
  names.slice(0, ncol).forEach((name, k) => {
    let key = name || `column ${k + 1}`;
    for (let d = 2; key in columns; d++) key = `${name} (${d})`;
    columns[key] = table.columns[k];
    units[key] = unitInName(name) ?? '';
  });
  const keys = Object.keys(columns);
  const mapped = new Set<string>();
  const assign = (target: EchemColumn, src: string, factor: number) => {
    const c = columns[src];
    const out = new Float64Array(c.length);
    for (let j = 0; j < c.length; j++) out[j] = c[j] * factor;
    columns[target] = out;
    units[target] = CANONICAL_UNITS[target];
    mapped.add(target);
  };
  for (const [target, src] of Object.entries(options.columns ?? {}) as [EchemColumn, ColumnSource][]) {
    if (!(src.name in columns)) {
      throw new ParseError({ format, line: headerLine, expected: `a column named "${src.name}" for ${target}`, found: `columns ${keys.join(', ')}` });
    }
    assign(target, src.name, src.factor ?? 1);
  }
  for (const [target, pattern, kind, fallback] of RULES) {
    if (mapped.has(target)) continue;
    const idx = keys.findIndex((k) => pattern.test(stripUnit(k)));
    if (idx < 0) continue;
    const src = keys[idx];
    if (target === 'time_s' && allNaN(columns[src])) {
      // Maccor durations such as "0d 00:00:01.0000".
      const t = textOf(idx).map(durationSeconds);
      if (t.some((v) => !Number.isNaN(v))) {
        columns.time_s = Float64Array.from(t);
        units.time_s = 's';
        mapped.add('time_s');
      }
      continue;
    }
    const factor = kind ? factorFor(kind, unitInName(src), fallback) : 1;
    if (factor === undefined) {
      warnings.push(`column "${src}" has a unit we do not know; not mapped to ${target}`);
      continue;
    }
    if (target === 'time_s' && !unitInName(src) && format === 'maccor' && !/sec/i.test(src)) {
      // Maccor's plain "TestTime" has no stated unit; the date-time column below is the safer clock.
      continue;
    }
    assign(target, src, factor);
  }
  const dateIdx = keys.findIndex((k) => /^(dpt time|datetime|date time|date|timestamp)$/i.test(k.trim()));
  if (dateIdx >= 0) {
    const c = columns[keys[dateIdx]];
    if (!allNaN(c) && c.some((v) => v > 1e9) && c.every((v) => Number.isNaN(v) || (v > 1e9 && v < 5e9))) {
      columns.unixTime_s = c;
      units.unixTime_s = 's';
    } else if (allNaN(c)) {
      const ms = textOf(dateIdx).map(wallClockMs);
      const first = ms.find((v) => !Number.isNaN(v));
      if (first !== undefined) {
        if (!mapped.has('time_s')) {
          columns.time_s = Float64Array.from(ms, (v) => (v - first) / 1000);
          units.time_s = 's';
          mapped.add('time_s');
          warnings.push(`time_s taken from the "${keys[dateIdx]}" clock (1 s resolution)`);
        }
        putMeta(meta, 'first record clock time', new Date(first).toISOString().slice(0, 19));
      }
    }
  }
  for (const need of ['time_s', 'voltage_V', 'current_mA'] as const) {
    if (!(need in columns)) warnings.push(`no column recognised as ${need}; pass a column mapping`);
  }
  return {
    kind: 'electrochemistry',
    format,
    records: table.rows,
    columns,
    units,
    startTime: meta['first record clock time'],
    currentSign: 'unknown',
    metadata: meta,
    warnings,
  };
}

/** Raw text of field `k` of each data row (rows whose first field is numeric), for dates and durations. */
function columnText(bytes: Uint8Array, start: number, end: number, layout: TableLayout, k: number, rows: number): string[] {
  const out: string[] = [];
  let i = start;
  while (i < end && out.length < rows) {
    const s = i;
    i = nextLine(bytes, i, end);
    const e = lineEnd;
    if (!isNumericLine(bytes, s, e, layout)) continue;
    const text = decodeText(bytes, s, e);
    const fields = layout.delimiter === 'whitespace' ? text.trim().split(/\s+/) : splitNames(text, layout);
    out.push(fields[k] ?? '');
  }
  while (out.length < rows) out.push('');
  return out;
}

/**
 * Neware BTS "regular export" CSV: three interleaved levels (cycle rows, step rows with one leading comma, record
 * rows with two). Only the record level is read: its header row (",,DataPoint,Time,Total Time,Current(A),…") and
 * rows; "Total Time" (hh:mm:ss) is the test time and the Date column gives the clock.
 */
export function readNewareCsv(input: Uint8Array, options: EchemTableOptions = {}): EchemRecord {
  const format = 'neware-csv';
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format, offset: 0, expected: 'a Neware CSV export', found: '0 bytes' });
  // Keep the record-level lines without their two leading commas.
  const out = new Uint8Array(bytes.length);
  let n = 0;
  let i = 0;
  let header = false;
  while (i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    if (bytes[s] === 44 && bytes[s + 1] === 44 && bytes[s + 2] !== 44) {
      if (!header && !(bytes[s + 2] >= 48 && bytes[s + 2] <= 57)) header = true;
      out.set(bytes.subarray(s + 2, i), n);
      n += i - s - 2;
      if (out[n - 1] !== 10) out[n++] = 10;
    }
  }
  if (!header) throw new ParseError({ format, offset: 0, expected: 'a record header row starting with ",,"', found: 'none' });
  return readEchemTable(out.subarray(0, n), { ...options, format });
}
