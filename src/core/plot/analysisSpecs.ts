/**
 * Views of the unified-picture analyses (reference paper §3.4–3.6, science.md §7): derivatives with
 * the
 * characteristic contents, eqn (1) strain curves, and the strain master curve with the zone below
 * c* shaded.
 */
import { errorBarPanel } from './latticeSpec.ts';
import { markerLayersFor, type CharacteristicMarker } from './markers.ts';
import {
  AXIS_TITLE,
  NEUTRAL_COLOR,
  finiteOrNull,
  formatWithSigma,
  topLevel,
  zoomParam,
  type VegaLiteSpec,
} from './spec.ts';

/** One series of a quantity and its derivative with respect to c_Li. */
export interface DerivativeSeries {
  readonly name: string;
  readonly cLi: Float64Array;
  /** Smoothed value (Å). */
  readonly value: Float64Array;
  /** d(value)/dc_Li (Å per unit c_Li). */
  readonly derivative: Float64Array;
  readonly valueSigma?: Float64Array;
  readonly derivativeSigma?: Float64Array;
}

const QUANTITY_TITLE = { a: AXIS_TITLE.a, c: AXIS_TITLE.c, d_TM: AXIS_TITLE.dTM, d_IL: AXIS_TITLE.dIL } as const;

/**
 * Value and derivative of d_TM, d_IL, a or c against c_Li, one above the other, with characteristic
 * contents.
 */
export function derivativeSpec(input: {
  readonly quantity: keyof typeof QUANTITY_TITLE;
  readonly series: readonly DerivativeSeries[];
  readonly markers?: readonly CharacteristicMarker[];
  readonly title?: string;
  readonly width?: number;
}): VegaLiteSpec {
  const symbol = input.quantity;
  const unitTitle = QUANTITY_TITLE[symbol];
  const dTitle = `d(${symbol})/dc_Li (Å)`;
  const rows = (pick: (s: DerivativeSeries) => [Float64Array, Float64Array | undefined]) => {
    const out: Record<string, unknown>[] = [];
    for (const s of input.series) {
      const [v, sig] = pick(s);
      for (let i = 0; i < s.cLi.length; i++) {
        if (!Number.isFinite(v[i]) || !Number.isFinite(s.cLi[i])) continue;
        const e = sig && Number.isFinite(sig[i]) ? sig[i] : 0;
        out.push({ series: s.name, cLi: s.cLi[i], v: v[i], lo: v[i] - e, hi: v[i] + e, text: formatWithSigma(v[i], sig?.[i]), file: '' });
      }
    }
    return out;
  };
  const width = input.width ?? 480;
  const panel = (values: Record<string, unknown>[], title: string, zoom: string) => {
    const p = errorBarPanel(values, title, zoom, width);
    return { ...p, layer: [...markerLayersFor(input.markers), ...(p.layer as unknown[])] };
  };
  return topLevel(
    {
      vconcat: [
        panel(rows((s) => [s.value, s.valueSigma]), unitTitle, 'zoom_value'),
        panel(rows((s) => [s.derivative, s.derivativeSigma]), dTitle, 'zoom_derivative'),
      ],
    },
    input.title,
  );
}

/** eqn (1) strain curves: ε^a and ε^c against c_Li for several Δc_Li (science.md §7). */
export function strainCurvesSpec(input: {
  readonly cLi: Float64Array;
  readonly curves: readonly { readonly deltaCLi: number; readonly epsA?: Float64Array; readonly epsC?: Float64Array }[];
  readonly title?: string;
  readonly width?: number;
}): VegaLiteSpec {
  const panel = (which: 'epsA' | 'epsC', title: string) => {
    const values: Record<string, unknown>[] = [];
    for (const c of input.curves) {
      const e = c[which];
      if (!e) continue;
      for (let i = 0; i < input.cLi.length; i++) {
        if (!Number.isFinite(e[i])) continue;
        values.push({ cLi: input.cLi[i], eps: e[i], delta: `Δc_Li = ${c.deltaCLi}`, text: formatWithSigma(e[i]) });
      }
    }
    return {
      width: input.width ?? 320,
      height: 240,
      data: { values },
      params: [zoomParam(`zoom_${which}`)],
      // A line answers a hover with its first point: transparent points give each point its own tooltip.
      mark: { type: 'line', clip: true, point: 'transparent' },
      encoding: {
        x: { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi, scale: { zero: false } },
        y: { field: 'eps', type: 'quantitative', title },
        color: { field: 'delta', type: 'nominal', title: 'Δc_Li' },
        tooltip: [
          { field: 'delta', type: 'nominal', title: 'Δc_Li' },
          { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi, format: '.4f' },
          { field: 'text', type: 'nominal', title },
        ],
      },
    };
  };
  const panels = [];
  if (input.curves.some((c) => c.epsA)) panels.push(panel('epsA', AXIS_TITLE.strainA));
  if (input.curves.some((c) => c.epsC)) panels.push(panel('epsC', AXIS_TITLE.strainC));
  return topLevel({ hconcat: panels }, input.title);
}

