// Test helpers: load fixtures and xylib's reference output (test/fixtures/xylib-expected, written by `xyconv`).
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES = path.resolve('test/fixtures');

/** Bytes of a fixture as a Uint8Array (not a Buffer, as the readers see in the extension). */
export function fixture(rel: string): Uint8Array {
  const b = fs.readFileSync(path.join(FIXTURES, rel));
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** Blocks of numeric rows from an `xyconv` output file (blocks separated by "### block" lines). */
export function xylibBlocks(name: string): { meta: Record<string, string>; rows: number[][] }[] {
  const text = fs.readFileSync(path.join(FIXTURES, 'xylib-expected', name), 'latin1');
  const blocks: { meta: Record<string, string>; rows: number[][] }[] = [];
  let cur = { meta: {} as Record<string, string>, rows: [] as number[][] };
  for (const line of text.split('\n')) {
    if (line.startsWith('### block')) {
      if (cur.rows.length) blocks.push(cur);
      cur = { meta: {}, rows: [] };
    } else if (line.startsWith('#')) {
      const m = /^#\s*([^:]+):\s*(.*)$/.exec(line);
      if (m) cur.meta[m[1]] = m[2];
    } else if (line.trim() && !line.startsWith('Error')) {
      const row = line.trim().split(/\s+/).map(Number);
      if (row.every(Number.isFinite)) cur.rows.push(row);
    }
  }
  if (cur.rows.length) blocks.push(cur);
  return blocks;
}

/** Asserts |a − b| ≤ tol for every element, naming the first index that differs. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${what}[${i}]: ${actual[i]} differs from ${expected[i]} by more than ${tol}`);
    }
  }
}

/** Column k of a list of rows. */
export function col(rows: number[][], k: number): number[] {
  return rows.map((r) => r[k]);
}
