/**
 * Worker-side state of a sequential refinement: the scans this worker has read and the full results of the patterns
 * it fitted, so that a seed ("start from pattern i − 1") never crosses a thread boundary as a large object.
 */
import type { Scan } from '../core/data/scan.ts';
import { extrapolatedSeed, type LeBailResult } from '../core/diffraction/leBail.ts';
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
  /** The pattern each result was seeded from (its link in the chain), to find the result before the previous one. */
  private readonly seededFrom = new Map<number, number>();

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
    const linkBefore = seed.kind === 'previous' ? this.seededFrom.get(seed.fromIndex) : undefined;
    const before = linkBefore === undefined ? undefined : this.results.get(linkBefore);
    const warmSeed = previous && before ? extrapolatedSeed(previous, before) : previous;
    // Without the full result: cells from the quick estimate or from a cached neighbour, both close to this pattern's.
    const result = warmSeed ? fitPattern(scan, this.model, { seed: warmSeed }) : fitPattern(scan, this.model, { directStart: true }, seed.phases);
    this.results.set(index, result);
    if (seed.kind === 'previous') this.seededFrom.set(index, seed.fromIndex);
    else this.seededFrom.delete(index);
    // Only the newest results can seed: drop the rest so a long series does not hold every calculated pattern.
    for (const k of this.results.keys()) if (k < index - 2) this.results.delete(k);
    for (const k of this.seededFrom.keys()) if (k < index - 2) this.seededFrom.delete(k);
    return summarize(result);
  }
}
