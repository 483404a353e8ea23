/**
 * Operando overviews: intensity heatmap (axis vs time, index or c_Li) and waterfall of stacked
 * patterns.
 */
import { binMax, minMaxDecimate } from './decimate.ts';
import {
  AXIS_TITLE,
  SEQUENTIAL_SCHEME,
  finiteOrNull,
  formatWithSigma,
  topLevel,
  zoomParam,
  type DiffractionAxis,
  type VegaLiteSpec,
} from './spec.ts';

/** What the rows of an operando chart are ordered by. */
export type OperandoRow = 'timeS' | 'index' | 'cLi';

/** Input shared by {@link operandoHeatmapSpec} and {@link waterfallSpec}. */
export interface OperandoSpecInput {
  /** Common diffraction axis of all patterns (each pattern may also bring its own, see `xs`). */
  readonly x: Float64Array;
  /** Per-pattern axes when they differ; defaults to `x` for every pattern. */
  readonly xs?: readonly Float64Array[];
  readonly patterns: readonly Float64Array[];
  readonly axis: DiffractionAxis;
  /** Row quantity and its values (one per pattern); 'index' needs none. */
  readonly row: OperandoRow;
  readonly rowValues?: Float64Array;
  readonly files?: readonly string[];
  readonly title?: string;
  readonly width?: number | 'container';
}

/** Defaults of the operando builders, in one place. */
export const OPERANDO_DEFAULTS = {
  /** Heatmap columns per pattern at most (bins keep their maximum so peaks stay visible). */
  heatmapColumns: 400,
  /** Fewest columns per pattern, whatever the number of patterns. */
  heatmapMinColumns: 60,
  /** Cells (patterns × columns) aimed at: each is a data row and an SVG path in a saved notebook. */
  heatmapCells: 6000,
  /** Waterfall points per pattern (min/max decimation). */
  waterfallPoints: 1000,
  /**
   * Waterfall vertical offset between consecutive patterns, as a fraction of the largest intensity
   * range.
   */
  waterfallOffset: 0.15,
} as const;

const ROW_TITLE: Record<OperandoRow, string> = {
  timeS: AXIS_TITLE.timeS,
  index: AXIS_TITLE.index,
  cLi: AXIS_TITLE.cLi,
};

function rowValue(input: OperandoSpecInput, k: number): number {
  if (input.row === 'index') return k;
  const v = input.rowValues?.[k];
  if (v === undefined) throw new RangeError(`operando spec: rowValues needed for row '${input.row}'`);
  return v;
}

/**
 * Heatmap of intensity: diffraction axis horizontally, rows by time, index or c_Li vertically. Each
 * row spans half
 * way to its neighbours in the row quantity's sorted order (c_Li that goes down and up again
 * overlaps itself: draw
 * one branch at a time). Colour: intensity on a square-root scale, viridis.
 */
