/**
 * Natural order of file names: digit runs compare as numbers, so 'scan_2' sorts before 'scan_10'.
 */

const CHUNK = /(\d+)|(\D+)/g;

/**
 * Compares two names in natural order (case-insensitive, then by the raw string for a total order).
 */
export function naturalCompare(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i];
    const y = cb[i];
    const xd = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const yd = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (xd && yd) {
      // Compare digit runs without Number() so that very long runs (hashes, timestamps) stay exact.
      const xs = x.replace(/^0+(?=\d)/, '');
      const ys = y.replace(/^0+(?=\d)/, '');
      if (xs.length !== ys.length) return xs.length - ys.length;
      if (xs !== ys) return xs < ys ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length;
    } else {
      // Code-point order, not a locale collation, so the order is the same on every machine.
      const xl = x.toLowerCase();
      const yl = y.toLowerCase();
      if (xl !== yl) return xl < yl ? -1 : 1;
    }
  }
  if (ca.length !== cb.length) return ca.length - cb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A new array of `names` in natural order. */
export function naturalSort(names: readonly string[]): string[] {
  return [...names].sort(naturalCompare);
}
