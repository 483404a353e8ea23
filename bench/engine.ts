/**
 * Our side of the benchmark: one section per child process (`node out/bench/engine.cjs SECTION ARGS.json`), so that
 * each section's peak RSS (process.resourceUsage().maxRSS) is its own and JIT state does not leak between sections.
 * Each section prints one line `BENCH_JSON {...}` on stdout; bench/run.mjs collects them.
 *
 *   starts      tool-independent start values and windows for the single-peak fits (shared with lmfit and cfityk)
 *   read        in-process reading: the .xy series ×5, the .xrdml series, BioLogic .mpr files
 *   bigfile     one large .xy read in one pass: peak RSS over the file size
 *   peaks       fitPeaks on 003 and the 018/110 pair of every pattern
 *   lebail      cold and warm (seeded) Le Bail fits, evaluation counts and the bare-evaluation bound
 *   sequential  runSequentialRefinement over the series with N workers
 *   notebook    headless runNotebook of tiny generated notebooks
 *   svg         patternSpec of a 7001-point pattern and renderSvg
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readData } from '../src/core/io/index.ts';
import type { Scan, ScanFile } from '../src/core/data/scan.ts';
import { fitPeaks, type PeakFitResult } from '../src/core/diffraction/peaks.ts';
import { fitLeBail, emissionLines, LE_BAIL_DEFAULTS, type LeBailResult } from '../src/core/diffraction/leBail.ts';
import { phasePreset } from '../src/core/diffraction/phases.ts';
import {
  createPatternModel,
  evaluateModel,
  modelJacobian,
  packFree,
  INSTRUMENT_DEFAULTS,
  REFINE_DEFAULTS,
} from '../src/core/diffraction/patternModel.ts';
import { stephensFromUniaxial } from '../src/core/diffraction/strain.ts';
import { runSequentialRefinement } from '../src/worker/sequentialRun.ts';
import { WorkerPool } from '../src/worker/workerPool.ts';
import { quickEstimate } from '../src/worker/refine.ts';
import { parseInstprm } from '../src/core/diffraction/instprm.ts';
import { nodeFileAccess } from '../src/worker/nodeFiles.ts';
import { runNotebook } from '../src/cli/notebook.ts';
import { renderSvg } from '../src/worker/svg.ts';
import { patternSpec } from '../src/core/plot/patternSpec.ts';
import v8 from 'node:v8';
// As the CLI runs (src/cli/main.ts): optimising compiles on each thread, which avoids a Node 20 abort when the
// sequential run's worker threads end.
v8.setFlagsFromString('--no-concurrent-recompilation');

type Json = Record<string, unknown>;

/** Counters incremented by the esbuild shim around leBail.ts's imports of evaluateModel / modelJacobian. */
interface EvalCounts {
  evaluate: number;
  jacobian: number;
}
const counts = ((globalThis as unknown as { __benchCounts?: EvalCounts }).__benchCounts ??= { evaluate: 0, jacobian: 0 });

const LAMBDA_ANGSTROM = 0.459200735;
const DEG = Math.PI / 180;

function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function readBytes(file: string): Uint8Array {
  const b = fs.readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function readScan(file: string): Scan {
  const r = readData(readBytes(file), path.basename(file));
  if (r.kind !== 'diffraction') throw new Error(`${file}: not a diffraction file`);
  return (r as ScanFile).scans[0];
}

interface Truth {
  a: number;
  c: number;
}

function readTruth(file: string): Truth[] {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  const ia = head.indexOf('a');
  const ic = head.indexOf('c');
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    return { a: Number(f[ia]), c: Number(f[ic]) };
  });
}

/** d from Bragg's law at the series wavelength. */
function dFromTwoTheta(twoThetaDeg: number): number {
  return LAMBDA_ANGSTROM / (2 * Math.sin((twoThetaDeg * DEG) / 2));
}

// ---------------------------------------------------------------- starts

