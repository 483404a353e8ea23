/**
 * The lithium table that `echem` writes and `--clis` reads back:
 * `time_s,time_utc,c_Li,voltage_V,current_mA,cycle,
 * step,branch` (issue 5), or the simpler `file,c_Li`.
 */
import { parseCsv, writeCsv, type CsvCell } from './csv.ts';
import type { Branch, LithiumTimeline } from './lithium.ts';
import { formatIsoUtc, parseTimestampUnixS } from './time.ts';

/** Columns of the time-based lithium table, in order. */
export const LITHIUM_TABLE_COLUMNS = [
  'time_s',
  'time_utc',
  'c_Li',
  'voltage_V',
  'current_mA',
  'cycle',
  'step',
  'branch',
] as const;

/**
 * Writes a timeline as the lithium table. `time_s` counts from the first sample; `time_utc` is ISO
 * 8601 UTC with
 * microseconds.
 */
export function lithiumTableToCsv(timeline: LithiumTimeline): string {
  const t0 = timeline.unixTimeS.length ? timeline.unixTimeS[0] : 0;
  const rows: Record<string, CsvCell>[] = [];
  for (let i = 0; i < timeline.unixTimeS.length; i++) {
    rows.push({
      time_s: timeline.unixTimeS[i] - t0,
      time_utc: formatIsoUtc(timeline.unixTimeS[i], 6),
      c_Li: timeline.cLi[i],
      voltage_V: timeline.voltageV[i],
      current_mA: timeline.currentMilliamp[i],
      cycle: timeline.cycle[i],
      step: timeline.step[i],
      branch: timeline.branch[i],
    });
  }
  return writeCsv(LITHIUM_TABLE_COLUMNS, rows);
}

/** What a `--clis` table holds. */
export type ClisTable =
  | { readonly kind: 'by-file'; readonly rows: readonly { readonly file: string; readonly cLi: number }[] }
  | { readonly kind: 'timeline'; readonly timeline: LithiumTimeline };

/**
 * Reads a `--clis` table: `file,c_Li` (assigned directly), or the time-based table (interpolated
 * later at each
 * exposure midpoint). Absolute times come from `time_utc` of the first sample + `time_s`, so the
 * differences keep
 * the full precision of `time_s`.
 * @throws RangeError when neither form is recognised or a row cannot be read (the message names the
 * line).
 */
export function readClisTable(text: string): ClisTable {
  const { header, rows } = parseCsv(text);
  const col = (name: string): number => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const iFile = col('file');
  const iC = col('c_Li');
  if (iC < 0) throw new RangeError(`c_Li table: no c_Li column (header: ${header.join(', ')})`);
  const num = (r: readonly string[], i: number): number => {
    const s = i >= 0 ? (r[i] ?? '').trim() : '';
    return s === '' ? Number.NaN : Number(s);
  };
  if (iFile >= 0) {
    return { kind: 'by-file', rows: rows.map((r) => ({ file: (r[iFile] ?? '').trim(), cLi: num(r, iC) })) };
  }
  const iT = col('time_s');
  const iU = col('time_utc');
  if (iT < 0 && iU < 0) throw new RangeError('c_Li table: needs a file column or time_s/time_utc columns');
  if (iU < 0) throw new RangeError('c_Li table: time_s without time_utc cannot be placed on the pattern clock');
  const n = rows.length;
  const unixTimeS = new Float64Array(n);
  let t0Unix = Number.NaN;
  let t0Rel = Number.NaN;
  rows.forEach((r, k) => {
    const rel = num(r, iT);
    if (Number.isNaN(t0Unix) || iT < 0 || Number.isNaN(rel)) {
      const stamp = (r[iU] ?? '').trim();
      try {
        unixTimeS[k] = parseTimestampUnixS(stamp, { timeZone: 'UTC' });
      } catch (e) {
        throw new RangeError(`c_Li table line ${k + 2}: ${(e as Error).message}`);
      }
      if (Number.isNaN(t0Unix) && !Number.isNaN(rel)) {
        t0Unix = unixTimeS[k];
        t0Rel = rel;
      }
    } else unixTimeS[k] = t0Unix + (rel - t0Rel);
  });
  const column = (i: number): Float64Array => Float64Array.from(rows, (r) => num(r, i));
  const iB = col('branch');
  const branch = rows.map((r): Branch => {
    const b = iB >= 0 ? (r[iB] ?? '').trim() : '';
    return b === 'charge' || b === 'discharge' ? b : 'rest';
  });
  return {
    kind: 'timeline',
    timeline: {
      unixTimeS,
      cLi: column(iC),
      voltageV: column(col('voltage_V')),
      currentMilliamp: column(col('current_mA')),
      chargeMah: new Float64Array(n).fill(Number.NaN),
      cycle: column(col('cycle')),
      step: column(col('step')),
      branch,
      record: new Float64Array(n),
    },
  };
}