/**
 * Master-curve fit: ε = ε₀ for c_Li ≥ c*, ε₀ + A(exp((c* − c_Li)/λ) − 1) below (science.md §7, Fig.
 * 7).
 */
export interface MasterCurveFit {
  readonly eps0: number;
  readonly A: number;
  readonly lambda: number;
  readonly cStar: number;
  readonly cStarSigma?: number;
}

/** The master-curve function at one c_Li. */
export function masterCurveValue(fit: MasterCurveFit, cLi: number): number {
  return cLi >= fit.cStar ? fit.eps0 : fit.eps0 + fit.A * (Math.exp((fit.cStar - cLi) / fit.lambda) - 1);
}

/**
 * Refined ε₀₀₁ of one or several series against c_Li (error bars from σ), the fitted master curve,
 * and the zone below
 * c* shaded (crack nucleation likely; the safe window is above), with σ(c*) as a band.
 */
export function masterCurveSpec(input: {
  readonly series: readonly { readonly name: string; readonly cLi: Float64Array; readonly strain: Float64Array; readonly strainSigma?: Float64Array }[];
  readonly fit?: MasterCurveFit;
  readonly title?: string;
  readonly width?: number;
  /** Samples of the fitted curve. Default 200. */
  readonly samples?: number;
}): VegaLiteSpec {
  const points: Record<string, unknown>[] = [];
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of input.series) {
    for (let i = 0; i < s.cLi.length; i++) {
      if (!Number.isFinite(s.cLi[i]) || !Number.isFinite(s.strain[i])) continue;
      const e = s.strainSigma && Number.isFinite(s.strainSigma[i]) ? s.strainSigma[i] : 0;
      lo = Math.min(lo, s.cLi[i]);
      hi = Math.max(hi, s.cLi[i]);
      points.push({
        series: s.name,
        cLi: s.cLi[i],
        v: s.strain[i],
        lo: s.strain[i] - e,
        hi: s.strain[i] + e,
        text: formatWithSigma(s.strain[i], s.strainSigma?.[i]),
        file: '',
      });
    }
  }
  const base = errorBarPanel(points, AXIS_TITLE.strain001, 'zoom', input.width ?? 520);
  const layers: unknown[] = [];
  const fit = input.fit;
  if (fit && Number.isFinite(fit.cStar)) {
    const from = Math.min(lo, fit.cStar);
    const to = Math.max(hi, fit.cStar);
    const x = { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi };
    layers.push(
      {
        data: { values: [{ x0: from, x1: fit.cStar, label: `c_Li < c* = ${formatWithSigma(fit.cStar, fit.cStarSigma)}` }] },
        mark: { type: 'rect', opacity: 0.12, color: NEUTRAL_COLOR },
        encoding: {
          x: { field: 'x0', type: 'quantitative', title: AXIS_TITLE.cLi },
          x2: { field: 'x1' },
          tooltip: [{ field: 'label', type: 'nominal', title: 'Zone' }],
        },
      },
      ...markerLayersFor([{ label: 'c*', cLi: fit.cStar, sigma: fit.cStarSigma, status: 'interior' }]),
    );
    const n = input.samples ?? 200;
    const curve = Array.from({ length: n }, (_, k) => {
      const c = from + ((to - from) * k) / Math.max(1, n - 1);
      return { cLi: c, eps: finiteOrNull(masterCurveValue(fit, c)) };
    });
    layers.push({
      data: { values: curve },
      mark: { type: 'line', color: NEUTRAL_COLOR, strokeWidth: 2, clip: true, point: 'transparent' },
      encoding: {
        x,
        y: { field: 'eps', type: 'quantitative', title: AXIS_TITLE.strain001 },
        tooltip: [
          { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi, format: '.4f' },
          { field: 'eps', type: 'quantitative', title: `${AXIS_TITLE.strain001} (fit)`, format: '.3~e' },
        ],
      },
    });
  }
  return topLevel({ ...base, layer: [...layers, ...(base.layer as unknown[])] }, input.title);
}
