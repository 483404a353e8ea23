/**
 * The engine part of the cell API (`xrd.*` beyond reading): peaks, fits, series, lithium content, sequential
 * refinement, analyses and charts. The same core functions as the CLI; long work reports progress to the cell.
 */
import os from 'node:os';
import path from 'node:path';
import type { CellContext } from './session.ts';
import type { FileAccess } from './nodeFiles.ts';
import type { Scan } from '../core/data/scan.ts';
import type { EchemRecord } from '../core/data/echem.ts';
import { dominantWavelengthAngstrom } from '../core/data/scan.ts';
import { makeChart, type Chart } from './display.ts';
import { parseScanRef } from '../core/operando/scanRef.ts';
import { memoizedReader, readAny, readScan, seriesPatterns, type WavelengthOptions, userWavelengths } from './api.ts';
import { fitPattern, fitRietveldPattern, type ModelSpec } from './refine.ts';
import { calibrateInstrument, type CalibrationOptions, type CalibrationResult } from '../core/diffraction/calibration.ts';
import { parseIrf, isIrfFile } from '../core/diffraction/irf.ts';
import type { RietveldResult } from '../core/diffraction/rietveld.ts';
import type { AbsorptionModel } from '../core/diffraction/absorption.ts';
import { runSequentialRefinement, resultsTable, timedPatterns } from './sequentialRun.ts';
import { WorkerPool } from './workerPool.ts';
import { defaultCacheDir, layeredCache, openDiskCache } from './diskCache.ts';
import { searchPeaks as corePeaks, fitPeaks as coreFitPeaks, estimateLattice as coreEstimate, type PeakFitOptions } from '../core/diffraction/peaks.ts';
import type { LeBailResult } from '../core/diffraction/leBail.ts';
import { phasePreset } from '../core/diffraction/phases.ts';
import { parseInstprm } from '../core/diffraction/instprm.ts';
import { lithiumTimeline, type LithiumOptions, type LithiumResult } from '../core/operando/lithium.ts';
import { alignPatterns, assignLithiumByFile, seedBranchKeys, type AlignedPattern } from '../core/operando/align.ts';
import { exposureFromHeader, parseScanLog, matchScanLog, exposuresFromPeriod, exposuresFromModificationTimes, type Exposure } from '../core/operando/seriesTimes.ts';
import { parseTimestampUnixS, type ClockOptions } from '../core/operando/time.ts';
import { differentialCapacity } from '../core/operando/differentialCapacity.ts';
import { parseCsv } from '../core/operando/csv.ts';
import { resultsTableToCsv } from '../core/operando/resultsTable.ts';
import { atBoundsWarning } from '../core/diffraction/atBoundsWarning.ts';
import { failureLines, type SequentialEntry, type FitLike } from '../core/operando/sequential.ts';
import { analyzeResults, type AnalyzeOptions, type AnalysisResult } from '../core/analysis/analyzeResults.ts';
import { patternSpec } from '../core/plot/patternSpec.ts';
import { operandoHeatmapSpec, waterfallSpec } from '../core/plot/operandoSpec.ts';
import { latticeSpec, latticeSeriesFromRows } from '../core/plot/latticeSpec.ts';
import { voltageSpec, dQdVSpec } from '../core/plot/electrochemistrySpecs.ts';
import { echemTimeSpec } from '../core/plot/echemTimeSpec.ts';
import { reportSpecs } from '../core/plot/reportSpecs.ts';
import { peakWarpingSpec } from '../core/plot/peakWarpingSpec.ts';

/** A series: files in natural order and their scans. */
export interface Series {
  readonly files: readonly string[];
  readonly scans: readonly (Scan & { file: string })[];
}

/** Options of `xrd.fit`: phase specs (`layered`, `layered:2.87,14.2`, `al` …) and the model. */
export interface FitOptions extends WavelengthOptions {
  readonly phases?: readonly string[];
  readonly method?: 'lebail' | 'pawley' | 'rietveld';
  /** Rietveld: the layered phases' composition (NMC811, NMC622, NMC111, LNO, LCO). */
  readonly composition?: string;
  /** Rietveld: specimen absorption by geometry (default a thick Bragg–Brentano specimen). */
  readonly absorption?: AbsorptionModel;
  readonly strain?: ModelSpec['strain'];
  /** 'iso': an isotropic Scherrer crystallite size (K = 1), its Lorentzian share held at 1; default 'none'. */
  readonly size?: ModelSpec['size'];
  readonly rangeDeg?: readonly [number, number];
  readonly exclusions?: ModelSpec['exclusions'];
  readonly instrument?: ModelSpec['instrument'];
  /** A phase present in every pattern with a known cell (`al`, `al:4.0495`): held fixed while ΔD/D is refined. */
  readonly internalStandard?: string;
  /** Peak shape: 'tch' (default) or 'pearsonVII' (the same FWHM, exponent m₀ refined). */
  readonly profile?: 'tch' | 'pearsonVII';
}

