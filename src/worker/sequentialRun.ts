/**
 * Sequential refinement of a series across worker threads (the pure driver is src/core/operando/sequential.ts):
 * contiguous chunks, one per worker, each seeded from a quick peak estimate, every later pattern from the previous
 * one in its branch. Used by the CLI and by the notebook API (where the workers are nested in the kernel's worker;
 * interrupting the kernel ends them too).
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { WorkerClient } from './workerClient.ts';
import type { WorkerPool } from './workerPool.ts';
import { runSequential, chunkRanges, type SequentialCache, type SequentialResult, type Seed, type FitLike, type PhaseLike } from '../core/operando/sequential.ts';
import { parseScanRef } from '../core/operando/scanRef.ts';
import { buildResultsTable, type ResultsTable } from '../core/operando/resultsTable.ts';
import type { AlignedPattern } from '../core/operando/align.ts';
import { exposureMidUnixS, type Exposure } from '../core/operando/seriesTimes.ts';
import type { Phase } from '../core/diffraction/phases.ts';
import { modelPhases, phaseFromSpec, type FitSummary, type ModelSpec } from './refine.ts';
import type { FileAccess } from './nodeFiles.ts';

export interface SequentialRunOptions {
  readonly files: readonly string[];
  readonly model: ModelSpec;
  readonly workers: number;
  /**
   * dist/fitWorker.js (or dist/worker.js); by default the fitting worker beside the running bundle (dist/cli.js or
   * dist/worker.js).
   */
  readonly workerScript?: string;
  readonly branchOf?: (index: number) => string;
  readonly onProgress?: (done: number, total: number, etaS: number) => void;
  readonly isCancelled?: () => boolean;
  /** Results of earlier runs by cache key (content hash, model, instrument, seed chain): a Map or a disk cache. */
  readonly cache?: SequentialCache<FitLike>;
  readonly fileAccess: FileAccess;
  /**
   * Threads to borrow (warm from an earlier run) and give back, instead of starting and ending threads for this run
   * (see workerPool.ts); its script is the fitting worker.
   */
  readonly pool?: WorkerPool;
}

/** The driver's view of a fit summary: monoclinic β only for monoclinic phases, layered and Z as the fit says. */
export function toFitLike(s: FitSummary): FitLike & { readonly summary: FitSummary } {
  const phases: PhaseLike[] = s.phases.map((p) => ({
    name: p.name,
    a: p.a,
    aSigma: p.aSigma,
    b: p.spaceGroup === 'C2/m' ? p.b : undefined,
    bSigma: p.spaceGroup === 'C2/m' ? p.bSigma : undefined,
    c: p.c,
    cSigma: p.cSigma,
    beta: p.spaceGroup === 'C2/m' ? p.beta : undefined,
    betaSigma: p.spaceGroup === 'C2/m' ? p.betaSigma : undefined,
    // A phase without the [001] model (a cubic current collector, an isotropic fit) has no ε₀₀₁: blank, not 0.
    strain: p.strain.model === 'uniaxial001' ? { e001: p.strain.e001, e001Sigma: p.strain.e001Sigma } : { e001: Number.NaN, e001Sigma: Number.NaN },
    ...(p.size && p.size.model !== 'none' ? { size: { lengthNm: p.size.lengthNm, lengthNmSigma: p.size.lengthNmSigma } } : {}),
    fwhm003Deg: p.fwhm003Deg,
    layered: p.layered,
    z: p.z,
  }));
  return {
    phases,
    Rwp: s.Rwp,
    chi2red: s.chi2red,
    gof: s.gof,
    stopReason: s.stopReason,
    converged: s.converged,
    atBounds: s.atBounds,
    ...(s.detectorDistanceRelativeSigma > 0
      ? { detectorDistanceRelative: s.detectorDistanceRelative, detectorDistanceRelativeSigma: s.detectorDistanceRelativeSigma }
      : {}),
    summary: s,
  };
}

