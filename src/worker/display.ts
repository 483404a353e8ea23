/** How cell values become outputs: charts (four MIME items), tables (HTML + text + CSV) and everything else as text. */
import type { CellOutput, ChartPayload } from '../protocol/outputs.ts';

/** A chart value in a cell: what `xrd.plot.*` returns and `show()` displays. */
export interface Chart {
  readonly kind: 'operando-xrd.chart';
  readonly spec: Record<string, unknown>;
  readonly title?: string;
  /** Filled by the worker before the chart leaves it: the headless SVG rendering. */
  svg?: string;
}

/** A table value: rows of plain objects. */
export interface Table {
  readonly kind: 'operando-xrd.table';
  readonly rows: readonly Record<string, unknown>[];
}

export function isChart(value: unknown): value is Chart {
  return typeof value === 'object' && value !== null && (value as Chart).kind === 'operando-xrd.chart';
}
export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && (value as Table).kind === 'operando-xrd.table';
}

export function makeChart(spec: Record<string, unknown>, title?: string): Chart {
  return { kind: 'operando-xrd.chart', spec, title: title ?? (typeof spec.title === 'string' ? spec.title : undefined) };
}

export function makeTable(rows: readonly Record<string, unknown>[]): Table {
  if (!Array.isArray(rows)) throw new TypeError('table(rows) expects an array of objects');
  return { kind: 'operando-xrd.table', rows };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function formatCell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number(v.toPrecision(7)).toString();
  if (v === undefined || v === null) return '';
  return String(v);
}

/** RFC 4180 CSV with a header row made from the union of the rows' keys, in first-seen order. */
export function rowsToCsv(rows: readonly Record<string, unknown>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) seen.add(k), columns.push(k);
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [columns.map(quote).join(',')];
  for (const r of rows) lines.push(columns.map((c) => quote(r[c] === undefined || r[c] === null ? '' : String(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

export function tableOutput(rows: readonly Record<string, unknown>[]): CellOutput {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const shown = rows.slice(0, 500);
  const html =
    `<table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>` +
    shown.map((r) => `<tr>${columns.map((c) => `<td>${escapeHtml(formatCell(r[c]))}</td>`).join('')}</tr>`).join('') +
    `</tbody></table>` +
    (rows.length > shown.length ? `<p>${rows.length - shown.length} more rows</p>` : '');
  const widths = columns.map((c) => Math.max(c.length, ...shown.map((r) => formatCell(r[c]).length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i])).join('  ');
  const text = [line(columns), ...shown.map((r) => line(columns.map((c) => formatCell(r[c]))))].join('\n');
  return { kind: 'table', html, text, csv: rowsToCsv(rows) };
}

export function chartOutput(chart: Chart): CellOutput {
  const payload: ChartPayload = { spec: chart.spec, title: chart.title };
  return { kind: 'chart', chart: payload, svg: chart.svg, text: `Chart: ${chart.title ?? 'untitled'}` };
}

export function toCellOutput(value: unknown, inspect: (v: unknown) => string): CellOutput {
  if (isChart(value)) return chartOutput(value);
  if (isTable(value)) return tableOutput(value.rows);
  // As Jupyter shows a value's repr, strings keep their quotes.
  return { kind: 'text', text: inspect(value) };
}
