/**
 * Sequential refinement driver (issue 5), pure: fitting and parallelism are injected.
 *
 *   patterns ─ split into `chunks` contiguous runs (one per worker) ─ per run, in order:
 *     seed = previous result in the same branch, else a quick peak-based estimate
 *     ─ cache lookup (content hash + model + instrument + seed chain) ─ fit
 *     ─ divergence check (Rwp jump, parameter at a bound, not converged)
 *     ─ restart from the quick estimate and flag
 */
import { fnv1a64 } from './hash.ts';

/**
 * What the driver reads from one phase of a fit result (the diffraction engine's phases satisfy
 * it).
 */
export interface PhaseLike {
  readonly name: string;
  readonly a?: number;
  readonly aSigma?: number;
  readonly b?: number;
  readonly bSigma?: number;
  readonly c?: number;
  readonly cSigma?: number;
  /** Monoclinic angle in degrees. */
  readonly beta?: number;
  readonly betaSigma?: number;
  /** Anisotropic strain along [001] (science.md §4), dimensionless FWHM of Δd/d. */
  readonly strain?: { readonly e001?: number; readonly e001Sigma?: number };
  /** Crystallite size (Scherrer, K = 1 unless the fit says otherwise) in nm, when one was refined. */
  readonly size?: { readonly lengthNm?: number; readonly lengthNmSigma?: number };
  readonly fwhm003Deg?: number;
  /** Scale factor (relative unless the fit is Rietveld). */
  readonly scale?: number;
  readonly scaleSigma?: number;
  /** Formula units per cell when known (3 for R-3m hexagonal, 2 for C2/m). */
  readonly z?: number;
  /**
   * Weight fraction (0–1) from Rietveld scales (Hill & Howard, science.md §5); absent for Le Bail /
   * Pawley.
   */
  readonly weightFraction?: number;
  readonly weightFractionSigma?: number;
  /**
   * Whether the phase was found in this pattern (for multi-phase series such as H1 → M → H2 → H3).
   */
  readonly present?: boolean;
  /** Layered LiMO2-like phase (gets d_TM, d_IL); inferred from the cell when absent. */
  readonly layered?: boolean;
}

/** What the driver reads from a fit result. */
export interface FitLike {
  readonly phases: readonly PhaseLike[];
  /** Weighted-profile R factor (fraction or %; only ratios are used). */
  readonly Rwp: number;
  readonly chi2red?: number;
  readonly gof?: number;
  readonly stopReason?: string;
  /** When absent, a stop reason starting with 'converged' means converged. */
  readonly converged?: boolean;
  /** Names of parameters that ended on a bound. */
  readonly atBounds?: readonly string[];
  /** Flat-detector distance error ΔD/D and σ, when refined against an internal standard. */
  readonly detectorDistanceRelative?: number;
  readonly detectorDistanceRelativeSigma?: number;
}

/**
 * Where a fit starts: a quick peak-based estimate, or the result of an earlier pattern in the same
 * branch.
 */
export type Seed<S, R> =
  | { readonly kind: 'estimate'; readonly estimate: S; readonly reason: 'chunk-start' | 'branch-start' | 'restart' }
  | { readonly kind: 'previous'; readonly previous: R; readonly fromIndex: number };

/** Progress after each finished pattern. `etaS` is NaN until one pattern has finished. */
export interface SequentialProgress {
  readonly done: number;
  readonly total: number;
  readonly etaS: number;
}

/** A store for finished fits by key (an in-memory Map, a file cache in the host, …). */
export interface SequentialCache<R> {
  get(key: string): SequentialEntry<R> | undefined | Promise<SequentialEntry<R> | undefined>;
  set(key: string, entry: SequentialEntry<R>): void | Promise<void>;
}

/** Defaults of {@link runSequential}, in one place. */
export const SEQUENTIAL_DEFAULTS = {
  chunks: 1,
  /**
   * A fit diverged when its Rwp exceeds this factor times the Rwp of the pattern it was seeded
   * from.
   */
  rwpJumpFactor: 1.5,
} as const;

/** Options of {@link runSequential}. */
export interface SequentialOptions<P, S, R extends FitLike> {
  readonly fit: (pattern: P, seed: Seed<S, R>, index: number) => Promise<R>;
  readonly quickEstimate: (pattern: P, index: number) => Promise<S>;
  /**
   * Number of contiguous chunks run concurrently (one per worker); each starts from a quick
   * estimate.
   */
  readonly chunks?: number;
  /**
   * Branch key of a pattern (e.g. `${cycle}:${branch}`); seeding never crosses branches. Default:
   * one branch.
   */
  readonly branchOf?: (pattern: P, index: number) => string;
  readonly onProgress?: (progress: SequentialProgress) => void;
  /** Polled before each fit; when true, no new fit starts and finished results are kept. */
  readonly isCancelled?: () => boolean;
  readonly rwpJumpFactor?: number;
  /** Cache and what identifies a pattern's fit besides its seed chain. */
  readonly cache?: SequentialCache<R>;
  readonly identity?: {
    /** Content hash of the pattern's bytes, e.g. {@link fnv1a64} of the file. */
    readonly contentHash: (pattern: P, index: number) => string;
    /** Canonical text of the model (phases, refined parameters, ranges). */
    readonly model: string;
    /** Canonical text of the instrument parameters. */
    readonly instrument: string;
  };
  /** Clock in ms, for the ETA. Default Date.now. */
  readonly now?: () => number;
}

