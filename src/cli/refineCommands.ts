/** CLI refinement commands: `fit` (one pattern) and `sequential` (a series, in parallel workers). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flag, numberFlag, UsageError, type ParsedArgs } from './args.ts';
import { memoizedReader, readScan, seriesPatterns, userWavelengths } from '../worker/api.ts';
import { parseScanRef } from '../core/operando/scanRef.ts';
import { nodeFileAccess } from '../worker/nodeFiles.ts';
import { fitPattern, fitRietveldPattern, phaseFromSpec, summarize, summarizeRietveld, type ModelSpec } from '../worker/refine.ts';
import type { AbsorptionModel } from '../core/diffraction/absorption.ts';
import { parseIrf, formatIrf, isIrfFile } from '../core/diffraction/irf.ts';
import { calibrateInstrument, formatCalibrationInstprm, wavelengthRelativeSigmaOf, STANDARDS, type CalibrationTarget } from '../core/diffraction/calibration.ts';
import { runSequentialRefinement, resultsTable, timedPatterns } from '../worker/sequentialRun.ts';
import { defaultCacheDir, openDiskCache } from '../worker/diskCache.ts';
import { fitPeaks } from '../core/diffraction/peaks.ts';
import { atBoundsWarning } from '../core/diffraction/atBoundsWarning.ts';
import { parseInstprm } from '../core/diffraction/instprm.ts';
import { StrainModel } from '../core/diffraction/strain.ts';
import { SizeModel } from '../core/diffraction/size.ts';
import type { Exclusion } from '../core/diffraction/leBail.ts';
import type { WavelengthLine } from '../core/data/scan.ts';
import { parseScanLog, matchScanLog, exposuresFromPeriod, exposuresFromModificationTimes, exposureFromHeader, type Exposure } from '../core/operando/seriesTimes.ts';
import { parseTimestampUnixS } from '../core/operando/time.ts';
import { lithiumTimeline } from '../core/operando/lithium.ts';
import { alignPatterns, assignLithiumByFile, seedBranchKeys, type AlignedPattern } from '../core/operando/align.ts';
import { readClisTable } from '../core/operando/lithiumTable.ts';
import { resultsTableToCsv } from '../core/operando/resultsTable.ts';
import { failureLines } from '../core/operando/sequential.ts';
import { lithiumOptions, readEchemFiles } from './engineCommands.ts';

function wavelengthOption(args: ParsedArgs): WavelengthLine[] | undefined {
  const anode = flag(args, 'anode');
  return userWavelengths({
    wavelengthAngstrom: numberFlag(args, 'wavelength'),
    energyKeV: numberFlag(args, 'energy-kev'),
    anode: anode as never,
  });
}

function rangeOf(text: string, what: string): [number, number] {
  const m = /^(-?[\d.]+):(-?[\d.]+)$/.exec(text);
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (!m || !Number.isFinite(from) || !Number.isFinite(to)) throw new UsageError(`${what} expects FROM:TO, got "${text}"`);
  if (!(from < to)) throw new UsageError(`${what} ${text}: FROM must be below TO`);
  return [from, to];
}

/** `--exclude 44.5:45deg`, `--exclude 2.02:2.04A`, `--exclude 3.1:3.2invA` (deg by default). */
function exclusionOf(text: string): Exclusion {
  const m = /^(-?[\d.]+):(-?[\d.]+)(deg|A|invA)?$/.exec(text);
  if (!m) throw new UsageError(`--exclude expects FROM:TO[deg|A|invA], got "${text}"`);
  const unit = m[3] === 'A' ? 'angstrom' : m[3] === 'invA' ? 'invAngstrom' : 'deg';
  return { from: Number(m[1]), to: Number(m[2]), unit };
}

