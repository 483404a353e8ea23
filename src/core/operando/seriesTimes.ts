/**
 * When each pattern was measured: from a scan log (scan number or file name → start/end), or from a
 * start time and a
 * period. A pattern's time is the middle of its exposure (science.md §6, time alignment).
 */
import { parseCsv } from './csv.ts';
import { parseTimestampUnixS, type ClockOptions } from './time.ts';

/** The exposure of one pattern, in Unix seconds. */
export interface Exposure {
  readonly startUnixS: number;
  readonly endUnixS: number;
}

/** One line of a scan log. */
export interface ScanLogEntry extends Exposure {
  /** Scan number or file name, as written. */
  readonly scan: string;
  readonly cell?: string;
}

/** Middle of an exposure in Unix seconds: the time a pattern stands for. */
export function exposureMidUnixS(e: Exposure): number {
  return 0.5 * (e.startUnixS + e.endUnixS);
}

const SCAN_COLUMNS = ['scan_number', 'scan', 'scan_no', 'file', 'filename', 'file_name', 'name'];
const START_COLUMNS = ['start_time', 'start', 'starttime', 'time_start'];
const END_COLUMNS = ['end_time', 'end', 'endtime', 'time_end', 'stop_time'];

/**
 * Reads a scan log CSV with a scan (or file) column and start/end time columns, e.g. the I11 log
 * `scan_number,cell_name,start_time,end_time` with local times: pass `timeZone` explicitly.
 * @throws RangeError when a column is missing or a time cannot be read (the message names the
 * line).
 */
export function parseScanLog(text: string, options: ClockOptions = {}): ScanLogEntry[] {
  const { header, rows } = parseCsv(text);
  const lower = header.map((h) => h.toLowerCase());
  const find = (names: readonly string[]): number => lower.findIndex((h) => names.includes(h));
  const iScan = find(SCAN_COLUMNS);
  const iStart = find(START_COLUMNS);
  const iEnd = find(END_COLUMNS);
  const iCell = find(['cell_name', 'cell', 'sample']);
  if (iScan < 0 || iStart < 0) {
    throw new RangeError(`scan log: need a scan/file column and a start time column, found: ${header.join(', ')}`);
  }
  return rows.map((r, k) => {
    const line = k + 2;
    try {
      const startUnixS = parseTimestampUnixS(r[iStart] ?? '', options);
      const endText = iEnd >= 0 ? (r[iEnd] ?? '').trim() : '';
      const endUnixS = endText ? parseTimestampUnixS(endText, options) : startUnixS;
      if (endUnixS < startUnixS) throw new RangeError('end time is before start time');
      const cell = iCell >= 0 ? r[iCell] : undefined;
      return { scan: (r[iScan] ?? '').trim(), startUnixS, endUnixS, ...(cell ? { cell } : {}) };
    } catch (e) {
      throw new RangeError(`scan log line ${line}: ${(e as Error).message}`);
    }
  });
}

/** Result of matching files to a scan log. */
export interface ScanLogMatch {
  /** One exposure per file, in the order of `files`; undefined when no log line matched. */
  readonly exposures: readonly (Exposure | undefined)[];
  readonly warnings: readonly string[];
}

/**
 * Matches file names to log entries: a file matches when its base name equals the entry, or
 * contains the entry's
 * scan number as a whole digit run ('1355639_summed_mythen3.xye' ↔ 1355639). Unmatched and
 * ambiguous files are named
 * in warnings.
 */
export function matchScanLog(files: readonly string[], entries: readonly ScanLogEntry[]): ScanLogMatch {
  const warnings: string[] = [];
  const exposures = files.map((file) => {
    const base = file.split(/[\\/]/).pop() ?? file;
    const stem = base.replace(/\.[^.]*$/, '');
    const runs = new Set(base.match(/\d+/g) ?? []);
    const hits = entries.filter((e) => {
      if (e.scan === base || e.scan === stem || e.scan === file) return true;
      return /^\d+$/.test(e.scan) && runs.has(e.scan);
    });
    if (hits.length === 0) {
      warnings.push(`${file}: not in the scan log`);
      return undefined;
    }
    if (hits.length > 1) warnings.push(`${file}: matches ${hits.length} scan log lines; the first is used`);
    return { startUnixS: hits[0].startUnixS, endUnixS: hits[0].endUnixS };
  });
  return { exposures, warnings };
}

/**
 * Exposures from a start time and a period: pattern i starts at start + i·period and lasts
 * `exposureS`
 * (default: the whole period).
 * @throws RangeError on a non-positive period or a negative count.
 */
export function exposuresFromPeriod(
  count: number,
  startUnixS: number,
  periodS: number,
  exposureS: number = periodS,
): Exposure[] {
  if (!(periodS > 0)) throw new RangeError(`period must be positive, got ${periodS}`);
  if (!(count >= 0 && Number.isInteger(count))) throw new RangeError(`count must be a non-negative integer`);
  if (!(exposureS >= 0)) throw new RangeError(`exposure must be non-negative, got ${exposureS}`);
  const out: Exposure[] = [];
  for (let i = 0; i < count; i++) {
    const s = startUnixS + i * periodS;
    out.push({ startUnixS: s, endUnixS: s + exposureS });
  }
  return out;
}

/**
 * Exposure from a scan header's own times (start and end, or start and exposure in s), with the
 * clock options for
 * stamps without a zone. Undefined when the header has no start time.
 */
export function exposureFromHeader(
  header: { readonly startTime?: string; readonly endTime?: string; readonly exposureS?: number },
  options: ClockOptions = {},
): Exposure | undefined {
  if (!header.startTime) return undefined;
  const startUnixS = parseTimestampUnixS(header.startTime, options);
  if (header.endTime) return { startUnixS, endUnixS: parseTimestampUnixS(header.endTime, options) };
  return { startUnixS, endUnixS: startUnixS + (header.exposureS ?? 0) };
}

/**
 * Exposures from the files' modification times, taken as the end of each exposure (a detector writes the file when
 * the scan ends). With `exposureS` each starts that much earlier; without, a pattern's exposure runs from the previous
 * file's time (back-to-back acquisition), and the first one lasts the median gap. The clock is the file system's:
 * copies and archives may have reset it, which is why this is never a default.
 * @throws RangeError on a negative exposure or a non-finite time (the message names the pattern).
 */
export function exposuresFromModificationTimes(modifiedUnixS: readonly number[], exposureS?: number): Exposure[] {
  if (exposureS !== undefined && !(exposureS >= 0)) throw new RangeError(`exposure must be non-negative, got ${exposureS}`);
  modifiedUnixS.forEach((t, i) => {
    if (!Number.isFinite(t)) throw new RangeError(`pattern ${i + 1}: modification time is not a number`);
  });
  const gaps: number[] = [];
  for (let i = 1; i < modifiedUnixS.length; i++) gaps.push(modifiedUnixS[i] - modifiedUnixS[i - 1]);
  const sorted = gaps.filter((g) => g > 0).sort((a, b) => a - b);
  const medianGap = sorted.length ? sorted[sorted.length >> 1] : 0;
  return modifiedUnixS.map((end, i) => {
    const previous = i > 0 ? modifiedUnixS[i - 1] : Number.NaN;
    const start = exposureS !== undefined ? end - exposureS : i > 0 && previous <= end ? previous : end - medianGap;
    return { startUnixS: start, endUnixS: end };
  });
}
