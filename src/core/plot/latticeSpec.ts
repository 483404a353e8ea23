/**
 * Lattice parameters against c_Li: a, c, d_TM, d_IL in panels, several series coloured, error bars
 * from σ.
 */
import { AXIS_TITLE, formatWithSigma, topLevel, zoomParam, type VegaLiteSpec } from './spec.ts';
import { untrustedFit } from '../analysis/analyzeResults.ts';

/** Quantities a lattice chart can show. */
export const LatticeQuantity = { a: 'a', c: 'c', d_TM: 'd_TM', d_IL: 'd_IL' } as const;
export type LatticeQuantity = keyof typeof LatticeQuantity;

const TITLE: Record<LatticeQuantity, string> = {
  a: AXIS_TITLE.a,
  c: AXIS_TITLE.c,
  d_TM: AXIS_TITLE.dTM,
  d_IL: AXIS_TITLE.dIL,
};

/** One series (a material, C-rate or branch): c_Li and each quantity with its σ, in Å. */
export interface LatticeSeries {
  readonly name: string;
  readonly cLi: Float64Array;
  readonly values: Partial<Record<LatticeQuantity, Float64Array>>;
  readonly sigmas?: Partial<Record<LatticeQuantity, Float64Array>>;
  readonly files?: readonly string[];
}

/** Input of {@link latticeSpec}. */
export interface LatticeSpecInput {
  readonly series: readonly LatticeSeries[];
  /** Panels, in order; default a, c, d_TM, d_IL (those no series has are left out). */
  readonly quantities?: readonly LatticeQuantity[];
  readonly columns?: number;
  readonly title?: string;
  readonly panelWidth?: number;
}

/**
 * Points with ±σ error bars, one panel per quantity, shared c_Li axis title, zoom and pan in every
 * panel.
 */
export function latticeSpec(input: LatticeSpecInput): VegaLiteSpec {
  const wanted = input.quantities ?? (['a', 'c', 'd_TM', 'd_IL'] as const);
  const quantities = wanted.filter((q) => input.series.some((s) => s.values[q] !== undefined));
  const panels = quantities.map((q) => {
    const values: Record<string, unknown>[] = [];
    for (const s of input.series) {
      const v = s.values[q];
      if (!v) continue;
      const sig = s.sigmas?.[q];
      for (let i = 0; i < s.cLi.length; i++) {
        if (!Number.isFinite(v[i]) || !Number.isFinite(s.cLi[i])) continue;
        const e = sig && Number.isFinite(sig[i]) ? sig[i] : 0;
        values.push({
          series: s.name,
          cLi: s.cLi[i],
          v: v[i],
          lo: v[i] - e,
          hi: v[i] + e,
          text: formatWithSigma(v[i], sig?.[i]),
          file: s.files?.[i] ?? '',
        });
      }
    }
    return errorBarPanel(values, TITLE[q], `zoom_${q}`, input.panelWidth ?? 300);
  });
  return topLevel({ columns: input.columns ?? 2, concat: panels }, input.title);
}

/** A points-with-error-bars panel over c_Li (fields: series, cLi, v, lo, hi, text, file). */
export function errorBarPanel(
  values: readonly Record<string, unknown>[],
  yTitle: string,
  zoomName: string,
  width: number,
): Record<string, unknown> {
  const x = { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi, scale: { zero: false } };
  const color = { field: 'series', type: 'nominal', title: 'Series' };
  return {
    width,
    height: 220,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', clip: true },
        encoding: {
          x,
          y: { field: 'lo', type: 'quantitative', title: yTitle, scale: { zero: false } },
          y2: { field: 'hi' },
          color,
        },
      },
      {
        params: [zoomParam(zoomName)],
        mark: { type: 'point', filled: true, size: 24, clip: true },
        encoding: {
          x,
          y: { field: 'v', type: 'quantitative', title: yTitle, scale: { zero: false } },
          color,
          shape: { field: 'series', type: 'nominal', title: 'Series' },
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Series' },
            { field: 'file', type: 'nominal', title: 'File' },
            { field: 'cLi', type: 'quantitative', title: AXIS_TITLE.cLi, format: '.4f' },
            { field: 'text', type: 'nominal', title: yTitle },
          ],
        },
      },
    ],
  };
}

/**
 * Lattice series from results-table rows (numbers or CSV text): columns c_Li, a, a_sigma, c,
 * c_sigma, d_TM,
 * d_TM_sigma, d_IL, d_IL_sigma and file. With `splitBranches`, one series per cycle and branch
 * ('name c1 charge').
 */
export function latticeSeriesFromRows(
  rows: readonly Readonly<Record<string, unknown>>[],
  name: string,
  splitBranches: boolean = true,
): LatticeSeries[] {
  const groups = new Map<string, Readonly<Record<string, unknown>>[]>();
  for (const r of rows) {
    // Fits that ran away (left out of the analysis) stay visible, as a series of their own.
    const base = splitBranches && r.branch ? `${name} c${r.cycle ?? ''} ${r.branch}` : name;
    const key = untrustedFit(r.flags) ? `${base} (fit ran away)` : base;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const num = (v: unknown): number => (v === '' || v === undefined || v === null ? Number.NaN : Number(v));
  return [...groups].map(([key, g]) => {
    const col = (c: string): Float64Array => Float64Array.from(g, (r) => num(r[c]));
    const values: Partial<Record<LatticeQuantity, Float64Array>> = {};
    const sigmas: Partial<Record<LatticeQuantity, Float64Array>> = {};
    for (const q of Object.keys(LatticeQuantity) as LatticeQuantity[]) {
      if (g.some((r) => Number.isFinite(num(r[q])))) {
        values[q] = col(q);
        sigmas[q] = col(`${q}_sigma`);
      }
    }
    return { name: key, cLi: col('c_Li'), values, sigmas, files: g.map((r) => String(r.file ?? '')) };
  });
}

