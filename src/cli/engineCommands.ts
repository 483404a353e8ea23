/** CLI commands on the engine: echem (lithium content), and the refinement commands registered beside it. */
import fs from 'node:fs';
import { flag, numberFlag, UsageError, type ParsedArgs } from './args.ts';
import { readAny } from '../worker/api.ts';
import { nodeFileAccess } from '../worker/nodeFiles.ts';
import type { EchemRecord } from '../core/data/echem.ts';
import type { ActiveMassInput } from '../core/operando/activeMass.ts';
import { lithiumTimeline, type LithiumOptions } from '../core/operando/lithium.ts';
import { lithiumTableToCsv } from '../core/operando/lithiumTable.ts';
import { parseCsv } from '../core/operando/csv.ts';
import { analyzeResults, untrustedFit } from '../core/analysis/analyzeResults.ts';
import { reportSpecs } from '../core/plot/reportSpecs.ts';
import { safeWindows } from '../core/analysis/stateOfChargeWindow.ts';
import { fitMasterCurve } from '../core/analysis/masterCurve.ts';
import { renderSvg } from '../worker/svg.ts';
import path from 'node:path';
import { refineCommands } from './refineCommands.ts';

/** The mass and composition options shared by `echem` and `sequential`. */
export function lithiumOptions(args: ParsedArgs): LithiumOptions {
  const mass = numberFlag(args, 'active-mass-mg');
  const area = numberFlag(args, 'area-cm2');
  const loading = numberFlag(args, 'loading-mg-cm2');
  const fraction = numberFlag(args, 'active-fraction');
  let activeMass: ActiveMassInput;
  const fromArea = area !== undefined || loading !== undefined || fraction !== undefined;
  if (mass !== undefined && fromArea) throw new UsageError('give the active mass one way: --active-mass-mg M, or --area-cm2 A --loading-mg-cm2 L --active-fraction F, not both');
  if (mass !== undefined) activeMass = { activeMassMg: mass };
  else if (area !== undefined && loading !== undefined && fraction !== undefined) activeMass = { areaCm2: area, loadingMgPerCm2: loading, activeFraction: fraction };
  // A loading is usually of the whole coating (active material, carbon, binder): its active share is never assumed.
  else if (fromArea) throw new UsageError('--area-cm2 A --loading-mg-cm2 L --active-fraction F go together (F = 1 when the loading is of active material alone)');
  else throw new UsageError('give --active-mass-mg M, or --area-cm2 A --loading-mg-cm2 L --active-fraction F');
  const composition = flag(args, 'composition');
  if (!composition) throw new UsageError('--composition is required (e.g. NMC811, LNO, LiNi0.8Mn0.1Co0.1O2)');
  return {
    activeMass,
    composition,
    cLi0: numberFlag(args, 'c0'),
    chargeFrom: flag(args, 'capacity-column') === 'true' ? 'capacity' : 'current',
    timeZone: flag(args, 'timezone'),
    clockOffsetS: numberFlag(args, 'clock-offset-s'),
  };
}

export function readEchemFiles(files: readonly string[]): EchemRecord[] {
  return files.map((f) => {
    const data = readAny(nodeFileAccess, f);
    if (data.kind !== 'electrochemistry') throw new UsageError(`${f} is a diffraction file, not a cycler record`);
    return data;
  });
}

function echem(args: ParsedArgs): number {
  if (!args.positional.length) throw new UsageError('echem needs at least one cycler FILE');
  const out = flag(args, 'out');
  if (!out) throw new UsageError('echem needs --out lithium.csv');
  if (args.positional.some((f) => fs.realpathSync(f) === (fs.existsSync(out) ? fs.realpathSync(out) : ''))) throw new UsageError('--out is one of the input files');
  const result = lithiumTimeline(readEchemFiles(args.positional), lithiumOptions(args));
  fs.writeFileSync(out, lithiumTableToCsv(result.timeline));
  for (const s of result.signs) process.stderr.write(`current sign: ${JSON.stringify(s)}\n`);
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stderr.write(`${out}: ${result.timeline.cLi.length} rows, active mass ${result.activeMassMg} mg, M ${result.molarMassGPerMol.toFixed(3)} g/mol\n`);
  return 0;
}

/** Rows of a CSV file as objects (numbers stay strings; the analyses parse them). */
export function readRows(file: string): Record<string, string>[] {
  const table = parseCsv(fs.readFileSync(file, 'utf8'));
  return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i] ?? ''])));
}

function safeWindowOf(onset: { value: number; sigma: number }, rows: Record<string, string>[]) {
  const c = rows.map((r) => Number(r.c_Li)).filter(Number.isFinite);
  const [w] = safeWindows(onset.value, onset.sigma, [{ name: 'series', cLiMax: Math.max(...c), cLiMin: Math.min(...c) }]);
  return { cLiFrom: w.cLiFrom, cLiTo: w.cLiTo, socAtCritical: w.socAtCritical, socAtCriticalSigma: w.socAtCriticalSigma };
}

