import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, quoteCsvField, writeCsv } from '../../../../src/core/operando/csv.ts';

test('quoteCsvField quotes commas, quotes and line breaks, and doubles inner quotes (RFC 4180)', () => {
  assert.equal(quoteCsvField('plain'), 'plain');
  assert.equal(quoteCsvField('a,b'), '"a,b"');
  assert.equal(quoteCsvField('say "hi"'), '"say ""hi"""');
  assert.equal(quoteCsvField('two\nlines'), '"two\nlines"');
});

test('writeCsv then parseCsv returns the same header and cells, numbers exactly', () => {
  const columns = ['file', 'value', 'note'];
  const rows = [
    { file: 'scan, 1.xy', value: 0.1 + 0.2, note: 'he said "ok"' },
    { file: 'scan_2.xy', value: Number.NaN, note: 'multi\r\nline' },
    { file: 'scan_3.xy', value: -1.5e-300 },
  ];
  const text = writeCsv(columns, rows);
  assert.ok(text.startsWith('file,value,note\r\n'));
  const back = parseCsv(text);
  assert.deepEqual(back.header, columns);
  assert.deepEqual(back.rows, [
    ['scan, 1.xy', '0.30000000000000004', 'he said "ok"'],
    ['scan_2.xy', '', 'multi\r\nline'],
    ['scan_3.xy', '-1.5e-300', ''],
  ]);
  assert.equal(Number(back.rows[0][1]), 0.1 + 0.2);
});

test('parseCsv accepts LF line ends, a BOM and skips blank lines', () => {
  const t = parseCsv('\ufeffa,b\n1,2\n\n3,\n');
  assert.deepEqual(t.header, ['a', 'b']);
  assert.deepEqual(t.rows, [
    ['1', '2'],
    ['3', ''],
  ]);
});

test('parseCsv rejects an unterminated quote', () => {
  assert.throws(() => parseCsv('a\n"open'), RangeError);
});
