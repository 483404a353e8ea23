/**
 * Value types for diffraction scans. A scan keeps its native axis (2θ, q or d) and converts on demand
 * through `src/core/data/axis.ts`; nothing here is normalised behind the user's back.
 */

/** The physical quantity of a scan's x axis. */
export const AxisQuantity = {
  twoTheta: 'twoTheta',
  q: 'q',
  d: 'd',
} as const;
export type AxisQuantity = keyof typeof AxisQuantity;

/** Units an axis may be stored in. `deg` for 2θ; `invAngstrom` / `invNanometre` for q; `angstrom` for d. */
export const AxisUnit = {
  deg: 'deg',
  invAngstrom: 'invAngstrom',
  invNanometre: 'invNanometre',
  angstrom: 'angstrom',
} as const;
export type AxisUnit = keyof typeof AxisUnit;

/** What the intensity column holds. σ from √y is valid only for `counts`. */
export const IntensityKind = {
  counts: 'counts',
  countsPerSecond: 'countsPerSecond',
  normalised: 'normalised',
  unknown: 'unknown',
} as const;
export type IntensityKind = keyof typeof IntensityKind;

/** Where a wavelength came from; a file's own lines always win over defaults. */
export type WavelengthSource = 'file' | 'user' | 'default';

/** One emission line: wavelength in Å and its intensity relative to the strongest line (1 for the main line). */
export interface WavelengthLine {
  readonly angstrom: number;
  readonly ratio: number;
  readonly source: WavelengthSource;
  /** e.g. 'Cu Kα1' when known. */
  readonly label?: string;
}

/** Diffraction geometry, when the file says. */
export type Geometry = 'braggBrentano' | 'debyeScherrer' | 'detector2d' | 'transmission' | 'unknown';

/** One 1D powder pattern. Columns have equal length; `sigma` is absent when the file has none. */
export interface Scan {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly sigma?: Float64Array;
  readonly axis: AxisQuantity;
  readonly unit: AxisUnit;
  readonly intensityKind: IntensityKind;
  /** Count time per step in seconds, when known. */
  readonly countTimeS?: number;
  readonly wavelengths: readonly WavelengthLine[];
  readonly geometry: Geometry;
  /** ISO 8601 (with offset when the file gives one), as written in the file. */
  readonly startTime?: string;
  readonly endTime?: string;
  readonly exposureS?: number;
  readonly instrument?: string;
  readonly sample?: string;
  readonly temperatureK?: number;
  /** Everything else worth keeping from the header, as text. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** What a diffraction reader returns: one or more scans (a multi-scan file is a series). */
export interface ScanFile {
  readonly kind: 'diffraction';
  /** Reader id, e.g. 'xy', 'xrdml', 'brml'. */
  readonly format: string;
  readonly scans: readonly Scan[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}

/** The dominant line (largest ratio), or undefined when no wavelength is known. */
export function dominantWavelengthAngstrom(scan: Pick<Scan, 'wavelengths'>): number | undefined {
  let best: WavelengthLine | undefined;
  for (const line of scan.wavelengths) if (!best || line.ratio > best.ratio) best = line;
  return best?.angstrom;
}

/** hc in keV·Å: λ[Å] = 12.398419843 / E[keV] (CODATA 2018; science.md §1). */
export const HC_KEV_ANGSTROM = 12.398419843;