/** The model from the shared options of `fit` and `sequential`. */
export function modelOptions(args: ParsedArgs): ModelSpec & { instrumentText?: string } {
  const phases = args.flags.get('phase') ?? ['layered'];
  const strain = flag(args, 'strain') ?? 'uniaxial001';
  if (!(strain in StrainModel)) throw new UsageError(`--strain must be one of ${Object.keys(StrainModel).join(', ')}`);
  const size = flag(args, 'size') ?? 'none';
  if (!(size in SizeModel)) throw new UsageError(`--size must be one of ${Object.keys(SizeModel).join(', ')}`);
  const method = flag(args, 'method') ?? 'pawley';
  if (!['lebail', 'pawley', 'peaks', 'rietveld'].includes(method)) throw new UsageError('--method must be lebail, pawley, peaks or rietveld');
  // Le Bail and Pawley intensities are free: an absorption factor would only rescale them.
  if (flag(args, 'absorption') !== undefined && method !== 'rietveld') throw new UsageError('--absorption applies to --method rietveld only');
  let wavelengths = wavelengthOption(args);
  let instrument: ModelSpec['instrument'];
  let wavelengthRelativeSigma: number | undefined;
  const instrumentFile = flag(args, 'instrument');
  if (instrumentFile) {
    if (!/\.(instprm|irf)$/i.test(instrumentFile)) throw new UsageError('--instrument reads GSAS-II .instprm or FullProf .irf files');
    const text = fs.readFileSync(instrumentFile, 'utf8');
    const parsed = isIrfFile(instrumentFile) ? parseIrf(text) : parseInstprm(text);
    instrument = parsed.instrument;
    wavelengthRelativeSigma = wavelengthRelativeSigmaOf(text) || undefined;
    // An explicit wavelength option wins over the instrument file's lines.
    wavelengths ??= parsed.wavelengths.length ? [...parsed.wavelengths] : undefined;
  }
  const range = flag(args, 'range');
  const internalStandard = flag(args, 'internal-standard');
  // Unknown phases fail here, before any pattern is read (in a sequential run, every pattern would fail alike).
  const named: [string, string][] = [...phases.map((p): [string, string] => ['--phase', p]), ...(internalStandard ? [['--internal-standard', internalStandard] as [string, string]] : [])];
  for (const [option, spec] of named) {
    try {
      phaseFromSpec(spec);
    } catch (e) {
      throw new UsageError(`${option} ${spec}: ${(e as Error).message}`);
    }
  }
  const profile = flag(args, 'profile') ?? 'tch';
  if (!['tch', 'pearson7', 'pearsonVII'].includes(profile)) throw new UsageError('--profile must be tch or pearson7');
  return {
    phases,
    ...(internalStandard ? { internalStandard } : {}),
    ...(profile !== 'tch' ? { profile: 'pearsonVII' as const } : {}),
    method: method === 'pawley' ? 'pawley' : 'lebail',
    strain: strain as StrainModel,
    ...(size !== 'none' ? { size: size as SizeModel } : {}),
    rangeDeg: range ? rangeOf(range, '--range') : undefined,
    exclusions: (args.flags.get('exclude') ?? []).map(exclusionOf),
    wavelengths,
    instrument,
    ...(wavelengthRelativeSigma ? { wavelengthRelativeSigma } : {}),
  };
}