/** Start values and windows, computed once from the raw counts and given to every tool alike. */
interface PeakStart {
  file: string;
  w003: [number, number];
  p003: number[];
  h003: number[];
  wPair: [number, number];
  pPair: number[];
  hPair: number[];
  /** Background level (mean of the window's smoothed end points) for the peers' straight-line start. */
  b003: number;
  bPair: number;
  fwhm: number;
}

function smoothed(scan: Scan, from: number, to: number): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 2; i < scan.x.length - 2; i++) {
    if (scan.x[i] < from || scan.x[i] > to) continue;
    x.push(scan.x[i]);
    y.push((scan.y[i - 2] + scan.y[i - 1] + scan.y[i] + scan.y[i + 1] + scan.y[i + 2]) / 5);
  }
  return { x, y };
}

function baseLevel(scan: Scan, w: readonly [number, number]): number {
  const s = smoothed(scan, w[0], w[1]);
  return (s.y[0] + s.y[s.y.length - 1]) / 2;
}

/** Net height at `pos` over the straight line through the window's end points. */
function netHeight(scan: Scan, w: readonly [number, number], pos: number): number {
  const s = smoothed(scan, w[0], w[1]);
  const n = s.x.length;
  let i = 0;
  while (i < n - 1 && s.x[i] < pos) i++;
  const base = s.y[0] + ((s.y[n - 1] - s.y[0]) * (s.x[i] - s.x[0])) / (s.x[n - 1] - s.x[0]);
  return Math.max(s.y[i] - base, 1);
}

function startsFor(file: string): PeakStart {
  const scan = readScan(file);
  // 003: the maximum between 5.2° and 5.9° (the series' 003 moves between 5.46° and 5.66°).
  const s3 = smoothed(scan, 5.2, 5.9);
  let best = 0;
  for (let i = 1; i < s3.y.length; i++) if (s3.y[i] > s3.y[best]) best = i;
  const p003 = s3.x[best];
  const w003: [number, number] = [p003 - 0.3, p003 + 0.3];
  // 018/110: the two strongest local maxima (±3 points) at least 0.04° apart between 17.9° and 19.0° (113 sits at
  // ≥ 19.17°); a single maximum (merged pair) gives starts 0.06° either side.
  const sp = smoothed(scan, 17.9, 19.0);
  const maxima: number[] = [];
  for (let i = 3; i < sp.y.length - 3; i++) {
    let isMax = true;
    for (let k = -3; k <= 3 && isMax; k++) if (k && sp.y[i + k] > sp.y[i]) isMax = false;
    if (isMax) maxima.push(i);
  }
  maxima.sort((p, q) => sp.y[q] - sp.y[p]);
  const first = maxima[0];
  const second = maxima.slice(1).find((i) => Math.abs(sp.x[i] - sp.x[first]) >= 0.04);
  const pPair =
    second === undefined ? [sp.x[first] - 0.06, sp.x[first] + 0.06] : [sp.x[first], sp.x[second]].sort((p, q) => p - q);
  const wPair: [number, number] = [pPair[0] - 0.2, pPair[1] + 0.2];
  return {
    file,
    w003,
    p003: [p003],
    h003: [netHeight(scan, w003, p003)],
    wPair,
    pPair,
    hPair: pPair.map((p) => netHeight(scan, wPair, p)),
    b003: baseLevel(scan, w003),
    bPair: baseLevel(scan, wPair),
    fwhm: 0.03,
  };
}

function sectionStarts(args: Json): Json {
  const files = args.files as string[];
  const starts = files.map(startsFor);
  fs.writeFileSync(args.out as string, JSON.stringify(starts));
  return { patterns: starts.length };
}

// ---------------------------------------------------------------- reading

function timeReads(files: readonly string[], repeat: number): number {
  const t0 = performance.now();
  for (let r = 0; r < repeat; r++) for (const f of files) readData(readBytes(f), path.basename(f));
  return performance.now() - t0;
}

