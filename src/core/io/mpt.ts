/**
 * BioLogic EC-Lab text exports (`.mpt`, also `.txt`): "EC-Lab ASCII FILE", "Nb header lines : N", header items,
 * the column-name line (line N, tab-separated), then tab-separated rows. Exports from localised EC-Lab use decimal
 * commas; old and minimal (3-line header) exports are read the same way. Text is Latin-1 when not UTF-8.
 * EC-Lab signs currents oxidation-positive (I > 0 charges a cathode).
 */
import type { EchemRecord } from '../data/echem.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { addEcLabCanonical, unitOfName } from './echemColumns.ts';
import { decodeText, lineEnd, nextLine, normaliseTextBytes, readTable, looksBinary } from './text.ts';

const FORMAT = 'mpt';
const MAX_HEADER_LINES = 100_000;

/** ISO time from EC-Lab's "mm/dd/yyyy hh:mm:ss[.fff]" (also with '.' or '-' separators), or undefined. */
export function ecLabTime(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const m = /(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})([.,]\d+)?/.exec(s);
  if (!m) return undefined;
  const [month, day] = s.includes('.') && /\d\.\d{1,2}\.\d{4}/.test(m[0]) ? [Number(m[2]), Number(m[1])] : [Number(m[1]), Number(m[2])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const p2 = (v: number | string) => String(v).padStart(2, '0');
  const frac = m[7] ? '.' + m[7].slice(1) : '';
  return `${m[3]}-${p2(month)}-${p2(day)}T${p2(m[4])}:${m[5]}:${m[6]}${frac}`;
}

/** Reads an EC-Lab text export into an electrochemistry record. */
export function readMpt(input: Uint8Array): EchemRecord {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: '"EC-Lab ASCII FILE"', found: '0 bytes' });
  if (looksBinary(bytes, 2048)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  let i = nextLine(bytes, 0, bytes.length);
  const first = decodeText(bytes, 0, Math.min(lineEnd, 200)).trim();
  if (!/^(EC|BT)-Lab ASCII FILE$/i.test(first)) {
    throw new ParseError({ format: FORMAT, line: 1, offset: 0, expected: '"EC-Lab ASCII FILE"', found: JSON.stringify(first.slice(0, 40)) });
  }
  const lineStart2 = i;
  i = nextLine(bytes, i, bytes.length);
  const second = decodeText(bytes, lineStart2, Math.min(lineEnd, lineStart2 + 200));
  const nm = /Nb header lines\s*:\s*(\d+)/i.exec(second);
  if (!nm) throw new ParseError({ format: FORMAT, line: 2, offset: lineStart2, expected: '"Nb header lines : N"', found: JSON.stringify(second.trim().slice(0, 40)) });
  const nHeader = Number(nm[1]);
  if (nHeader < 3 || nHeader > MAX_HEADER_LINES) {
    throw new ParseError({ format: FORMAT, line: 2, offset: lineStart2, expected: `a header line count between 3 and ${MAX_HEADER_LINES}`, found: nm[1] });
  }
  const meta: Record<string, string> = {};
  let technique: string | undefined;
  let namesLine = '';
  for (let line = 3; line <= nHeader; line++) {
    if (i >= bytes.length) {
      throw new ParseError({ format: FORMAT, line, offset: i, expected: `${nHeader} header lines`, found: 'end of file' });
    }
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    const text = decodeText(bytes, s, Math.min(lineEnd, s + 65536));
    if (line === nHeader) {
      namesLine = text;
      break;
    }
    const t = text.trim();
    if (!t) continue;
    const c = t.indexOf(' : ');
    if (c > 0) putMeta(meta, t.slice(0, c), t.slice(c + 3));
    else if (technique === undefined && !/\s{2,}/.test(t)) technique = t;
  }
  const names = namesLine.replace(/\t+$/, '').split('\t').map((s) => s.trim());
  if (names.length < 1 || !names[0]) {
    throw new ParseError({ format: FORMAT, line: nHeader, expected: 'tab-separated column names', found: JSON.stringify(namesLine.slice(0, 40)) });
  }
  // Decimal comma when the first data row has commas and no dots (localised EC-Lab).
  let decimal = 46;
  if (i < bytes.length) {
    nextLine(bytes, i, bytes.length);
    let comma = 0;
    let dot = 0;
    for (let k = i; k < lineEnd; k++) {
      if (bytes[k] === 44) comma++;
      else if (bytes[k] === 46) dot++;
    }
    if (comma > 0 && dot === 0) decimal = 44;
  }
  const table = readTable(bytes, {
    format: FORMAT,
    layout: { delimiter: 'tab', decimal },
    ncol: names.length,
    start: i,
    end: bytes.length,
    firstLine: nHeader + 1,
  });
  const warnings: string[] = [];
  if (table.skippedLines) warnings.push(`${table.skippedLines} non-numeric line(s) skipped (first at line ${table.firstSkippedLine})`);
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  names.forEach((name, k) => {
    const key = name in columns ? `${name} (${k + 1})` : name;
    columns[key] = table.columns[k];
    units[key] = unitOfName(name);
  });
  addEcLabCanonical(columns, units);
  return {
    kind: 'electrochemistry',
    format: FORMAT,
    records: table.rows,
    columns,
    units,
    startTime: ecLabTime(meta['Acquisition started on']),
    currentSign: 'oxidation-positive',
    technique,
    metadata: meta,
    warnings,
  };
}