/** Start phases from a summary's refined cells. */
function cellsOf(summary: FitSummary, model: ModelSpec): Phase[] {
  const phases = modelPhases(model);
  return summary.phases.map((p, k) => {
    const base = phases[k] ?? phaseFromSpec(p.name);
    // An internal standard keeps its reference cell.
    if (base.fixedCell) return base;
    return { ...base, cell: { a: p.a, b: p.b, c: p.c, alphaDeg: p.alpha, betaDeg: p.beta, gammaDeg: p.gamma } };
  });
}

/** A pattern's cache identity: SHA-256 of its bytes (native, ~15 ms for a 200-pattern series; FNV in JS took 180). */
function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

/** How often a run checks its cancel flag while the workers fit (the cancel goal is 200 ms). */
const CANCEL_POLL_MS = 20;

let jobCounter = 0;

const engineIdentities = new Map<string, string>();
/** Hash of the worker bundle that fits (the code that produced a cached result); native, not FNV in JS (15 ms). */
function engineIdentity(script: string): string {
  let id = engineIdentities.get(script);
  if (!id) {
    try {
      id = contentHash(fs.readFileSync(script));
    } catch {
      id = 'unknown';
    }
    engineIdentities.set(script, id);
  }
  return id;
}

export async function runSequentialRefinement(options: SequentialRunOptions): Promise<SequentialResult<FitLike & { summary: FitSummary }>> {
  const n = options.files.length;
  if (!(Number.isInteger(options.workers) && options.workers >= 1)) throw new RangeError(`workers must be a whole number ≥ 1, got ${options.workers}`);
  const workers = Math.max(1, Math.min(options.workers, n));
  const pool = options.pool;
  if (pool && options.workerScript && path.resolve(options.workerScript) !== path.resolve(pool.script)) {
    throw new RangeError('runSequentialRefinement: workerScript and the pool\'s script differ');
  }
  const script = pool?.script ?? options.workerScript ?? path.join(__dirname, 'fitWorker.js');
  const clients = pool ? pool.acquire(workers) : Array.from({ length: workers }, () => new WorkerClient(script));
  const ranges = chunkRanges(n, workers);
  const workerOf = (i: number) => ranges.findIndex(([from, to]) => i >= from && i < to);
  const jobId = `job-${process.pid}-${++jobCounter}`;
  let ended = false;
  const call = async (w: number, method: string, args: unknown[]) => {
    // An ended client would start a new thread: after a cancel nothing more is sent.
    if (ended) throw new Error('sequential refinement cancelled');
    return (await clients[w].request({ type: 'call', method, args })).result;
  };
  // A fit in a worker cannot poll the caller's flag: on cancel the threads are ended at once (their fits in flight are
  // dropped, the finished ones kept), so a cancel waits for no fit, cold ones included.
  const isCancelled = options.isCancelled;
  const watch = isCancelled
    ? setInterval(() => {
        if (ended || !isCancelled()) return;
        ended = true;
        for (const c of clients) void c.terminate('sequential refinement cancelled');
      }, CANCEL_POLL_MS)
    : undefined;
  try {
    try {
      await Promise.all(clients.map((_, w) => call(w, 'seqBegin', [jobId, options.model])));
    } catch (e) {
      // Cancelled while the threads started: nothing was fitted.
      if (ended) return { entries: new Array(n).fill(undefined), cancelled: true, done: 0 };
      throw e;
    }
    const hashes = new Map<number, string>();
    const fileHashes = new Map<string, string>();
    return await runSequential<string, Phase[], FitLike & { summary: FitSummary }>(options.files, {
      chunks: workers,
      branchOf: options.branchOf ? (_p, i) => options.branchOf!(i) : undefined,
      quickEstimate: async (file, i) => (await call(workerOf(i), 'seqEstimate', [jobId, file])) as Phase[],
      fit: async (file, seed: Seed<Phase[], FitLike & { summary: FitSummary }>, i) => {
        // A previous result normally lives in this chunk's worker; its cells travel along for the case where it came
        // from the cache instead (then the worker starts from those cells).
        const wire =
          seed.kind === 'previous'
            ? { kind: 'previous', fromIndex: seed.fromIndex, phases: cellsOf(seed.previous.summary, options.model) }
            : { kind: 'estimate', phases: seed.estimate };
        // The worker fits the hinted pattern while this reply travels (see sequentialJob.ts): the next one of the chunk
        // and branch, which the driver asks for next unless this fit diverges or the next result is in the cache.
        const j = i + 1;
        const sameChain = j < ranges[workerOf(i)][1] && (!options.branchOf || options.branchOf(j) === options.branchOf(i));
        const next = sameChain ? { file: options.files[j], index: j } : undefined;
        return toFitLike((await call(workerOf(i), 'seqFit', [jobId, file, i, wire, next])) as FitSummary);
      },
      onProgress: options.onProgress ? (p) => options.onProgress!(p.done, p.total, p.etaS) : undefined,
      isCancelled: options.isCancelled,
      cache: options.cache as SequentialCache<FitLike & { summary: FitSummary }> | undefined,
      // Keys are for the cache only: without one, no file is read on this thread to hash it.
      identity: options.cache && {
        contentHash: (file, i) => {
          let h = hashes.get(i);
          if (!h) {
            // `run.nxs#5` is scan 5 of run.nxs: the file's hash (once per file) and the scan index.
            const ref = parseScanRef(file, (f) => options.fileAccess.exists(f));
            let fileHash = fileHashes.get(ref.file);
            if (!fileHash) fileHashes.set(ref.file, (fileHash = contentHash(options.fileAccess.readBytes(ref.file))));
            hashes.set(i, (h = ref.file === file ? fileHash : `${fileHash}#${ref.scan}`));
          }
          return h;
        },
        // The engine's identity is part of the model: results cached by another build are never reused.
        model: JSON.stringify({ ...options.model, instrument: undefined, engine: engineIdentity(script) }),
        instrument: JSON.stringify(options.model.instrument ?? {}),
      },
    });
  } finally {
    clearInterval(watch);
    if (pool && !ended) {
      // The job's state (its read cache and seeds) goes; the warm threads stay for the next run. seqEnd fails only for a
      // thread that ended (release() leaves it out) or a job the thread no longer holds: nothing to report.
      await Promise.all(clients.map((c) => (c.running ? c.request({ type: 'call', method: 'seqEnd', args: [jobId] }).catch(() => undefined) : undefined)));
      pool.release(clients);
    } else {
      await Promise.all(clients.map((c) => c.terminate(ended ? 'sequential refinement cancelled' : 'sequential refinement finished')));
    }
  }
}

