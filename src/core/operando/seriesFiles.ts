/**
 * Which files of a folder form a series: the scans of its most common diffraction extension, in natural order. A
 * folder of 200 `.xy` patterns usually also holds a scan log `.csv` and notes `.txt`, which the column-text reader
 * would otherwise try to read as patterns.
 */
import { FORMATS } from '../io/detect.ts';
import { naturalSort } from './naturalSort.ts';

/** Extensions (lower case, with the dot) of readable diffraction formats, in the order of {@link FORMATS}. */
export const SERIES_EXTENSIONS: readonly string[] = [
  ...new Set(FORMATS.filter((f) => f.kind === 'diffraction' && f.supported).flatMap((f) => f.extensions)),
];

/**
 * The series among the names of a folder's files: those with the extension most of its scans share (ties go to the
 * extension listed first in {@link SERIES_EXTENSIONS}), naturally sorted (`scan_2` before `scan_10`).
 */
export function seriesFilesInFolder(names: readonly string[]): string[] {
  const byExtension = new Map<string, string[]>();
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot).toLowerCase() : '';
    if (!SERIES_EXTENSIONS.includes(ext)) continue;
    let list = byExtension.get(ext);
    if (!list) byExtension.set(ext, (list = []));
    list.push(name);
  }
  let best: string[] = [];
  for (const ext of SERIES_EXTENSIONS) {
    const list = byExtension.get(ext);
    if (list && list.length > best.length) best = list;
  }
  return naturalSort(best);
}