/** Options of `xrd.sequential`. */
export interface SequentialOptions extends FitOptions {
  readonly workers?: number;
  /** c_Li per file (`file,c_Li` CSV path or rows), or from cycler files (`echem`). */
  readonly clis?: string | readonly { file: string; cLi: number }[];
  readonly echem?: { readonly files: readonly string[] } & Omit<LithiumOptions, 'startTimes'>;
  /**
   * Pattern times: a scan log CSV, a start (ISO) and a period, or the files' modification times (`modificationTime`,
   * each the end of an exposure of `exposureS`, else back to back); default the files' headers.
   */
  readonly times?: {
    readonly log?: string;
    readonly start?: string;
    readonly periodS?: number;
    readonly modificationTime?: boolean;
    readonly exposureS?: number;
  } & ClockOptions;
}

/** Rows of the series charts: pattern index, time (s) or c_Li, with their values. */
export interface SeriesPlotOptions {
  readonly row?: 'index' | 'timeS' | 'cLi';
  readonly rowValues?: ArrayLike<number>;
}

/** What `xrd.sequential` returns: the results table and how the run went. */
export interface SequentialResults {
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
  readonly done: number;
  readonly cancelled: boolean;
  readonly seconds: number;
  readonly warnings: readonly string[];
  csv(): string;
}

function modelOf(options: FitOptions): ModelSpec {
  if (options.profile !== undefined && options.profile !== 'tch' && options.profile !== 'pearsonVII') {
    throw new RangeError(`profile must be 'tch' or 'pearsonVII', got '${String(options.profile)}'`);
  }
  return {
    phases: options.phases ?? ['layered'],
    method: options.method === 'rietveld' ? 'pawley' : options.method,
    strain: options.strain ?? 'uniaxial001',
    ...(options.size && options.size !== 'none' ? { size: options.size } : {}),
    rangeDeg: options.rangeDeg,
    exclusions: options.exclusions,
    wavelengths: userWavelengths(options),
    instrument: options.instrument,
    internalStandard: options.internalStandard,
    ...(options.profile === 'pearsonVII' ? { profile: 'pearsonVII' as const } : {}),
  };
}

const asRows = (t: SequentialResults | readonly Record<string, unknown>[]) => (Array.isArray(t) ? t : (t as SequentialResults).rows);

/** The fitting threads of this process's sequential runs (see workerPool.ts). */
let fitPool: WorkerPool | undefined;