/** Flags the driver sets on a pattern. */
export const SequentialFlag = {
  rwpJump: 'rwp-jump',
  atBound: 'at-bound',
  notConverged: 'not-converged',
  restarted: 'restarted',
  unresolved: 'unresolved',
  error: 'error',
} as const;
export type SequentialFlag = (typeof SequentialFlag)[keyof typeof SequentialFlag];

/** One finished pattern. */
export interface SequentialEntry<R> {
  readonly index: number;
  /** The fit kept (after a restart, the better of the two by Rwp); undefined when the fit threw. */
  readonly result: R | undefined;
  readonly error?: string;
  /** How the kept fit was seeded. */
  readonly seed: 'previous' | 'estimate';
  /** Index of the pattern whose result seeded this one (previous seeding). */
  readonly seededFrom?: number;
  readonly flags: readonly SequentialFlag[];
  /** Cache key (when an identity is given). */
  readonly key?: string;
  readonly fromCache: boolean;
}

/**
 * Why patterns could not be fitted, one line per distinct reason (`series_007.xy: …`, or `4 patterns (a … d): …` for
 * several alike): the results table holds only the flag 'error'.
 */
export function failureLines(entries: readonly (SequentialEntry<unknown> | undefined)[], names: readonly string[]): string[] {
  const byReason = new Map<string, string[]>();
  entries.forEach((e, i) => {
    if (e?.error !== undefined) byReason.set(e.error, [...(byReason.get(e.error) ?? []), names[i]]);
  });
  return [...byReason].map(([reason, n]) => `${n.length === 1 ? n[0] : `${n.length} patterns (${n[0]} … ${n[n.length - 1]})`}: ${reason}`);
}

/** The series: one entry per pattern (undefined where cancelled before it ran). */
export interface SequentialResult<R> {
  readonly entries: readonly (SequentialEntry<R> | undefined)[];
  readonly cancelled: boolean;
  readonly done: number;
}

/**
 * Contiguous chunk boundaries [start, end) for `count` patterns over `chunks` runs, sizes differing
 * by at most 1.
 */
export function chunkRanges(count: number, chunks: number): [number, number][] {
  if (!(Number.isInteger(chunks) && chunks >= 1)) throw new RangeError(`chunks must be a positive integer, got ${chunks}`);
  const k = Math.min(chunks, Math.max(1, count));
  const out: [number, number][] = [];
  for (let c = 0; c < k; c++) out.push([Math.floor((c * count) / k), Math.floor(((c + 1) * count) / k)]);
  return out.filter(([a, b]) => b > a);
}

/**
 * Cache key of one fit: FNV-1a 64 of the content hash, model, instrument and seed link (the
 * previous pattern's key, or
 * the estimate's place in the chunking), so a change anywhere upstream in the chain changes every
 * key downstream.
 */
export function sequentialCacheKey(parts: {
  readonly contentHash: string;
  readonly model: string;
  readonly instrument: string;
  readonly seedLink: string;
}): string {
  // Lengths prefix each part so that no two different tuples concatenate to the same text.
  const field = (s: string): string => `${s.length}:${s}`;
  return fnv1a64(
    [field(parts.contentHash), field(parts.model), field(parts.instrument), field(parts.seedLink)].join('|'),
  );
}

/** Why a result counts as diverged (empty when it does not). */
export function divergenceReasons(result: FitLike, previousRwp: number | undefined, rwpJumpFactor: number): SequentialFlag[] {
  const out: SequentialFlag[] = [];
  if (previousRwp !== undefined && !(result.Rwp <= rwpJumpFactor * previousRwp)) out.push(SequentialFlag.rwpJump);
  if (result.atBounds && result.atBounds.length > 0) out.push(SequentialFlag.atBound);
  const converged = result.converged ?? (result.stopReason === undefined || result.stopReason.startsWith('converged'));
  if (!converged) out.push(SequentialFlag.notConverged);
  return out;
}

/**
 * Runs a sequential refinement. Chunks run concurrently (the injected `fit` decides where: worker
 * threads, a pool);
 * inside a chunk, patterns run in order, each seeded from the previous result of its branch. A
 * diverged fit restarts
 * from the quick estimate and is flagged. Cancelling keeps every finished result.
 */
