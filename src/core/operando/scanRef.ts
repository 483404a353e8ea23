/**
 * A pattern of a series is a file, or one scan of a multi-scan file (a NeXus series, an XRDML with several scans):
 * written `FILE#N` with N counted from 0. The reference is what the results table shows in its `file` column.
 */

/** `file#index`. */
export function scanRef(file: string, index: number): string {
  return `${file}#${index}`;
}

/**
 * Splits `FILE#N` into the file and the scan index; a name without such a suffix is scan 0 of itself. `exists` lets a
 * real file whose name ends in `#N` win over the reading as a reference.
 */
export function parseScanRef(ref: string, exists: (file: string) => boolean = () => false): { file: string; scan: number } {
  const m = /^(.*)#(\d+)$/.exec(ref);
  if (!m || exists(ref)) return { file: ref, scan: 0 };
  return { file: m[1], scan: Number(m[2]) };
}

/** Extensions of formats that can hold several scans in one file (lower case, with the dot). */
export const MULTI_SCAN_EXTENSIONS: readonly string[] = ['.nxs', '.h5', '.hdf5', '.nx5', '.xrdml', '.brml', '.ras', '.rasx', '.gsa', '.gss', '.fxye', '.xra', '.raw'];

/** Whether a file name has one of {@link MULTI_SCAN_EXTENSIONS}. */
export function mayHoldSeveralScans(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && MULTI_SCAN_EXTENSIONS.includes(file.slice(dot).toLowerCase());
}
