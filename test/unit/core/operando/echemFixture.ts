// Builds in-memory EchemRecords for the operando tests (not a test file itself).
import type { EchemRecord } from '../../../../src/core/data/echem.ts';

export function makeRecord(
  columns: Record<string, ArrayLike<number>>,
  extra: Partial<Pick<EchemRecord, 'startTime' | 'currentSign' | 'format'>> = {},
): EchemRecord {
  const cols: Record<string, Float64Array> = {};
  let n = 0;
  for (const [k, v] of Object.entries(columns)) {
    cols[k] = Float64Array.from(v);
    n = cols[k].length;
  }
  return {
    kind: 'electrochemistry',
    format: extra.format ?? 'test',
    records: n,
    columns: cols,
    units: {},
    currentSign: extra.currentSign ?? 'oxidation-positive',
    metadata: {},
    warnings: [],
    ...(extra.startTime !== undefined ? { startTime: extra.startTime } : {}),
  };
}

/** Samples 0..n−1 at `dtS` spacing. */
export function range(n: number, f: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}