function timeParses(bytes: readonly Uint8Array[], names: readonly string[], repeat: number): number {
  const t0 = performance.now();
  for (let r = 0; r < repeat; r++) for (let k = 0; k < bytes.length; k++) readData(bytes[k], names[k]);
  return performance.now() - t0;
}

function sectionRead(args: Json): Json {
  const reps = args.reps as number;
  const series = args.series as string[];
  const xrdml = args.xrdml as string[];
  const mpr = args.mpr as string[];
  const out: Json = {};
  // Warm-up: one pass, so that the medians compare steady code, and a sanity check of what was read.
  const first = readData(readBytes(series[0]), path.basename(series[0])) as ScanFile;
  out.seriesPoints = first.scans[0].x.length;
  timeReads(series, 1);
  const withIo: number[] = [];
  for (let r = 0; r < reps; r++) withIo.push(timeReads(series, 5));
  const bytes = series.map(readBytes);
  const names = series.map((f) => path.basename(f));
  const parseOnly: number[] = [];
  for (let r = 0; r < reps; r++) parseOnly.push(timeParses(bytes, names, 5));
  out.seriesFiles = series.length * 5;
  out.seriesTotalMs = median(withIo);
  out.seriesParseOnlyTotalMs = median(parseOnly);
  out.seriesRunsMs = withIo;

  const xr = readData(readBytes(xrdml[0]), path.basename(xrdml[0])) as ScanFile;
  out.xrdmlPoints = xr.scans[0].x.length;
  timeReads(xrdml, 2);
  const xrRuns: number[] = [];
  for (let r = 0; r < reps; r++) xrRuns.push(timeReads(xrdml, 10) / (10 * xrdml.length));
  out.xrdmlFiles = xrdml.length;
  out.xrdmlPerFileMs = median(xrRuns);

  const mprResults: Json[] = [];
  for (const f of mpr) {
    try {
      const rec = readData(readBytes(f), path.basename(f));
      const records = rec.kind === 'electrochemistry' ? rec.records : 0;
      timeReads([f], 3);
      const runs: number[] = [];
      for (let r = 0; r < reps; r++) runs.push(timeReads([f], 20) / 20);
      mprResults.push({ file: path.basename(f), bytes: fs.statSync(f).size, records, ms: median(runs) });
    } catch (e) {
      mprResults.push({ file: path.basename(f), error: String((e as Error).message ?? e).slice(0, 200) });
    }
  }
  out.mpr = mprResults;
  return out;
}

function sectionBigfile(args: Json): Json {
  const file = args.file as string;
  const size = fs.statSync(file).size;
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = readData(readBytes(file), path.basename(file)) as ScanFile;
  const ms = performance.now() - t0;
  const points = r.scans[0].x.length;
  const peak = process.resourceUsage().maxRSS * 1024;
  return { bytes: size, points, ms, rssBeforeBytes: before, peakRssBytes: peak, growthOverFileSize: (peak - before) / size };
}

// ---------------------------------------------------------------- single-peak fits

