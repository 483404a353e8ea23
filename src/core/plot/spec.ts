/**
 * Shared pieces of the Vega-Lite spec builders: the spec type, schema, axis titles with units, the
 * theme-neutral
 * config, zoom/pan selection and "value ± σ" formatting.
 */

/** A Vega-Lite (v5-compatible) top-level spec as a plain JSON-able object. */
export type VegaLiteSpec = Record<string, unknown>;

/** The schema every builder declares. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/**
 * Categorical scheme for series: Tableau 10 keeps adjacent hues apart and stays legible on light,
 * dark and
 * high-contrast backgrounds; axis, grid and text colours are left to the renderer's theme.
 */
export const CATEGORY_SCHEME = 'tableau10';

/**
 * Sequential scheme for intensity and for ordered series (perceptually uniform, readable on any
 * background).
 */
export const SEQUENTIAL_SCHEME = 'viridis';

/**
 * A mid grey for annotations (rules, shaded zones): visible on light and dark backgrounds alike.
 */
export const NEUTRAL_COLOR = '#888888';

/** Axis titles: quantity and unit. Dimensionless quantities carry no unit. */
export const AXIS_TITLE = {
  twoTheta: '2θ (°)',
  q: 'q (Å⁻¹)',
  d: 'd (Å)',
  cLi: 'c_Li',
  timeS: 'Time (s)',
  timeH: 'Time (h)',
  index: 'Pattern index',
  voltage: 'Voltage (V)',
  current: 'Current (mA)',
  a: 'a (Å)',
  c: 'c (Å)',
  dTM: 'd_TM (Å)',
  dIL: 'd_IL (Å)',
  strain001: 'ε₀₀₁',
  strainA: 'εᵃ',
  strainC: 'εᶜ',
  dQdV: 'dQ/dV (mAh V⁻¹)',
  dVdQ: 'dV/dQ (V mAh⁻¹)',
  soc: 'State of charge',
} as const;

/** Intensity axis title for a scan's intensity kind. */
export function intensityTitle(kind: 'counts' | 'countsPerSecond' | 'normalised' | 'unknown' | undefined): string {
  if (kind === 'counts') return 'Intensity (counts)';
  if (kind === 'countsPerSecond') return 'Intensity (counts s⁻¹)';
  return 'Intensity (arb. units)';
}

/** The diffraction axis a builder draws. */
export type DiffractionAxis = 'twoTheta' | 'q' | 'd';

/**
 * Config shared by every builder: no hard-coded axis or background colours, series in {@link
 * CATEGORY_SCHEME}.
 */
export const BASE_CONFIG = {
  range: { category: { scheme: CATEGORY_SCHEME } },
  legend: { orient: 'right' },
  axis: { labelFlush: true },
  // Per-mark ARIA labels repeat every datum as text: thousands of points or heatmap cells would make a saved SVG
  // megabytes long and a screen reader unusable. Axes, legends and titles keep their descriptions.
  mark: { aria: false },
} as const;

/** The top-level skeleton every builder fills. */
export function topLevel(body: Record<string, unknown>, title?: string): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title ? { title } : {}),
    config: BASE_CONFIG,
    ...body,
  };
}

/** Interval selection bound to the scales: drag to pan, wheel to zoom; double-click resets. */
export function zoomParam(name: string = 'zoom', encodings: readonly ('x' | 'y')[] = ['x', 'y']): Record<string, unknown> {
  return { name, select: { type: 'interval', encodings: [...encodings] }, bind: 'scales' };
}

/**
 * Text of a value with its standard uncertainty, rounded to σ's second significant digit: 2.87271 ±
 * 0.000234 →
 * '2.87271 ± 0.00023'. Without a finite σ, six significant digits.
 */
export function formatWithSigma(value: number, sigma?: number): string {
  if (!Number.isFinite(value)) return '';
  if (sigma === undefined || !Number.isFinite(sigma) || sigma <= 0) return trimNumber(value.toPrecision(6));
  const digits = Math.max(0, Math.min(12, 1 - Math.floor(Math.log10(sigma))));
  return `${value.toFixed(digits)} ± ${sigma.toFixed(digits)}`;
}

function trimNumber(s: string): string {
  return s.includes('e') || !s.includes('.') ? s : s.replace(/\.?0+$/, '');
}

/**
 * A finite number, or null (Vega drops nulls from continuous scales; NaN would not survive JSON
 * anyway).
 */
export function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}
