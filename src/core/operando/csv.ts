/**
 * RFC 4180 CSV: a writer (header row, CRLF, quoting where needed) and a reader (quotes, CRLF or LF,
 * BOM).
 */

/**
 * A cell value: numbers are written in shortest round-trip form; NaN, ±Infinity and undefined
 * become empty cells.
 */
export type CsvCell = string | number | boolean | undefined;

/** Writes a header row and one row per record; cells missing from a record are empty. */
export function writeCsv(columns: readonly string[], rows: readonly Readonly<Record<string, CsvCell>>[]): string {
  const lines: string[] = [columns.map(quoteCsvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => quoteCsvField(formatCell(row[c]))).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** The text of a cell as written to CSV (before quoting). */
export function formatCell(value: CsvCell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  return String(value);
}

/**
 * Quotes a field when it holds a comma, a double quote, CR or LF, doubling inner quotes (RFC 4180
 * §2.6–2.7).
 */
export function quoteCsvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/** A parsed CSV table: the header and the data rows as text. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Reads RFC 4180 CSV (also LF line ends and a leading BOM). The first row is the header; blank
 * lines are skipped.
 * @throws RangeError on an unterminated quoted field.
 */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  const endRow = (): void => {
    if (fieldStarted || row.length > 0 || field !== '') row.push(field);
    if (row.length > 1 || (row.length === 1 && row[0] !== '')) records.push(row);
    row = [];
    field = '';
    fieldStarted = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && text[i + 1] === '\n') i++;
    } else field += ch;
    i++;
  }
  if (quoted) throw new RangeError('CSV: unterminated quoted field');
  endRow();
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows };
}