function sectionPeaks(args: Json): Json {
  const starts = JSON.parse(fs.readFileSync(args.starts as string, 'utf8')) as PeakStart[];
  const truth = readTruth(args.truth as string);
  const reps = args.reps as number;
  const scans = starts.map((s) => readScan(s.file));
  // Same model as the peers: pseudo-Voigt(s) on a straight-line background (2 Chebyshev terms), same starts.
  const fit = (k: number, which: '003' | 'pair') => {
    const s = starts[k];
    const range = which === '003' ? s.w003 : s.wPair;
    const positions = which === '003' ? s.p003 : s.pPair;
    return fitPeaks(scans[k], { shape: 'pseudoVoigt', backgroundTerms: 2, fwhmDeg: s.fwhm, rangeDeg: range, positionsDeg: positions });
  };
  // Warm-up on a few patterns (the JIT), then timed passes over all patterns.
  for (let k = 0; k < Math.min(10, scans.length); k++) {
    fit(k, '003');
    fit(k, 'pair');
  }
  const perPatternMedians: number[] = [];
  const totals: number[] = [];
  const t003: number[] = [];
  let last: { r003: PeakFitResult; rPair: PeakFitResult }[] = [];
  for (let r = 0; r < reps; r++) {
    const per: number[] = [];
    const results: typeof last = [];
    const tAll = performance.now();
    for (let k = 0; k < scans.length; k++) {
      const t0 = performance.now();
      const r003 = fit(k, '003');
      const t1 = performance.now();
      const rPair = fit(k, 'pair');
      const t2 = performance.now();
      per.push(t2 - t0);
      t003.push(t1 - t0);
      results.push({ r003, rPair });
    }
    totals.push(performance.now() - tAll);
    perPatternMedians.push(median(per));
    last = results;
  }
  let maxDa = 0;
  let maxDc = 0;
  let iterations = 0;
  const notConverged: string[] = [];
  last.forEach(({ r003, rPair }, k) => {
    const c = 3 * dFromTwoTheta(r003.peaks[0].twoThetaDeg);
    const a = 2 * dFromTwoTheta(rPair.peaks[1].twoThetaDeg);
    maxDa = Math.max(maxDa, Math.abs(a - truth[k].a));
    maxDc = Math.max(maxDc, Math.abs(c - truth[k].c));
    iterations += r003.iterations + rPair.iterations;
    for (const r of [r003, rPair]) if (!/converged|tolerance/i.test(r.stopReason)) notConverged.push(`${k}:${r.stopReason}`);
  });
  return {
    patterns: scans.length,
    perPatternMs: median(perPatternMedians),
    perPatternMeanMs: median(totals) / scans.length,
    fit003Ms: median(t003),
    totalsMs: totals,
    maxAbsDa: maxDa,
    maxAbsDc: maxDc,
    meanIterationsPerPattern: iterations / last.length,
    stopReasons: [...new Set(last.flatMap(({ r003, rPair }) => [r003.stopReason, rPair.stopReason]))],
  };
}

// ---------------------------------------------------------------- Le Bail

const LAYERED = [phasePreset('layered')];
const FIT_OPTIONS = { strain: 'uniaxial001' as const };

/** A pattern model in the converged state of `result`, built as fitLeBail builds its own (defaults, whole scan). */
function modelAt(scan: Scan, result: LeBailResult) {
  const phase = LAYERED[0];
  const d = LE_BAIL_DEFAULTS.strainStart;
  const model = createPatternModel({
    x: scan.x,
    lines: emissionLines(scan),
    phases: LAYERED,
    strain: [
      {
        model: 'uniaxial001',
        iso: d.iso,
        e001: d.e001,
        stephens: stephensFromUniaxial(d.iso, d.e001, phase.cell.a, phase.cell.c),
        zeta: d.zeta,
      },
    ],
    instrument: { ...INSTRUMENT_DEFAULTS, ...result.instrument },
    refine: REFINE_DEFAULTS,
    backgroundTerms: LE_BAIL_DEFAULTS.backgroundTerms,
    windowFwhm: LE_BAIL_DEFAULTS.windowFwhm,
    fcjNodes: LE_BAIL_DEFAULTS.fcjNodes,
  });
  model.params.forEach((p, i) => {
    const v = result.parameters[p.name];
    if (v && Number.isFinite(v.value)) model.full[i] = v.value;
  });
  return model;
}

function timeEvaluations(scan: Scan, result: LeBailResult): Json {
  const model = modelAt(scan, result);
  const theta = packFree(model);
  const n = model.x.length;
  const out = new Float64Array(n);
  const jac = new Float64Array(theta.length * n);
  for (let k = 0; k < 20; k++) evaluateModel(model, theta, out);
  const evalRuns: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 50; k++) evaluateModel(model, theta, out);
    evalRuns.push((performance.now() - t0) / 50);
  }
  evaluateModel(model, theta, out);
  const jacRuns: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 10; k++) {
      jac.fill(0);
      modelJacobian(model, theta, out, jac);
    }
    jacRuns.push((performance.now() - t0) / 10);
  }
  return {
    points: n,
    reflections: model.phases.reduce((s, p) => s + p.reflections.length, 0),
    peaks: model.peakCount,
    freeParameters: theta.length,
    evaluateMs: median(evalRuns),
    jacobianMs: median(jacRuns),
  };
}