/** Patterns with times (or none) but no electrochemistry: c_Li, voltage and current stay NaN. */
export function timedPatterns(files: readonly string[], exposures: readonly (Exposure | undefined)[]): AlignedPattern[] {
  let seriesStart = Number.POSITIVE_INFINITY;
  for (const e of exposures) if (e && e.startUnixS < seriesStart) seriesStart = e.startUnixS;
  return files.map((file, k) => {
    const e = exposures[k];
    const mid = e ? exposureMidUnixS(e) : Number.NaN;
    return {
      file,
      startUnixS: e?.startUnixS ?? Number.NaN,
      endUnixS: e?.endUnixS ?? Number.NaN,
      midUnixS: mid,
      timeS: e ? mid - seriesStart : Number.NaN,
      cLi: Number.NaN,
      cLiSpan: Number.NaN,
      cLiMin: Number.NaN,
      cLiMax: Number.NaN,
      voltageV: Number.NaN,
      currentMilliamp: Number.NaN,
      cycle: Number.NaN,
      step: Number.NaN,
      branch: undefined,
      flags: e ? [] : ['no-time'],
    } as AlignedPattern;
  });
}

/** The results table of a finished (or cancelled) run. */
export function resultsTable(
  patterns: readonly AlignedPattern[],
  run: SequentialResult<FitLike>,
  cLiOverride?: Float64Array,
): ResultsTable {
  return buildResultsTable(
    patterns.map((pattern, i) => {
      const entry = run.entries[i];
      return {
        pattern,
        result: entry?.result,
        flags: entry ? [...entry.flags] : ['not-run'],
        cLi: cLiOverride && Number.isFinite(cLiOverride[i]) ? cLiOverride[i] : undefined,
      };
    }),
  );
}