async function fit(args: ParsedArgs): Promise<number> {
  const file = args.positional[0];
  if (!file) throw new UsageError('fit needs a FILE');
  const model = modelOptions(args);
  const scan = readScan(nodeFileAccess, file, {});
  if (!model.wavelengths?.length && !scan.wavelengths.length)
    throw new UsageError(`${file} states no wavelength: give --wavelength Å, --energy-kev E or --anode Cu|Mo|Co|Ag`);
  if (flag(args, 'method') === 'peaks') {
    const withLines = model.wavelengths ? { ...scan, wavelengths: model.wavelengths } : scan;
    const r = fitPeaks(withLines, { rangeDeg: model.rangeDeg });
    const out = { peaks: r.peaks, chi2red: r.chi2red, points: r.points, iterations: r.iterations, stopReason: r.stopReason };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (flag(args, 'method') === 'rietveld') {
    const absorption = flag(args, 'absorption');
    const r = summarizeRietveld(
      fitRietveldPattern(scan, model, flag(args, 'composition') ?? 'NMC811', undefined, absorption ? { absorption: absorptionOf(absorption) } : {}),
    );
    if (flag(args, 'json') === 'true') {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return 0;
    }
    const out = [`${file}: Rietveld ${r.stopReason}, ${r.iterations} iterations, Rwp ${(100 * r.Rwp).toFixed(2)} %, GoF ${r.gof.toFixed(3)}`];
    for (const p of r.phases)
      out.push(
        `  ${p.name} (${p.spaceGroup}): a ${p.a.toFixed(5)} ± ${p.aSigma.toFixed(5)} Å, c ${p.c.toFixed(5)} ± ${p.cSigma.toFixed(5)} Å, W ${(100 * p.weightFraction).toFixed(2)} %` +
          (p.zO !== undefined ? `, z(O) ${p.zO.toFixed(5)} ± ${p.zOSigma!.toFixed(5)} (M at 3a), antisite ${p.antisite!.toFixed(4)} ± ${p.antisiteSigma!.toFixed(4)}, d_TM–O ${p.dTMO!.toFixed(4)} ± ${p.dTMOSigma!.toFixed(4)} Å` : ''),
      );
    process.stdout.write(out.join('\n') + '\n');
    warnAtBounds(r.atBounds);
    return 0;
  }
  const summary = summarize(fitPattern(scan, model));
  if (flag(args, 'json') === 'true') {
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    return 0;
  }
  const f = (v: number, s: number, d = 5) => `${v.toFixed(d)} ± ${s.toFixed(d)}`;
  const lines = [`${file}: ${summary.stopReason}, ${summary.iterations} iterations, Rwp ${(100 * summary.Rwp).toFixed(2)} %, χ²_red ${summary.chi2red.toFixed(3)}, GoF ${summary.gof.toFixed(3)}`];
  for (const p of summary.phases)
    lines.push(
      `  ${p.name} (${p.spaceGroup}): a ${f(p.a, p.aSigma)} Å, c ${f(p.c, p.cSigma)} Å, V ${f(p.volume, p.volumeSigma, 3)} Å³, ε_iso ${p.strain.iso.toExponential(3)}, ε_001 ${p.strain.e001.toExponential(3)} ± ${p.strain.e001Sigma.toExponential(2)}${p.size.model !== 'none' ? `, L ${p.size.lengthNm.toFixed(1)} ± ${p.size.lengthNmSigma.toFixed(1)} nm (Scherrer, K = ${p.size.scherrerK}; ⟨L⟩_V ${p.size.volumeWeightedNm.toFixed(1)} nm, ζ_s ${p.size.zeta.toFixed(2)})` : ''}${p.fwhm003Deg ? `, FWHM(003) ${p.fwhm003Deg.toFixed(5)}°` : ''}`,
    );
  lines.push(`  zero ${f(summary.zeroDeg, summary.zeroSigma)}°`);
  if (summary.profile.shape === 'pearsonVII') {
    const { m, mSigma } = summary.profile;
    lines.push(`  Pearson VII m = ${f(m[0], mSigma[0], 3)} + (${f(m[1], mSigma[1], 3)})·100/2θ + (${f(m[2], mSigma[2], 3)})·(100/2θ)²`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  warnAtBounds(summary.atBounds);
  return 0;
}

/** A fit that ended with parameters on the edge of their search window is not a minimum: say so on stderr. */
function warnAtBounds(names: readonly string[]): void {
  if (!names.length) return;
  process.stderr.write(`warning: ${atBoundsWarning(names)}\n`);
}

/** The files of a series: a folder (natural order, scan files only), or files given one by one. */
export function seriesFiles(inputs: readonly string[], read?: Parameters<typeof seriesPatterns>[2]): string[] {
  // Folders give their scans; a multi-scan file (a NeXus series) gives one pattern `FILE#N` per scan.
  const out = seriesPatterns(nodeFileAccess, inputs, read);
  if (!out.length) throw new UsageError('no scan files found');
  return out;
}

async function sequential(args: ParsedArgs): Promise<number> {
  // Files read to expand multi-scan files are read again only by the workers, not for their header times.
  const read = memoizedReader(Number.POSITIVE_INFINITY);
  const files = seriesFiles(args.positional, read);
  const out = flag(args, 'out');
  if (!out) throw new UsageError('sequential needs --out results.csv');
  if (files.some((f) => path.resolve(f) === path.resolve(out))) throw new UsageError('--out is one of the input files');
  const model = modelOptions(args);
  const method = flag(args, 'method');
  if (method === 'rietveld' || method === 'peaks') throw new UsageError(`sequential fits by pawley or lebail, not ${method}`);
  const requestedWorkers = numberFlag(args, 'workers');
  if (requestedWorkers !== undefined && !(Number.isInteger(requestedWorkers) && requestedWorkers >= 1))
    throw new UsageError(`--workers must be a whole number ≥ 1, got ${requestedWorkers}`);
  const clock = { timeZone: flag(args, 'timezone'), clockOffsetS: numberFlag(args, 'clock-offset-s') };
  const warnings: string[] = [];

  // Times: a scan log, a start and a period, or the files' own headers.
  let exposures: (Exposure | undefined)[];
  const log = flag(args, 'times');
  const start = flag(args, 'start');
  if (log === 'mtime') {
    exposures = exposuresFromModificationTimes(
      files.map((f) => fs.statSync(parseScanRef(f, fs.existsSync).file).mtimeMs / 1000),
      numberFlag(args, 'exposure-s'),
    );
    warnings.push('pattern times are the files\' modification times (taken as the end of each exposure)');
  } else if (log) {
    const match = matchScanLog(files, parseScanLog(fs.readFileSync(log, 'utf8'), clock));
    exposures = [...match.exposures];
    warnings.push(...match.warnings);
  } else if (start) {
    const period = numberFlag(args, 'period-s');
    if (period === undefined) throw new UsageError('--start needs --period-s P');
    if (!(period > 0)) throw new UsageError(`--period-s must be a positive number of seconds, got ${period}`);
    exposures = exposuresFromPeriod(files.length, parseTimestampUnixS(start, clock), period);
  } else {
    exposures = files.map((f) => {
      try {
        return exposureFromHeader(readScan(nodeFileAccess, f, {}, read), clock);
      } catch (e) {
        warnings.push(`${path.basename(f)}: ${(e as Error).message}`);
        return undefined;
      }
    });
  }

  // Lithium content: from cycler files, or from a c_Li table.
  let patterns: AlignedPattern[];
  let cLiOverride: Float64Array | undefined;
  const echemFiles = args.flags.get('echem');
  const clis = flag(args, 'clis');
  if (echemFiles?.length) {
    const li = lithiumTimeline(readEchemFiles(echemFiles), lithiumOptions(args));
    const aligned = alignPatterns(files, exposures, li.timeline);
    patterns = aligned.patterns;
    warnings.push(...li.warnings, ...aligned.warnings);
  } else if (clis) {
    const table = readClisTable(fs.readFileSync(clis, 'utf8'));
    if (table.kind === 'by-file') {
      patterns = timedPatterns(files, exposures);
      const assigned = assignLithiumByFile(files, table.rows);
      cLiOverride = assigned.cLi;
      warnings.push(...assigned.warnings);
    } else {
      const aligned = alignPatterns(files, exposures, table.timeline);
      patterns = aligned.patterns;
      warnings.push(...aligned.warnings);
    }
  } else patterns = timedPatterns(files, exposures);

  const branchKeys = patterns.some((p) => p.branch !== undefined) ? seedBranchKeys(patterns) : undefined;
  // One thread a chunk: more threads than patterns would have nothing to fit.
  const workers = Math.min(requestedWorkers ?? Math.max(1, Math.min(os.availableParallelism(), 8)), files.length);
  let cancelled = false;
  process.once('SIGINT', () => {
    cancelled = true;
    process.stderr.write('\ncancelling: finished patterns are kept\n');
  });
  const cacheDir = args.flags.has('no-cache') ? undefined : (flag(args, 'cache') ?? defaultCacheDir());
  const t0 = Date.now();
  const run = await runSequentialRefinement({
    files,
    model,
    workers,
    cache: cacheDir ? openDiskCache(cacheDir) : undefined,
    branchOf: branchKeys ? (i) => branchKeys[i] : undefined,
    fileAccess: nodeFileAccess,
    isCancelled: () => cancelled,
    // A terminal gets one updating line; a log (CI) gets a line every 10 %.
    onProgress: (done, total, etaS) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} patterns, ETA ${etaS.toFixed(0)} s   `);
      else if (done === total || Math.floor((10 * done) / total) > Math.floor((10 * (done - 1)) / total))
        process.stderr.write(`${done}/${total} patterns, ETA ${etaS.toFixed(0)} s\n`);
    },
  });
  const table = resultsTable(patterns, run, cLiOverride);
  fs.writeFileSync(out, resultsTableToCsv(table));
  const seconds = (Date.now() - t0) / 1000;
  const fromCache = run.entries.filter((e) => e?.fromCache).length;
  process.stderr.write(
    `\n${out}: ${run.done}/${files.length} patterns in ${seconds.toFixed(2)} s (${(run.done / seconds).toFixed(1)} patterns/s, ${workers} workers` +
      `${cacheDir ? `, ${fromCache} from the cache in ${cacheDir}` : ''})${run.cancelled ? ', cancelled' : ''}\n`,
  );
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  const failures = failureLines(run.entries, files.map((f) => path.basename(f)));
  for (const line of failures) process.stderr.write(`error: ${line}\n`);
  if (run.cancelled) return 130;
  // Nothing fitted is a failed run (a CI job must see it); some failures among good fits are reported above.
  return failures.length > 0 && run.entries.every((e) => !e?.result) ? 1 : 0;
}

/** `calibrate FILE --standard lab6|ceo2|si [--refine wavelength,zero,displacement] --out FILE.instprm|FILE.irf [--json]`. */
async function calibrate(args: ParsedArgs): Promise<number> {
  const file = args.positional[0];
  if (!file) throw new UsageError('calibrate needs a FILE');
  const standard = flag(args, 'standard');
  if (!standard || !(standard.toLowerCase() in STANDARDS)) throw new UsageError(`--standard must be one of ${Object.keys(STANDARDS).join(', ')}`);
  const refineText = args.flags.get('refine');
  const refine = refineText?.flatMap((t) => t.split(',')).filter(Boolean) as CalibrationTarget[] | undefined;
  if (refine?.some((t) => !['wavelength', 'zero', 'displacement'].includes(t))) throw new UsageError('--refine takes wavelength, zero and/or displacement');
  const out = flag(args, 'out');
  if (!out) throw new UsageError('calibrate needs --out FILE.instprm (or FILE.irf)');
  const scan = readScan(nodeFileAccess, file, {});
  const wavelengths = wavelengthOption(args);
  if (!wavelengths?.length && !scan.wavelengths.length)
    throw new UsageError(`${file} states no wavelength: give --wavelength Å, --energy-kev E or --anode Cu|Mo|Co|Ag`);
  const range = flag(args, 'range');
  const cal = calibrateInstrument(scan, standard, { wavelengths, refine, rangeDeg: range ? rangeOf(range, '--range') : undefined });
  fs.writeFileSync(out, isIrfFile(out) ? formatIrf(cal.instrument, cal.wavelengths, `calibration on ${cal.standard}, sigma(lambda)/lambda ${cal.wavelengthRelativeSigma}`) : formatCalibrationInstprm(cal));
  const { fit: _fit, ...summary } = cal;
  if (flag(args, 'json') === 'true') process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  else
    process.stdout.write(
      `${file}: ${cal.standard} (a held at ${cal.cell.a} Å), ${cal.stopReason}, GoF ${cal.gof.toFixed(3)}; λ ${cal.wavelengthAngstrom.toFixed(6)} ± ${cal.wavelengthSigmaAngstrom.toExponential(2)} Å, zero ${cal.zeroDeg.toFixed(4)} ± ${cal.zeroSigma.toFixed(4)}°, displacement ${cal.displacementMm.toFixed(4)} ± ${cal.displacementSigma.toFixed(4)} mm → ${out}\n`,
    );
  return 0;
}

/** `capillary:μR`, `transmission:μt`, `bragg-brentano` or `bragg-brentano:μt`. */
function absorptionOf(text: string): AbsorptionModel {
  const [geometry, value, ...rest] = text.split(':');
  const number = value === undefined ? undefined : Number(value);
  if (rest.length || (value !== undefined && !(Number.isFinite(number) && number! >= 0)))
    throw new UsageError(`--absorption ${text}: expected capillary:μR, transmission:μt or bragg-brentano[:μt] with a number ≥ 0`);
  if (geometry === 'capillary' && number !== undefined) return { geometry, muR: number };
  if (geometry === 'transmission' && number !== undefined) return { geometry, muT: number };
  if (geometry === 'bragg-brentano') return number === undefined ? { geometry } : { geometry, muT: number };
  throw new UsageError(`--absorption ${text}: expected capillary:μR, transmission:μt or bragg-brentano[:μt]`);
}

export const refineCommands = {
  usage: `  fit FILE --phase layered[:a,c] [--phase al|cu|graphite|li|steel|spinel …] [--wavelength Å | --energy-kev E | --anode Cu|Mo|Co|Ag]
        [--instrument FILE.instprm|FILE.irf] [--range from:to] [--exclude from:to[deg|A|invA] …] [--strain none|iso|uniaxial001|stephens]
        [--size none|iso] [--profile tch|pearson7] [--method pawley|lebail|peaks|rietveld] [--composition NMC811|NMC622|NMC111|LNO|LCO] [--internal-standard al[:a]] [--json]
        [--absorption capillary:μR|transmission:μt|bragg-brentano[:μt]] (rietveld only; default a thick flat specimen)
        (pawley by default; an internal standard keeps its reference cell and fixes the detector-distance scale ΔD/D)
  calibrate FILE --standard lab6|lab6_660b|ceo2|si [--refine wavelength,zero,displacement] [--wavelength Å | --anode …]
        [--range from:to] --out FILE.instprm|FILE.irf [--json]
  sequential FILES|DIR|'PATTERN' --phase … [fit options] [--clis CSV] [--echem FILE… mass/composition options --c0 C]
        [--times LOG.csv | --times mtime [--exposure-s E] | --start ISO --period-s P] [--timezone Z] [--workers N]
        [--cache DIR | --no-cache] --out results.csv`,
  handlers: { fit, sequential, calibrate } as Record<string, (args: ParsedArgs) => Promise<number>>,
};