function sectionLeBail(args: Json): Json {
  const files = args.files as string[];
  const truth = readTruth(args.truth as string);
  const sites = args.sites as number[];
  const warmReps = args.warmReps as number;
  const coldReps = args.coldReps as number;
  const seedChain = (args.seedChain as number | undefined) ?? 1;
  const cold: number[] = [];
  const estimated: number[] = [];
  const warm: number[] = [];
  const siteResults: Json[] = [];
  let maxDa = 0;
  let maxDc = 0;
  let evalCounts: EvalCounts[] = [];
  let bound: Json | undefined;
  for (const k of sites) {
    const scan = readScan(files[k]);
    // The seed is the neighbour's result as a sequential run would have it: a cold fit `seedChain` patterns back,
    // then warm fits up to pattern k − 1 (a lone cold fit can land elsewhere where the peaks are strongly broadened).
    const from = Math.max(0, k - seedChain);
    let seed = fitLeBail(readScan(files[from]), LAYERED, FIT_OPTIONS);
    for (let j = from + 1; j < k; j++) seed = fitLeBail(readScan(files[j]), LAYERED, { ...FIT_OPTIONS, seed });
    const coldSite: number[] = [];
    let coldCounts: EvalCounts = { evaluate: 0, jacobian: 0 };
    let coldResult: LeBailResult | undefined;
    for (let r = 0; r < coldReps; r++) {
      counts.evaluate = 0;
      counts.jacobian = 0;
      const t0 = performance.now();
      coldResult = fitLeBail(scan, LAYERED, FIT_OPTIONS);
      coldSite.push(performance.now() - t0);
      coldCounts = { ...counts };
    }
    cold.push(...coldSite);
    // As `fit` and `sequential` start a pattern without a seed: cells from the quick peak estimate (003, 104, 110),
    // refined directly from them (the coarse stage only as the fallback).
    const estimatedSite: number[] = [];
    let estimatedResult: LeBailResult | undefined;
    for (let r = 0; r < coldReps; r++) {
      const t0 = performance.now();
      estimatedResult = fitLeBail(scan, quickEstimate(scan, { phases: ['layered'] }), { ...FIT_OPTIONS, directStart: true });
      estimatedSite.push(performance.now() - t0);
    }
    estimated.push(...estimatedSite);
    const warmSite: number[] = [];
    let result: LeBailResult | undefined;
    const siteCounts: EvalCounts[] = [];
    for (let r = 0; r < warmReps; r++) {
      counts.evaluate = 0;
      counts.jacobian = 0;
      const t0 = performance.now();
      result = fitLeBail(scan, LAYERED, { ...FIT_OPTIONS, seed });
      warmSite.push(performance.now() - t0);
      siteCounts.push({ ...counts });
    }
    warm.push(...warmSite);
    evalCounts = evalCounts.concat(siteCounts);
    const ph = result!.phases[0];
    const da = Math.abs(ph.a - truth[k].a);
    const dc = Math.abs(ph.c - truth[k].c);
    maxDa = Math.max(maxDa, da);
    maxDc = Math.max(maxDc, dc);
    const ev = timeEvaluations(scan, result!);
    siteResults.push({
      index: k,
      warmMs: median(warmSite),
      coldMs: median(coldSite),
      warmEvaluations: siteCounts[0].evaluate,
      warmJacobians: siteCounts[0].jacobian,
      coldEvaluations: coldCounts.evaluate,
      coldJacobians: coldCounts.jacobian,
      iterations: result!.iterations,
      cycles: result!.cycles,
      stopReason: result!.stopReason,
      gof: result!.gof,
      da,
      dc,
      seedFrom: from,
      seedGof: seed.gof,
      seedDc: Math.abs(seed.phases[0].c - truth[k - 1].c),
      coldGof: coldResult?.gof,
      coldDa: coldResult ? Math.abs(coldResult.phases[0].a - truth[k].a) : undefined,
      coldDc: coldResult ? Math.abs(coldResult.phases[0].c - truth[k].c) : undefined,
      estimatedMs: median(estimatedSite),
      estimatedGof: estimatedResult?.gof,
      estimatedDa: estimatedResult ? Math.abs(estimatedResult.phases[0].a - truth[k].a) : undefined,
      estimatedDc: estimatedResult ? Math.abs(estimatedResult.phases[0].c - truth[k].c) : undefined,
      evaluateMs: ev.evaluateMs,
      jacobianMs: ev.jacobianMs,
    });
    if (!bound) bound = ev;
  }
  const evalMs = median(siteResults.map((s) => s.evaluateMs as number));
  const jacMs = median(siteResults.map((s) => s.jacobianMs as number));
  const nEval = median(evalCounts.map((c) => c.evaluate));
  const nJac = median(evalCounts.map((c) => c.jacobian));
  return {
    sites,
    warmMs: median(warm),
    warmRunsMs: warm,
    coldMs: median(cold),
    coldRunsMs: cold,
    seedChain,
    coldMaxAbsDa: Math.max(...siteResults.map((r) => (r.coldDa as number | undefined) ?? 0)),
    coldMaxAbsDc: Math.max(...siteResults.map((r) => (r.coldDc as number | undefined) ?? 0)),
    estimatedMs: median(estimated),
    estimatedRunsMs: estimated,
    estimatedMaxAbsDa: Math.max(...siteResults.map((r) => (r.estimatedDa as number | undefined) ?? 0)),
    estimatedMaxAbsDc: Math.max(...siteResults.map((r) => (r.estimatedDc as number | undefined) ?? 0)),
    maxAbsDa: maxDa,
    maxAbsDc: maxDc,
    model: bound,
    evaluateMs: evalMs,
    jacobianMs: jacMs,
    warmEvaluations: nEval,
    warmJacobians: nJac,
    boundEvaluationsMs: nEval * evalMs,
    boundWithJacobiansMs: nEval * evalMs + nJac * jacMs,
    siteResults,
  };
}