export async function runSequential<P, S, R extends FitLike>(
  patterns: readonly P[],
  options: SequentialOptions<P, S, R>,
): Promise<SequentialResult<R>> {
  const total = patterns.length;
  const chunks = options.chunks ?? SEQUENTIAL_DEFAULTS.chunks;
  const ranges = chunkRanges(total, chunks);
  const jump = options.rwpJumpFactor ?? SEQUENTIAL_DEFAULTS.rwpJumpFactor;
  const now = options.now ?? Date.now;
  const branchOf = options.branchOf ?? (() => '');
  const entries: (SequentialEntry<R> | undefined)[] = new Array(total).fill(undefined);
  const t0 = now();
  let done = 0;
  let cancelled = false;
  const isCancelled = (): boolean => {
    if (!cancelled && options.isCancelled?.()) cancelled = true;
    return cancelled;
  };
  const report = (): void => {
    done++;
    const elapsedS = (now() - t0) / 1000;
    options.onProgress?.({ done, total, etaS: (elapsedS / done) * (total - done) });
  };

  const runChunk = async ([start, end]: [number, number], chunkIndex: number): Promise<void> => {
    let prev: { index: number; result: R; key?: string } | undefined;
    for (let i = start; i < end; i++) {
      if (isCancelled()) return;
      const pattern = patterns[i];
      const sameBranch = prev !== undefined && branchOf(patterns[prev.index], prev.index) === branchOf(pattern, i);
      const chainPrev = sameBranch ? prev : undefined;
      const seedLink = chainPrev
        ? `previous:${chainPrev.key ?? chainPrev.index}`
        : `estimate:${i === start ? 'chunk-start' : 'branch-start'}:chunk ${chunkIndex + 1} of ${ranges.length} [${start},${end})`;
      const key = options.identity
        ? sequentialCacheKey({
            contentHash: options.identity.contentHash(pattern, i),
            model: options.identity.model,
            instrument: options.identity.instrument,
            seedLink,
          })
        : undefined;
      const cached = key !== undefined && options.cache ? await options.cache.get(key) : undefined;
      let entry: SequentialEntry<R>;
      if (cached) {
        entry = { ...cached, index: i, key, fromCache: true };
      } else {
        entry = await fitOne(pattern, i, chainPrev, i === start ? 'chunk-start' : 'branch-start');
        // A fit that failed once the run was cancelled was cut short (its worker ended), not a result of the data.
        if (entry.error !== undefined && isCancelled()) return;
        entry = key !== undefined ? { ...entry, key } : entry;
        if (key !== undefined && options.cache && entry.result) await options.cache.set(key, entry);
      }
      entries[i] = entry;
      report();
      prev = entry.result ? { index: i, result: entry.result, key } : undefined;
    }
  };

  const fitOne = async (
    pattern: P,
    i: number,
    chainPrev: { index: number; result: R } | undefined,
    startReason: 'chunk-start' | 'branch-start',
  ): Promise<SequentialEntry<R>> => {
    try {
      if (!chainPrev) {
        const estimate = await options.quickEstimate(pattern, i);
        const result = await options.fit(pattern, { kind: 'estimate', estimate, reason: startReason }, i);
        const flags = divergenceReasons(result, undefined, jump);
        return { index: i, result, seed: 'estimate', flags, fromCache: false };
      }
      const seed: Seed<S, R> = { kind: 'previous', previous: chainPrev.result, fromIndex: chainPrev.index };
      const first = await options.fit(pattern, seed, i);
      const reasons = divergenceReasons(first, chainPrev.result.Rwp, jump);
      if (reasons.length === 0) {
        return { index: i, result: first, seed: 'previous', seededFrom: chainPrev.index, flags: [], fromCache: false };
      }
      if (isCancelled()) {
        return { index: i, result: first, seed: 'previous', seededFrom: chainPrev.index, flags: reasons, fromCache: false };
      }
      const estimate = await options.quickEstimate(pattern, i);
      const second = await options.fit(pattern, { kind: 'estimate', estimate, reason: 'restart' }, i);
      const after = divergenceReasons(second, chainPrev.result.Rwp, jump);
      const keepSecond = !(second.Rwp > first.Rwp);
      const flags: SequentialFlag[] = [...reasons, SequentialFlag.restarted];
      if ((keepSecond ? after : reasons).length > 0) flags.push(SequentialFlag.unresolved);
      return keepSecond
        ? { index: i, result: second, seed: 'estimate', flags, fromCache: false }
        : { index: i, result: first, seed: 'previous', seededFrom: chainPrev.index, flags, fromCache: false };
    } catch (e) {
      return {
        index: i,
        result: undefined,
        error: e instanceof Error ? e.message : String(e),
        seed: chainPrev ? 'previous' : 'estimate',
        flags: [SequentialFlag.error],
        fromCache: false,
      };
    }
  };

  await Promise.all(ranges.map((r, c) => runChunk(r, c)));
  return { entries, cancelled, done };
}