export function operandoHeatmapSpec(
  input: OperandoSpecInput & { readonly columns?: number; readonly intensityScale?: 'linear' | 'sqrt' | 'log' },
): VegaLiteSpec {
  const m = input.patterns.length;
  const rows = Float64Array.from({ length: m }, (_, k) => rowValue(input, k));
  const order = Array.from({ length: m }, (_, k) => k)
    .filter((k) => Number.isFinite(rows[k]))
    .sort((p, q) => rows[p] - rows[q]);
  const lo = new Float64Array(m).fill(Number.NaN);
  const hi = new Float64Array(m).fill(Number.NaN);
  order.forEach((k, j) => {
    const prev = j > 0 ? rows[order[j - 1]] : Number.NaN;
    const next = j + 1 < order.length ? rows[order[j + 1]] : Number.NaN;
    const halfDown = Number.isFinite(prev) ? (rows[k] - prev) / 2 : Number.isFinite(next) ? (next - rows[k]) / 2 : 0.5;
    const halfUp = Number.isFinite(next) ? (next - rows[k]) / 2 : halfDown;
    lo[k] = rows[k] - halfDown;
    hi[k] = rows[k] + halfUp;
  });
  // Every cell is a data row and an SVG path in saved notebooks: keep the total near heatmapCells.
  const columns =
    input.columns ?? Math.max(OPERANDO_DEFAULTS.heatmapMinColumns, Math.min(OPERANDO_DEFAULTS.heatmapColumns, Math.floor(OPERANDO_DEFAULTS.heatmapCells / Math.max(1, m))));
  const round = (v: number, digits: number) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);
  const values: Record<string, unknown>[] = [];
  for (const k of order) {
    const xk = input.xs?.[k] ?? input.x;
    const { x, y } = binMax(xk, input.patterns[k], columns);
    for (let i = 0; i < x.length; i++) {
      const left = i > 0 ? 0.5 * (x[i - 1] + x[i]) : x[i] - 0.5 * (x[Math.min(1, x.length - 1)] - x[0]);
      const right = i + 1 < x.length ? 0.5 * (x[i] + x[i + 1]) : x[i] + 0.5 * (x[i] - x[Math.max(0, i - 1)]);
      values.push({
        x0: round(left, 5),
        x1: round(right, 5),
        x: round(x[i], 5),
        r0: round(lo[k], 6),
        r1: round(hi[k], 6),
        row: round(rows[k], 6),
        I: finiteOrNull(Number(y[i].toPrecision(5))),
        file: input.files?.[k] ?? `#${k}`,
      });
    }
  }
  const xTitle = AXIS_TITLE[input.axis];
  const scaleType = input.intensityScale ?? 'sqrt';
  return topLevel(
    {
      width: input.width ?? 640,
      height: 360,
      data: { values },
      params: [zoomParam('zoom')],
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'x0', type: 'quantitative', title: xTitle, scale: { zero: false, nice: false } },
        x2: { field: 'x1' },
        y: { field: 'r0', type: 'quantitative', title: ROW_TITLE[input.row], scale: { zero: false, nice: false } },
        y2: { field: 'r1' },
        color: {
          field: 'I',
          type: 'quantitative',
          title: 'Intensity',
          scale: { type: scaleType === 'log' ? 'symlog' : scaleType, scheme: SEQUENTIAL_SCHEME },
        },
        tooltip: [
          { field: 'file', type: 'nominal', title: 'File' },
          { field: 'x', type: 'quantitative', title: xTitle, format: '.4f' },
          { field: 'row', type: 'quantitative', title: ROW_TITLE[input.row], format: '.4~f' },
          { field: 'I', type: 'quantitative', title: 'Intensity (max in bin)', format: '.4~g' },
        ],
      },
    },
    input.title,
  );
}

/**
 * Waterfall: each pattern drawn as a line, shifted up by `offset` × the largest intensity range per
 * step in row
 * order, coloured by the row quantity (viridis).
 */
export function waterfallSpec(input: OperandoSpecInput & { readonly offset?: number; readonly maxPoints?: number }): VegaLiteSpec {
  const m = input.patterns.length;
  const rows = Float64Array.from({ length: m }, (_, k) => rowValue(input, k));
  const order = Array.from({ length: m }, (_, k) => k).sort((p, q) => rows[p] - rows[q] || p - q);
  let span = 0;
  for (const y of input.patterns) {
    let a = Number.POSITIVE_INFINITY;
    let b = Number.NEGATIVE_INFINITY;
    for (const v of y) {
      if (v < a) a = v;
      if (v > b) b = v;
    }
    if (b - a > span) span = b - a;
  }
  const step = (input.offset ?? OPERANDO_DEFAULTS.waterfallOffset) * (span || 1);
  const values: Record<string, unknown>[] = [];
  order.forEach((k, j) => {
    const xk = input.xs?.[k] ?? input.x;
    const y = input.patterns[k];
    const keep = minMaxDecimate([y], input.maxPoints ?? OPERANDO_DEFAULTS.waterfallPoints);
    for (const i of keep) {
      values.push({
        x: xk[i],
        y: finiteOrNull(y[i] + j * step),
        I: formatWithSigma(y[i]),
        row: rows[k],
        file: input.files?.[k] ?? `#${k}`,
      });
    }
  });
  const xTitle = AXIS_TITLE[input.axis];
  return topLevel(
    {
      width: input.width ?? 640,
      height: 480,
      data: { values },
      params: [zoomParam('zoom')],
      mark: { type: 'line', strokeWidth: 1, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } },
        y: { field: 'y', type: 'quantitative', title: 'Intensity + offset (arb. units)', scale: { zero: false } },
        detail: { field: 'file', type: 'nominal' },
        color: { field: 'row', type: 'quantitative', title: ROW_TITLE[input.row], scale: { scheme: SEQUENTIAL_SCHEME } },
        // Per-pattern fields only: a line answers a hover with its first point.
        tooltip: [
          { field: 'file', type: 'nominal', title: 'File' },
          { field: 'row', type: 'quantitative', title: ROW_TITLE[input.row], format: '.4~f' },
        ],
      },
    },
    input.title,
  );
}