// ---------------------------------------------------------------- sequential

async function sectionSequential(args: Json): Promise<Json> {
  return measureSequential(args);
}

/**
 * A notebook's later runs: threads borrowed from a pool that `warmups` untimed 2-worker runs warmed up
 * (workerPool.ts), then `pairs` pairs of timed runs with 1 and 2 workers, alternating so that a drift of the machine's
 * speed (other tenants) falls on both counts alike. Per count the median run by rate, with every rate; the speed-up as the median of the
 * pairs' ratios.
 */
async function sectionSequentialWarm(args: Json): Promise<Json> {
  const pool = new WorkerPool(args.workerScript as string);
  try {
    // Four in a full bench (400 fits a thread): a thread still compiles late paths after 100–300 fits, which showed as
    // 2-worker rates rising from pair to pair with two warm-up runs.
    let warmup: Json = {};
    for (let r = 0; r < (args.warmups as number); r++) warmup = await measureSequential({ ...args, workers: 2 }, pool);
    const one: Json[] = [];
    const two: Json[] = [];
    for (let r = 0; r < (args.pairs as number); r++) {
      one.push(await measureSequential({ ...args, workers: 1 }, pool));
      two.push(await measureSequential({ ...args, workers: 2 }, pool));
    }
    const pairRatios = two.map((t, r) => (t.patternsPerS as number) / (one[r].patternsPerS as number));
    const medianRun = (runs: Json[]) => {
      const sorted = [...runs].sort((a, b) => (a.patternsPerS as number) - (b.patternsPerS as number));
      return { ...sorted[(sorted.length - 1) >> 1], runs: runs.length, ratesPerS: runs.map((x) => x.patternsPerS), warmups: args.warmups, warmupPatternsPerS: warmup.patternsPerS };
    };
    const sortedRatios = [...pairRatios].sort((a, b) => a - b);
    return { one: medianRun(one), two: medianRun(two), pairRatios, speedUp: sortedRatios[(sortedRatios.length - 1) >> 1] };
  } finally {
    await pool.dispose();
  }
}

