/**
 * Refinement plot of one pattern: observed points, calculated line, difference offset below,
 * reflection ticks.
 */
import { DISPLAY_MAX_POINTS, minMaxDecimate } from './decimate.ts';
import {
  AXIS_TITLE,
  finiteOrNull,
  formatWithSigma,
  intensityTitle,
  topLevel,
  zoomParam,
  type DiffractionAxis,
  type VegaLiteSpec,
} from './spec.ts';

/** Reflection positions of one phase, on the same axis as the pattern. */
export interface PhaseReflections {
  readonly phase: string;
  readonly positions: Float64Array;
  /** Labels such as '003', same length as positions. */
  readonly hkl?: readonly string[];
}

/** Input of {@link patternSpec}. */
export interface PatternSpecInput {
  readonly x: Float64Array;
  readonly observed: Float64Array;
  /** σ of the observed intensities (shown in tooltips). */
  readonly sigma?: Float64Array;
  readonly calculated?: Float64Array;
  /** Observed − calculated; computed when absent and `calculated` is given. */
  readonly difference?: Float64Array;
  readonly axis: DiffractionAxis;
  readonly intensityKind?: 'counts' | 'countsPerSecond' | 'normalised' | 'unknown';
  readonly reflections?: readonly PhaseReflections[];
  readonly title?: string;
  /**
   * Decimate beyond this many points per curve (min/max preserving). Default {@link
   * DISPLAY_MAX_POINTS}.
   */
  readonly maxPoints?: number;
  /** Plot width in px, or 'container' to follow the webview. Default 640. */
  readonly width?: number | 'container';
}

/**
 * Pattern spec. The difference curve is shifted so that its maximum sits 5 % of the intensity range
 * below the lowest
 * observed or calculated value; tick rows per phase sit below it, one row per phase, coloured like
 * a series.
 */
export function patternSpec(input: PatternSpecInput): VegaLiteSpec {
  const { x, observed } = input;
  const n = x.length;
  if (observed.length !== n) throw new RangeError('patternSpec: x and observed differ in length');
  const calc = input.calculated;
  if (calc && calc.length !== n) throw new RangeError('patternSpec: calculated differs in length');
  let diff = input.difference;
  if (!diff && calc) {
    diff = new Float64Array(n);
    for (let i = 0; i < n; i++) diff[i] = observed[i] - calc[i];
  }
  const curves = [observed, ...(calc ? [calc] : []), ...(diff ? [diff] : [])];
  const keep = minMaxDecimate(curves, input.maxPoints ?? DISPLAY_MAX_POINTS);

  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const y of calc ? [observed, calc] : [observed]) {
    for (const v of y) {
      if (v < lowest) lowest = v;
      if (v > highest) highest = v;
    }
  }
  const range = highest > lowest ? highest - lowest : 1;
  let diffMax = Number.NEGATIVE_INFINITY;
  let diffMin = Number.POSITIVE_INFINITY;
  if (diff) {
    for (const v of diff) {
      if (v > diffMax) diffMax = v;
      if (v < diffMin) diffMin = v;
    }
  }
  const diffOffset = diff ? lowest - 0.05 * range - diffMax : 0;
  const tickTop = diff ? diffMin + diffOffset - 0.04 * range : lowest - 0.05 * range;
  const tickStep = 0.05 * range;

  const xTitle = AXIS_TITLE[input.axis];
  const yTitle = intensityTitle(input.intensityKind);
  const values = Array.from(keep, (i) => ({
    x: x[i],
    obs: finiteOrNull(observed[i]),
    obsText: formatWithSigma(observed[i], input.sigma?.[i]),
    ...(calc ? { calc: finiteOrNull(calc[i]), calcText: formatWithSigma(calc[i]) } : {}),
    ...(diff ? { diffShifted: finiteOrNull(diff[i] + diffOffset), diffText: formatWithSigma(diff[i]) } : {}),
  }));
  const xEnc = { field: 'x', type: 'quantitative', title: xTitle, scale: { zero: false } };
  const yEnc = (field: string) => ({ field, type: 'quantitative', title: yTitle, scale: { zero: false } });
  const tooltip = [
    { field: 'x', type: 'quantitative', title: xTitle, format: '.4f' },
    { field: 'obsText', type: 'nominal', title: 'Observed' },
    ...(calc ? [{ field: 'calcText', type: 'nominal', title: 'Calculated' }] : []),
    ...(diff ? [{ field: 'diffText', type: 'nominal', title: 'Obs − calc' }] : []),
  ];
  // One legend for the three curves: the point layer draws it, the line layers share its scale
  // without their own.
  const curveColor = (label: string) => ({
    datum: label,
    type: 'nominal',
    title: 'Curve',
    ...(label === 'Observed' ? {} : { legend: null }),
    scale: { domain: ['Observed', ...(calc ? ['Calculated'] : []), ...(diff ? ['Difference'] : [])] },
  });
  const layers: Record<string, unknown>[] = [
    {
      params: [zoomParam('zoom')],
      mark: { type: 'point', filled: true, size: 8, clip: true },
      encoding: { x: xEnc, y: yEnc('obs'), color: curveColor('Observed'), tooltip },
    },
  ];
  if (calc) {
    layers.push({
      mark: { type: 'line', strokeWidth: 1.2, clip: true },
      // The observed points carry the tooltip (obs, calc, diff at that x): a line answers with its first point.
      encoding: { x: xEnc, y: yEnc('calc'), color: curveColor('Calculated') },
    });
  }
  if (diff) {
    layers.push({
      mark: { type: 'line', strokeWidth: 1, clip: true },
      encoding: { x: xEnc, y: yEnc('diffShifted'), color: curveColor('Difference') },
    });
  }
  const ticks: Record<string, unknown>[] = [];
  (input.reflections ?? []).forEach((r, k) => {
    const y = tickTop - k * tickStep;
    r.positions.forEach((p, j) => {
      if (Number.isFinite(p)) ticks.push({ x: p, y, phase: r.phase, hkl: r.hkl?.[j] ?? '' });
    });
  });
  if (ticks.length) {
    layers.push({
      data: { values: ticks },
      mark: { type: 'tick', orient: 'vertical', thickness: 1, size: 10, clip: true },
      encoding: {
        x: { ...xEnc },
        y: { field: 'y', type: 'quantitative', title: yTitle },
        color: { field: 'phase', type: 'nominal', title: 'Phase', scale: { scheme: 'set1', domain: (input.reflections ?? []).map((r) => r.phase) } },
        tooltip: [
          { field: 'phase', type: 'nominal', title: 'Phase' },
          { field: 'hkl', type: 'nominal', title: 'hkl' },
          { field: 'x', type: 'quantitative', title: xTitle, format: '.4f' },
        ],
      },
    });
  }
  return topLevel(
    {
      width: input.width ?? 640,
      height: 360,
      data: { values },
      layer: layers,
      resolve: { scale: { color: 'independent' } },
    },
    input.title,
  );
}
