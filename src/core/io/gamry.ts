/**
 * Gamry Framework `.DTA` files: "EXPLAIN", then header lines `KEY<TAB>TYPE<TAB>VALUE<TAB>label`, then tables opened
 * by `NAME<TAB>TABLE[<TAB>count]`, followed by a row of column names, a row of units and tab-indented data rows.
 * The measurement tables (CURVE, CURVE1 … CURVEn, or ZCURVE for impedance) are joined into one record with a
 * `curve` column; other tables (e.g. OCVCURVE before an EIS run) are summarised in the metadata.
 * Canonical columns: T or Time (s) → time_s, Vf or Vdc (V) → voltage_V, Im or Idc (A) → current_mA.
 */
import type { EchemRecord } from '../data/echem.ts';
import { ParseError } from './parseError.ts';
import { putMeta } from './header.ts';
import { CANONICAL_UNITS } from './echemColumns.ts';
import { decodeText, lineEnd, looksBinary, nextLine, normaliseTextBytes, readTable } from './text.ts';

const FORMAT = 'gamry';

interface Table {
  name: string;
  names: string[];
  units: string[];
  columns: Float64Array[];
  rows: number;
  declared?: number;
}

/** Reads a Gamry `.DTA` file. */
export function readGamry(input: Uint8Array): EchemRecord {
  const bytes = normaliseTextBytes(input);
  if (bytes.length === 0) throw new ParseError({ format: FORMAT, offset: 0, expected: '"EXPLAIN"', found: '0 bytes' });
  if (looksBinary(bytes)) throw new ParseError({ format: FORMAT, offset: 0, expected: 'text', found: 'binary bytes' });
  const first = decodeText(bytes, 0, Math.min(bytes.length, 16));
  if (!/^EXPLAIN\s/.test(first)) throw new ParseError({ format: FORMAT, offset: 0, line: 1, expected: '"EXPLAIN"', found: JSON.stringify(first.split(/\r?\n/)[0]) });
  const meta: Record<string, string> = {};
  const tables: Table[] = [];
  const warnings: string[] = [];
  let i = 0;
  let line = 0;
  while (i < bytes.length) {
    const s = i;
    i = nextLine(bytes, i, bytes.length);
    line++;
    const text = decodeText(bytes, s, Math.min(lineEnd, s + 4000));
    const f = text.split('\t');
    if (f[1] === 'TABLE') {
      const namesStart = i;
      i = nextLine(bytes, i, bytes.length);
      const names = decodeText(bytes, namesStart, lineEnd).split('\t').slice(1).map((x) => x.trim());
      const unitsStart = i;
      i = nextLine(bytes, i, bytes.length);
      const units = decodeText(bytes, unitsStart, lineEnd).split('\t').slice(1).map((x) => x.trim());
      line += 2;
      if (!names.length || !names[0]) {
        throw new ParseError({ format: FORMAT, line: line - 1, offset: namesStart, expected: `column names of table ${f[0]}`, found: 'none' });
      }
      const t = readTable(bytes, {
        format: FORMAT,
        layout: { delimiter: 'tab', decimal: 46 },
        ncol: Math.min(names.length, 256),
        start: i,
        end: bytes.length,
        firstLine: line + 1,
        stopAtText: true,
      });
      i = t.endOffset;
      line += t.linesRead;
      const declared = f[2] !== undefined && /^\d+$/.test(f[2].trim()) ? Number(f[2]) : undefined;
      tables.push({ name: f[0], names, units, columns: t.columns, rows: t.rows, declared });
      if (declared !== undefined && declared !== t.rows) warnings.push(`table ${f[0]}: ${t.rows} rows, header says ${declared}`);
      continue;
    }
    if (f.length >= 3 && /^[A-Z0-9_]+$/.test(f[0])) putMeta(meta, f[0], f[2]);
    else if (f.length === 2 && /^[A-Z0-9_]+$/.test(f[0])) putMeta(meta, f[0], f[1]);
  }
  const curves = tables.filter((t) => /^CURVE\d*$/.test(t.name));
  const main = curves.length ? curves : tables.filter((t) => t.name === 'ZCURVE').slice(0, 1);
  if (!main.length) {
    if (!tables.length) throw new ParseError({ format: FORMAT, offset: bytes.length, line, expected: 'a NAME<TAB>TABLE section', found: 'none' });
    main.push(tables[0]);
  }
  for (const t of tables) if (!main.includes(t)) putMeta(meta, `table ${t.name}`, `${t.rows} rows: ${t.names.join(', ')}`);
  // Join the curves on the first curve's column names.
  const names = main[0].names;
  const n = main.reduce((a, t) => a + t.rows, 0);
  const columns: Record<string, Float64Array> = {};
  const units: Record<string, string> = {};
  names.forEach((name, k) => {
    const c = new Float64Array(n);
    let o = 0;
    for (const t of main) {
      const idx = t.names.indexOf(name);
      for (let r = 0; r < t.rows; r++) c[o + r] = idx >= 0 && idx < t.columns.length ? t.columns[idx][r] : NaN;
      o += t.rows;
    }
    let key = name || `column ${k + 1}`;
    for (let d = 2; key in columns; d++) key = `${name} (${d})`;
    columns[key] = c;
    units[key] = main[0].units[k] ?? '';
  });
  if (main.length > 1 || curves.length) {
    const c = new Float64Array(n);
    let o = 0;
    main.forEach((t, k) => {
      c.fill(Number(/\d+$/.exec(t.name)?.[0] ?? k + 1), o, o + t.rows);
      o += t.rows;
    });
    columns.curve = c;
    units.curve = '';
  }
  const map = (target: 'time_s' | 'voltage_V' | 'current_mA', candidates: string[], factors: Record<string, number>) => {
    const name = candidates.find((c) => c in columns);
    if (!name) return;
    const u = (units[name] ?? '').split(/\s/)[0];
    const factor = factors[u];
    if (factor === undefined) {
      warnings.push(`column ${name} in "${units[name]}" is not mapped to ${target}`);
      return;
    }
    columns[target] = factor === 1 ? columns[name] : Float64Array.from(columns[name], (v) => v * factor);
    units[target] = CANONICAL_UNITS[target];
  };
  map('time_s', ['T', 'Time'], { s: 1 });
  map('voltage_V', ['Vf', 'Vdc'], { V: 1, mV: 0.001 });
  map('current_mA', ['Im', 'Idc'], { A: 1000, mA: 1 });
  const date = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(meta.DATE ?? '');
  const time = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(meta.TIME ?? '');
  const p2 = (v: string) => v.padStart(2, '0');
  const startTime = date && time ? `${date[3]}-${p2(date[1])}-${p2(date[2])}T${p2(time[1])}:${time[2]}:${time[3]}` : undefined;
  return {
    kind: 'electrochemistry',
    format: FORMAT,
    records: n,
    columns,
    units,
    startTime,
    currentSign: 'unknown',
    technique: meta.TAG,
    metadata: meta,
    warnings,
  };
}