async function measureSequential(args: Json, pool?: WorkerPool): Promise<Json> {
  const files = args.files as string[];
  const truth = readTruth(args.truth as string);
  const workers = args.workers as number;
  const budgetS = args.budgetS as number;
  const load0 = os.loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = await runSequentialRefinement({
    files,
    // As a user runs it: the beamline's calibrated profile held fixed (series.instprm), Pawley (the default method).
    model: { phases: ['layered'], strain: 'uniaxial001', instrument: parseInstprm(fs.readFileSync(path.join(path.dirname(args.truth as string), 'series.instprm'), 'utf8')).instrument },
    workers,
    fileAccess: nodeFileAccess,
    ...(pool ? { pool } : { workerScript: args.workerScript as string }),
    isCancelled: () => (performance.now() - t0) / 1000 > budgetS,
  });
  const seconds = (performance.now() - t0) / 1000;
  // CPU time of the process, worker threads included: less sensitive than wall time to other work on the machine.
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerPattern = (cpu.user + cpu.system) / 1000 / Math.max(run.done, 1);
  let maxDa = 0;
  let maxDc = 0;
  let inA = 0;
  let inC = 0;
  let fitted = 0;
  let failed = 0;
  run.entries.forEach((e, i) => {
    const p = e?.result?.phases[0];
    if (!e) return;
    if (!p || p.a === undefined || p.c === undefined) {
      failed++;
      return;
    }
    fitted++;
    const da = Math.abs(p.a - truth[i].a);
    const dc = Math.abs(p.c - truth[i].c);
    maxDa = Math.max(maxDa, da);
    maxDc = Math.max(maxDc, dc);
    if (da <= 2 * (p.aSigma ?? 0)) inA++;
    if (dc <= 2 * (p.cSigma ?? 0)) inC++;
  });
  return {
    workers,
    patterns: files.length,
    done: run.done,
    fitted,
    failed,
    cancelled: run.cancelled,
    seconds,
    patternsPerS: run.done / seconds,
    cpuMsPerPattern,
    loadAverage: [load0, os.loadavg()[0]],
    maxAbsDa: maxDa,
    maxAbsDc: maxDc,
    coverage2SigmaA: fitted ? inA / fitted : Number.NaN,
    coverage2SigmaC: fitted ? inC / fitted : Number.NaN,
  };
}

/** Cancel latency: a 2-worker run cancelled once `after` patterns are done, timed from the flag to the return. */
async function sectionCancel(args: Json): Promise<Json> {
  const files = args.files as string[];
  const latenciesMs: number[] = [];
  const doneAtCancel: number[] = [];
  for (let r = 0; r < (args.reps as number); r++) {
    let cancelAt = 0;
    const run = await runSequentialRefinement({
      files,
      model: { phases: ['layered'], strain: 'uniaxial001', instrument: parseInstprm(fs.readFileSync(path.join(path.dirname(args.truth as string), 'series.instprm'), 'utf8')).instrument },
      workers: 2,
      fileAccess: nodeFileAccess,
      workerScript: args.workerScript as string,
      onProgress: (done) => {
        if (!cancelAt && done >= (args.after as number)) cancelAt = performance.now();
      },
      isCancelled: () => cancelAt > 0,
    });
    latenciesMs.push(performance.now() - cancelAt);
    doneAtCancel.push(run.done);
  }
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { latencyMs: sorted[(sorted.length - 1) >> 1], latenciesMs, doneAtCancel };
}

