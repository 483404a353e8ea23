/**
 * Worker-side state of a sequential refinement: the scans this worker has read and the full results of the patterns
 * it fitted, so that a seed ("start from pattern i − 1") never crosses a thread boundary as a large object.
 */
import type { Scan } from '../core/data/scan.ts';
import type { LeBailResult } from '../core/diffraction/leBail.ts';
import type { Phase } from '../core/diffraction/phases.ts';
import { fitPattern, quickEstimate, summarize, type FitSummary, type ModelSpec } from './refine.ts';

/** What the driver sends as a seed: estimated start cells, or the index of a pattern this worker fitted. */
export type WireSeed =
  | { readonly kind: 'estimate'; readonly phases: Phase[] }
  | { readonly kind: 'previous'; readonly fromIndex: number; readonly phases: Phase[] };

export class SequentialJob {
  private readonly model: ModelSpec;
  private readonly readScan: (file: string) => Scan;
  private readonly results = new Map<number, LeBailResult>();

  constructor(model: ModelSpec, readScan: (file: string) => Scan) {
    this.model = model;
    this.readScan = readScan;
  }

  estimate(file: string): Phase[] {
    return quickEstimate(this.readScan(file), this.model);
  }

  fit(file: string, index: number, seed: WireSeed): FitSummary {
    const scan = this.readScan(file);
    // The full previous result seeds everything (cell, profile, intensities); a cached one only its cells.
    const previous = seed.kind === 'previous' ? this.results.get(seed.fromIndex) : undefined;
    const result = previous ? fitPattern(scan, this.model, { seed: previous }) : fitPattern(scan, this.model, {}, seed.phases);
    this.results.set(index, result);
    // Only the newest results can seed: drop the rest so a long series does not hold every calculated pattern.
    for (const k of this.results.keys()) if (k < index - 2) this.results.delete(k);
    return summarize(result);
  }
}