async function analyze(args: ParsedArgs): Promise<number> {
  if (!args.positional.length) throw new UsageError('analyze needs at least one results.csv');
  const window = numberFlag(args, 'window');
  const options = window !== undefined ? { window } : {};
  const strainColumn = flag(args, 'strain-column');
  const columns = strainColumn ? { strain: strainColumn } : undefined;
  const series = args.positional.map((file) => {
    const rows = readRows(file);
    return { name: path.basename(file).replace(/\.csv$/i, ''), file, rows, analysis: analyzeResults(rows, { ...options, columns }) };
  });
  for (const s of series) {
    const n = s.analysis.leftOut.length;
    if (n) process.stderr.write(`${s.file}: ${n} row(s) left out, their fits flagged unresolved, at-bound or error (rows ${s.analysis.leftOut.map((i) => i + 1).join(', ')})\n`);
  }
  const pick = (a: (typeof series)[number]['analysis'], rows?: Record<string, string>[]) => ({
    dIL_max_cLi: a.dIL_max_cLi,
    dTM_plateau_cLi: a.dTM_plateau_cLi,
    dTM_maxslope_cLi: a.dTM_maxslope_cLi,
    strain_onset_cLi: a.strain_onset_cLi,
    masterCurve: a.masterCurve ?? null,
    // The safe window: c_Li above the strain onset, and the state of charge it is reached at over this series' c_Li range.
    safeWindow: rows && a.strain_onset_cLi.status !== 'none' ? safeWindowOf(a.strain_onset_cLi, rows) : null,
  });
  let result: unknown;
  if (series.length === 1) result = { file: series[0].file, ...pick(series[0].analysis, series[0].rows), branches: series[0].analysis.branches };
  else {
    const perBranch = series.flatMap((s) => s.analysis.branches.map((b) => ({ file: s.file, direction: b.direction, start: b.start, end: b.end, ...pick({ ...b, branches: [], leftOut: [] }) })));
    // One master curve over every series: λ and c* shared (science.md §7).
    const strainOf = (all: Record<string, string>[]) => {
      const rows = all.filter((r) => !untrustedFit(r.flags));
      return { cLi: rows.map((r) => Number(r.c_Li)), strain: rows.map((r) => Number(r[strainColumn ?? 'strain_001'])) };
    };
    let masterCurve: unknown = null;
    try {
      const fit = fitMasterCurve(series.map((s) => ({ name: s.name, ...strainOf(s.rows) })));
      masterCurve = { eps0: fit.eps0, A: fit.A, lambda: fit.lambda, lambdaSigma: fit.lambdaSigma, cStar: fit.cStar, cStarSigma: fit.cStarSigma };
    } catch (e) {
      masterCurve = { error: (e as Error).message };
    }
    result = { series: perBranch, masterCurve };
  }
  const svgDir = flag(args, 'svg');
  if (svgDir) {
    fs.mkdirSync(svgDir, { recursive: true });
    const specs = reportSpecs(series.map((s) => ({ name: s.name, rows: s.rows, analysis: s.analysis })), { ...options, ...(strainColumn ? { strainColumn } : {}) });
    for (const [name, spec] of Object.entries(specs)) {
      const target = path.join(svgDir, `${name}.svg`);
      fs.writeFileSync(target, await renderSvg(spec));
      process.stderr.write(`wrote ${target}\n`);
    }
  }
  if (flag(args, 'json') === 'true') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    const fmt = (c: { value: number; sigma: number; status: string }) => `${c.value.toFixed(3)} ± ${c.sigma.toFixed(3)} (${c.status})`;
    for (const s of series) {
      const a = s.analysis;
      process.stdout.write(
        `${s.file}\n  max d_IL at c_Li = ${fmt(a.dIL_max_cLi)}\n  d_TM plateau at c_Li = ${fmt(a.dTM_plateau_cLi)}\n  max d(d_TM)/dc_Li at c_Li = ${fmt(a.dTM_maxslope_cLi)}\n  strain onset c* = ${fmt(a.strain_onset_cLi)}\n`,
      );
    }
  }
  return 0;
}

export const engineCommands: { usage: string; handlers: Record<string, (args: ParsedArgs) => Promise<number> | number> } = {
  usage: `${refineCommands.usage}
  echem FILE… (--active-mass-mg M | --area-cm2 A --loading-mg-cm2 L --active-fraction F) --composition C
        [--c0 1] [--capacity-column] [--timezone Z] [--clock-offset-s S] --out lithium.csv
  analyze results.csv [results2.csv …] [--window N] [--strain-column NAME] [--json] [--svg DIR]`,
  handlers: { echem, analyze, ...refineCommands.handlers },
};