// ---------------------------------------------------------------- notebook and SVG

function notebookOf(sources: readonly string[]) {
  return {
    cells: sources.map((source) => ({ cell_type: 'code', source, outputs: [], execution_count: null, metadata: {} })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
}

async function sectionNotebook(args: Json): Promise<Json> {
  const reps = args.reps as number;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oxrd-bench-nb-'));
  try {
    fs.copyFileSync(args.pattern as string, path.join(dir, 'pattern.xy'));
    const trivial = ['1 + 1'];
    const real = [
      "const scan = xrd.read('pattern.xy');\nscan.x.length",
      'show(xrd.plot.pattern(scan));',
      'table(xrd.findPeaks(scan).slice(0, 8))',
    ];
    const runOnce = async (cells: readonly string[]) => {
      const nb = notebookOf(cells);
      // Round trip as `operando-xrd run` does it: parse the .ipynb from disk, run, write it back.
      const file = path.join(dir, 'bench.ipynb');
      fs.writeFileSync(file, JSON.stringify(nb));
      const t0 = performance.now();
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      const report = await runNotebook(parsed, dir);
      fs.writeFileSync(file, JSON.stringify(parsed));
      const ms = performance.now() - t0;
      return { ms, report };
    };
    const firstTrivial = await runOnce(trivial);
    const trivialRuns: number[] = [];
    for (let r = 0; r < reps; r++) trivialRuns.push((await runOnce(trivial)).ms);
    const firstReal = await runOnce(real);
    const realRuns: number[] = [];
    let report = firstReal.report;
    for (let r = 0; r < reps; r++) {
      const o = await runOnce(real);
      realRuns.push(o.ms);
      report = o.report;
    }
    return {
      trivialFirstMs: firstTrivial.ms,
      trivialMs: median(trivialRuns),
      realCells: real.length,
      realFirstMs: firstReal.ms,
      realMs: median(realRuns),
      error: report.error ?? firstTrivial.report.error,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function sectionSvg(args: Json): Promise<Json> {
  const reps = args.reps as number;
  const scan = readScan(args.pattern as string);
  const specRuns: number[] = [];
  const svgRuns: number[] = [];
  let bytes = 0;
  const firstT0 = performance.now();
  await renderSvg(patternSpec({ x: scan.x, observed: scan.y, axis: 'twoTheta' }) as unknown as Record<string, unknown>);
  const firstMs = performance.now() - firstT0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const spec = patternSpec({ x: scan.x, observed: scan.y, axis: 'twoTheta' });
    const t1 = performance.now();
    const svg = await renderSvg(spec as unknown as Record<string, unknown>);
    const t2 = performance.now();
    specRuns.push(t1 - t0);
    svgRuns.push(t2 - t1);
    bytes = svg.length;
  }
  return { points: scan.x.length, firstMs, specMs: median(specRuns), svgMs: median(svgRuns), svgChars: bytes };
}

// ---------------------------------------------------------------- main

const SECTIONS: Record<string, (args: Json) => Json | Promise<Json>> = {
  starts: sectionStarts,
  read: sectionRead,
  bigfile: sectionBigfile,
  peaks: sectionPeaks,
  lebail: sectionLeBail,
  sequential: sectionSequential,
  sequentialWarm: sectionSequentialWarm,
  cancel: sectionCancel,
  notebook: sectionNotebook,
  svg: sectionSvg,
};

async function main(): Promise<void> {
  const [name, argsFile] = process.argv.slice(2);
  const section = SECTIONS[name];
  if (!section) throw new Error(`unknown section ${name} (${Object.keys(SECTIONS).join(', ')})`);
  const args = argsFile ? (JSON.parse(fs.readFileSync(argsFile, 'utf8')) as Json) : {};
  const t0 = performance.now();
  const result = await section(args);
  const out = { ...result, sectionMs: performance.now() - t0, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`BENCH_JSON ${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