export function engineApi(ctx: CellContext, files: FileAccess, resolve: (p: string) => string) {
  // Results of sequential runs survive between cells (memory) and between kernels (disk): re-running an unchanged
  // notebook reuses them.
  const cacheDir = defaultCacheDir();
  const cache = layeredCache(sequentialCache, cacheDir ? openDiskCache(cacheDir) : undefined);

  const readSeries = (input: string | readonly string[], options: WavelengthOptions = {}): Series => {
    const list = typeof input === 'string' ? [input] : input;
    // Every file read once: the expansion of multi-scan files and the scans below share the reads.
    const read = memoizedReader(Number.POSITIVE_INFINITY);
    // Folders give their scans; a multi-scan file (NeXus series, XRDML with several scans) gives `FILE#N` per scan.
    const paths = seriesPatterns(files, list.map(resolve), read);
    if (!paths.length) throw new Error(`no scan files in ${list.join(', ')}`);
    return { files: paths, scans: paths.map((p) => readScan(files, p, options, read)) };
  };

  /** Pattern times: a scan log, a start and a period, or the files' headers (science.md §6: a pattern stands for its exposure's middle). */
  const exposuresOf = (series: Series, times: SequentialOptions['times'], warnings: string[]): (Exposure | undefined)[] => {
    const clock: ClockOptions = { timeZone: times?.timeZone, clockOffsetS: times?.clockOffsetS };
    if (times?.log) {
      const m = matchScanLog(series.files, parseScanLog(new TextDecoder().decode(files.readBytes(resolve(times.log))), clock));
      warnings.push(...m.warnings);
      return [...m.exposures];
    }
    if (times?.modificationTime) {
      warnings.push("pattern times are the files' modification times (taken as the end of each exposure)");
      const mtimeS = (f: string) => Date.parse(files.mtime(parseScanRef(f, (x) => files.exists(x)).file)) / 1000;
      return exposuresFromModificationTimes(series.files.map(mtimeS), times.exposureS);
    }
    if (times?.start) return exposuresFromPeriod(series.files.length, parseTimestampUnixS(times.start, clock), times.periodS ?? NaN);
    return series.scans.map((s) => (s.startTime ? exposureFromHeader(s, clock) : undefined));
  };

  const sequential = async (series: Series, options: SequentialOptions = {}): Promise<SequentialResults> => {
    const t0 = Date.now();
    const warnings: string[] = [];
    const exposures = exposuresOf(series, options.times, warnings);
    let patterns: AlignedPattern[];
    let cLiOverride: Float64Array | undefined;
    // Tables name files relative to the notebook, as the user wrote them.
    const names = series.files.map((f) => path.relative(ctx.cwd, f));
    if (options.echem) {
      const records = options.echem.files.map((f) => readEchem(f));
      const li = lithiumTimeline(records, options.echem);
      const aligned = alignPatterns(names, exposures, li.timeline);
      patterns = aligned.patterns;
      warnings.push(...li.warnings, ...aligned.warnings);
    } else {
      patterns = timedPatterns(names, exposures);
      if (options.clis) {
        const table = typeof options.clis === 'string' ? readCsv(options.clis).map((r) => ({ file: String(r.file), cLi: Number(r.c_Li) })) : options.clis;
        const assigned = assignLithiumByFile(series.files, table);
        cLiOverride = assigned.cLi;
        warnings.push(...assigned.warnings);
      }
    }
    const branchKeys = patterns.some((p) => p.branch !== undefined) ? seedBranchKeys(patterns) : undefined;
    const run = await runSequentialRefinement({
      files: series.files,
      model: modelOf(options),
      // A kernel's later runs borrow the threads of its earlier ones, already optimised by V8.
      pool: (fitPool ??= new WorkerPool(path.join(__dirname, 'fitWorker.js'))),
      workers: options.workers ?? Math.max(1, Math.min(os.availableParallelism(), 8)),
      branchOf: branchKeys ? (i) => branchKeys[i] : undefined,
      fileAccess: files,
      cache,
      onProgress: (done, total, etaS) => ctx.progress(done, total, `Refining, ETA ${etaS.toFixed(0)} s`),
    });
    const table = resultsTable(patterns, run, cLiOverride);
    const rows = table.rows.map((r) => ({ ...r }));
    // The table flags a pattern that could not be fitted ('error'); the reason goes with the warnings.
    warnings.push(...failureLines(run.entries, names));
    return {
      columns: table.columns,
      rows,
      done: run.done,
      cancelled: run.cancelled,
      seconds: (Date.now() - t0) / 1000,
      warnings,
      csv: () => resultsTableToCsv(table),
    };
  };

  const readEchem = (file: string): EchemRecord => {
    const data = readAny(files, resolve(file));
    if (data.kind !== 'electrochemistry') throw new TypeError(`${file} is a diffraction file, not a cycler record`);
    return data;
  };

  const readCsv = (file: string): Record<string, string>[] => {
    const t = parseCsv(new TextDecoder().decode(files.readBytes(resolve(file))));
    return t.rows.map((r) => Object.fromEntries(t.header.map((h, i) => [h, r[i] ?? ''])));
  };

  /** The shared input of the series charts: every pattern on its own axis, rows by index, time or c_Li. */
  const seriesInput = (series: Series, options: SeriesPlotOptions) => ({
    x: series.scans[0].x,
    xs: series.scans.map((s) => s.x),
    patterns: series.scans.map((s) => s.y),
    axis: series.scans[0].axis,
    row: options.row ?? 'index',
    rowValues: options.rowValues ? Float64Array.from(options.rowValues) : undefined,
    files: series.files.map(files.basename),
  });

  const fitChart = (scan: Scan & { file?: string }, fit?: LeBailResult, title?: string): Chart => {
    const t = title ?? scan.file;
    if (!fit) return makeChart(patternSpec({ x: scan.x, observed: scan.y, sigma: scan.sigma, axis: scan.axis, intensityKind: scan.intensityKind, title: t }), t);
    // The fit covers a range of the scan: plot that range.
    const from = fit.twoThetaDeg[0];
    const to = fit.twoThetaDeg[fit.twoThetaDeg.length - 1];
    const lo = scan.x.findIndex((v) => v >= from - 1e-9);
    const observed = scan.y.subarray(lo, lo + fit.twoThetaDeg.length);
    return makeChart(
      patternSpec({
        x: fit.twoThetaDeg,
        observed,
        calculated: fit.calculated,
        axis: 'twoTheta',
        intensityKind: scan.intensityKind,
        reflections: fit.phases.map((p) => ({
          phase: p.name,
          positions: Float64Array.from(p.reflections.filter((r) => r.twoThetaDeg >= from && r.twoThetaDeg <= to), (r) => r.twoThetaDeg),
          hkl: p.reflections.filter((r) => r.twoThetaDeg >= from && r.twoThetaDeg <= to).map((r) => `${r.h}${r.k}${r.l}`),
        })),
        title: t,
      }),
      t,
    );
  };

  return {
    /** Peaks (strongest first): position, d and q when the wavelength is known, counts at the top, height and FWHM above the background. */
    findPeaks: (scan: Scan, options: Parameters<typeof corePeaks>[1] = {}) => {
      const lambda = dominantWavelengthAngstrom(scan);
      return corePeaks(scan, options).map(({ twoThetaDeg, netHeight, fwhmDeg, prominence }) => {
        const i = Math.max(0, scan.x.findIndex((v) => v >= twoThetaDeg));
        const s = lambda ? Math.sin((twoThetaDeg * Math.PI) / 360) : NaN;
        return {
          twoThetaDeg,
          dAngstrom: lambda ? lambda / (2 * s) : NaN,
          qInvAngstrom: lambda ? (4 * Math.PI * s) / lambda : NaN,
          counts: scan.y[i],
          netHeight,
          fwhmDeg,
          prominence,
        };
      });
    },
    fitPeaks: (scan: Scan, options: PeakFitOptions = {}) => coreFitPeaks(scan, options),
    estimateLattice: (scan: Scan, phase = 'layered', reflections: readonly string[] = ['003', '104', '110']) => coreEstimate(scan, phasePreset(phase), { reflections }),
    /** Le Bail (or Pawley) fit of one scan. */
    fit: (scan: Scan, options: FitOptions = {}): LeBailResult | RietveldResult => {
      // Le Bail and Pawley intensities are free: an absorption factor would only rescale them.
      if (options.absorption && options.method !== 'rietveld') throw new RangeError("absorption applies to method 'rietveld' only");
      const result =
        options.method === 'rietveld'
          ? fitRietveldPattern(scan, modelOf(options), options.composition, undefined, { absorption: options.absorption })
          : fitPattern(scan, modelOf(options));
      // As the CLI's fit: a runaway fit is said in the cell's output, not only in a field of the result.
      if (result.atBounds.length) {
        ctx.emit({ kind: 'stream', name: 'stderr', text: `warning: ${atBoundsWarning(result.atBounds)}\n` });
      }
      return result;
    },
    /** Calibrate λ or zero/displacement and the instrumental profile on a standard (lab6, ceo2, si) with its certified cell. */
    calibrate: (scan: Scan, standard: string, options: CalibrationOptions & WavelengthOptions = {}): CalibrationResult =>
      calibrateInstrument(scan, standard, { ...options, wavelengths: options.wavelengths ?? userWavelengths(options) }),
    readSeries,
    readEchem,
    /** A GSAS-II .instprm instrument file: the calibrated profile (held fixed in fits) and its wavelengths. */
    readInstrument: (file: string) => {
      const text = new TextDecoder().decode(files.readBytes(resolve(file)));
      return (isIrfFile(file) ? parseIrf(text) : parseInstprm(text)).instrument;
    },
    readCsv,
    /** Each pattern's time, c_Li, voltage and current from a lithium timeline, at the middle of its exposure. */
    align: (series: Series, li: LithiumResult, times: SequentialOptions['times'] = {}) => {
      const warnings: string[] = [];
      const exposures = exposuresOf(series, times, warnings);
      const aligned = alignPatterns(series.files.map((f) => path.relative(ctx.cwd, f)), exposures, li.timeline);
      return { patterns: aligned.patterns, warnings: [...warnings, ...aligned.warnings] };
    },
    /** c_Li from cycler files (science.md §6). */
    lithium: (echemFiles: string | readonly string[], options: LithiumOptions): LithiumResult =>
      lithiumTimeline((typeof echemFiles === 'string' ? [echemFiles] : echemFiles).map(readEchem), options),
    sequential,
    /** Characteristic lithium contents and the strain master curve of a results table. */
    analyze: (results: SequentialResults | readonly Record<string, unknown>[], options: AnalyzeOptions = {}): AnalysisResult => analyzeResults(asRows(results), options),
    plot: {
      /** Observed pattern; with a fit, calculated, difference and reflection ticks. */
      pattern: (scan: Scan & { file?: string }, fit?: LeBailResult, title?: string) => fitChart(scan, fit, title),
      heatmap: (series: Series, options: SeriesPlotOptions & { intensityScale?: 'linear' | 'sqrt' | 'log' } = {}) =>
        makeChart(operandoHeatmapSpec({ ...seriesInput(series, options), intensityScale: options.intensityScale ?? 'sqrt' }), 'Operando heatmap'),
      waterfall: (series: Series, options: SeriesPlotOptions = {}) => makeChart(waterfallSpec(seriesInput(series, options)), 'Waterfall'),
      /** a, c, d_TM, d_IL against c_Li (several results tables as several series). */
      lattice: (results: SequentialResults | readonly Record<string, unknown>[] | Record<string, SequentialResults>, name = 'series') => {
        const entries = Array.isArray(results) || 'rows' in (results as object) ? [[name, results] as const] : Object.entries(results as Record<string, SequentialResults>);
        return makeChart(latticeSpec({ series: entries.flatMap(([n, r]) => latticeSeriesFromRows(asRows(r as SequentialResults), n)) }), 'Lattice parameters against c_Li');
      },
      /** Every unified-picture chart of one or several results tables: lattice, derivatives, eqn (1), master curve, voltage. */
      report: (results: SequentialResults | readonly Record<string, unknown>[], options: AnalyzeOptions & { name?: string; deltas?: number[]; strainColumn?: string } = {}): Chart[] => {
        const rows = asRows(results);
        const analysis = analyzeResults(rows, options.strainColumn ? { ...options, columns: { ...options.columns, strain: options.strainColumn } } : options);
        const specs = reportSpecs([{ name: options.name ?? 'series', rows, analysis }], { window: options.window, deltas: options.deltas, strainColumn: options.strainColumn });
        return Object.entries(specs).map(([k, spec]) => makeChart(spec, k));
      },
      /** ESI S16: one reflection's profile when c_Li spreads by Δ around `atCLi`, from the smoothed a(c_Li) and c(c_Li) of the results. */
      peakWarping: (
        results: SequentialResults | readonly Record<string, unknown>[],
        options: { atCLi: number; hkl?: string; deltas?: number[]; wavelengthAngstrom: number; fwhmDeg?: number; scan?: Scan },
      ) => {
        const rows = asRows(results)
          .map((r) => ({ cLi: Number(r.c_Li), a: Number(r.a), c: Number(r.c), fwhm: Number(r.fwhm003_deg) }))
          .filter((r) => Number.isFinite(r.cLi) && Number.isFinite(r.a) && Number.isFinite(r.c))
          .sort((p, q) => p.cLi - q.cLi);
        if (rows.length < 3) throw new RangeError('peakWarping needs results with c_Li, a and c');
        const hkl = (options.hkl ?? '003').split('').map(Number) as [number, number, number];
        const nearest = rows.reduce((b, r) => (Math.abs(r.cLi - options.atCLi) < Math.abs(b.cLi - options.atCLi) ? r : b));
        const fwhmDeg = options.fwhmDeg ?? (Number.isFinite(nearest.fwhm) ? nearest.fwhm : 0.02);
        return makeChart(
          peakWarpingSpec({
            cLi: rows.map((r) => r.cLi),
            a: rows.map((r) => r.a),
            c: rows.map((r) => r.c),
            hkl,
            atCLi: options.atCLi,
            deltas: options.deltas ?? [0.02, 0.05, 0.1],
            wavelengthAngstrom: options.wavelengthAngstrom,
            fwhmDeg,
            observed: options.scan ? { twoThetaDeg: options.scan.x, intensity: options.scan.y } : undefined,
          }),
          'Peak warping',
        );
      },
      voltage: (li: LithiumResult, name = 'cell') => makeChart(voltageSpec({ series: [{ name, cLi: li.timeline.cLi, voltageV: li.timeline.voltageV }] }), 'Voltage against c_Li'),
      dqdv: (li: LithiumResult, name = 'cell') => {
        const d = differentialCapacity(li.timeline);
        return makeChart(dQdVSpec({ series: [{ name, voltageV: d.voltageV, dQdVMahPerV: d.dQdVMahPerV }] }), 'dQ/dV');
      },
      echem: (record: EchemRecord, cycle?: number) => makeChart(echemTimeSpec(record.columns, { cycle }), 'Cycler record'),
    },
  };
}

/** Per-worker cache of sequential results (by content hash, model, instrument and seed chain). */
const sequentialCache = new Map<string, SequentialEntry<FitLike>>();
