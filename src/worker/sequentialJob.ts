/**
 * Worker-side state of a sequential refinement: the scans this worker has read and the full results of the patterns
 * it fitted, so that a seed ("start from pattern i − 1") never crosses a thread boundary as a large object.
 *
 * Speculation: the driver names the pattern it will most likely ask for next (`NextHint`: the following pattern of
 * the same chunk and branch, seeded from this one). Between a reply and that request the worker would only wait for
 * the round trip through the driver (~0.6 ms a pattern measured, more when the driver's thread competes for a core),
 * so it fits the hinted pattern at once and answers the request from that fit when the request is exactly the one
 * hinted and the seeding result is still the one the fit started from. A speculative fit is computed as the request
 * would be, so the numbers are the same either way; any other request discards it.
 */
import type { Scan } from '../core/data/scan.ts';
import { extrapolatedSeed, type LeBailResult } from '../core/diffraction/leBail.ts';
import type { Phase } from '../core/diffraction/phases.ts';
import { fitPattern, quickEstimate, summarize, type FitSummary, type ModelSpec } from './refine.ts';

/** What the driver sends as a seed: estimated start cells, or the index of a pattern this worker fitted. */
export type WireSeed =
  | { readonly kind: 'estimate'; readonly phases: Phase[] }
  | { readonly kind: 'previous'; readonly fromIndex: number; readonly phases: Phase[] };

/** The request the driver expects to send next: pattern `index` (file `file`) seeded from the one just fitted. */
export interface NextHint {
  readonly file: string;
  readonly index: number;
}

interface Speculation {
  readonly file: string;
  readonly index: number;
  readonly fromIndex: number;
  /** The result the fit was seeded from: a restart of that pattern replaces it and voids the speculation. */
  readonly seedResult: LeBailResult;
  /** Undefined until the fit ran (or when it threw: the request then fits again and reports the error). */
  outcome?: { readonly result: LeBailResult; readonly summary: FitSummary };
}

export class SequentialJob {
  private readonly model: ModelSpec;
  private readonly readScan: (file: string) => Scan;
  private readonly results = new Map<number, LeBailResult>();
  /** The pattern each result was seeded from (its link in the chain), to find the result before the previous one. */
  private readonly seededFrom = new Map<number, number>();
  private speculation: Speculation | undefined;
  /** Requests answered from a speculative fit, and speculative fits thrown away (what the tests check). */
  readonly speculationCounts = { used: 0, discarded: 0 };

  constructor(model: ModelSpec, readScan: (file: string) => Scan) {
    this.model = model;
    this.readScan = readScan;
  }

  estimate(file: string): Phase[] {
    this.drop();
    return quickEstimate(this.readScan(file), this.model);
  }

  fit(file: string, index: number, seed: WireSeed, next?: NextHint): FitSummary {
    const ready = this.take(file, index, seed);
    const { result, summary } = ready ?? this.compute(file, seed);
    this.commit(index, seed.kind === 'previous' ? seed.fromIndex : undefined, result);
    this.speculation = next ? { file: next.file, index: next.index, fromIndex: index, seedResult: result } : undefined;
    return summary;
  }

  /** Whether a hinted fit waits to be run (call {@link speculate} when the worker is otherwise idle). */
  get hasSpeculation(): boolean {
    return this.speculation !== undefined && this.speculation.outcome === undefined;
  }

  /** Runs the hinted fit, if any. A failure is not kept: the request, if it comes, fits again and reports it. */
  speculate(): void {
    const s = this.speculation;
    if (!s || s.outcome) return;
    try {
      s.outcome = this.compute(s.file, { kind: 'previous', fromIndex: s.fromIndex, phases: [] });
    } catch {
      this.speculation = undefined;
    }
  }

  /** The speculative fit when it answers exactly this request; otherwise it is discarded. */
  private take(file: string, index: number, seed: WireSeed): Speculation['outcome'] {
    const s = this.speculation;
    this.speculation = undefined;
    if (!s?.outcome) return undefined;
    const same =
      s.file === file && s.index === index && seed.kind === 'previous' && seed.fromIndex === s.fromIndex && this.results.get(s.fromIndex) === s.seedResult;
    if (same) this.speculationCounts.used++;
    else this.speculationCounts.discarded++;
    return same ? s.outcome : undefined;
  }

  private drop(): void {
    if (this.speculation?.outcome) this.speculationCounts.discarded++;
    this.speculation = undefined;
  }

  private compute(file: string, seed: WireSeed): { result: LeBailResult; summary: FitSummary } {
    const scan = this.readScan(file);
    // The full previous result seeds everything (cell, profile, intensities); a cached one only its cells.
    const previous = seed.kind === 'previous' ? this.results.get(seed.fromIndex) : undefined;
    const linkBefore = seed.kind === 'previous' ? this.seededFrom.get(seed.fromIndex) : undefined;
    const before = linkBefore === undefined ? undefined : this.results.get(linkBefore);
    const warmSeed = previous && before ? extrapolatedSeed(previous, before) : previous;
    // Without the full result: cells from the quick estimate or from a cached neighbour, both close to this pattern's.
    const result = warmSeed ? fitPattern(scan, this.model, { seed: warmSeed }) : fitPattern(scan, this.model, { directStart: true }, seed.phases);
    return { result, summary: summarize(result) };
  }

  private commit(index: number, fromIndex: number | undefined, result: LeBailResult): void {
    this.results.set(index, result);
    if (fromIndex !== undefined) this.seededFrom.set(index, fromIndex);
    else this.seededFrom.delete(index);
    // Only the newest results can seed: drop the rest so a long series does not hold every calculated pattern.
    for (const k of this.results.keys()) if (k < index - 2) this.results.delete(k);
    for (const k of this.seededFrom.keys()) if (k < index - 2) this.seededFrom.delete(k);
  }
}
