/** The engine part of the cell API: peaks, fits, series, lithium content, analyses and charts. */
import type { CellContext } from './session.ts';
import type { FileAccess } from './nodeFiles.ts';
import type { Scan } from '../core/data/scan.ts';
import { makeChart, type Chart } from './display.ts';
import { patternSpec } from '../core/plot/patternSpec.ts';

/** A scan-like input for plots: a Scan. */
function patternChart(scan: Scan & { file?: string }, options: { title?: string } = {}): Chart {
  const title = options.title ?? scan.file ?? scan.sample;
  return makeChart(patternSpec({ x: scan.x, observed: scan.y, sigma: scan.sigma, axis: scan.axis, intensityKind: scan.intensityKind, title }), title);
}

export function engineApi(ctx: CellContext, files: FileAccess, resolve: (p: string) => string) {
  void ctx;
  void files;
  void resolve;
  return {
    plot: {
      /** Observed pattern (and a fit's calculated and difference curves when given a fit result). */
      pattern: patternChart,
    },
  };
}
