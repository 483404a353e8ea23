/**
 * The results table of a sequential refinement (issue 5): one row per pattern, the documented
 * columns first, CSV out.
 */
import type { AlignedPattern } from './align.ts';
import { writeCsv, type CsvCell } from './csv.ts';
import type { FitLike, PhaseLike } from './sequential.ts';
import { formatIsoUtc } from './time.ts';

/** The documented columns, in order (issue 5). Per-phase and extra columns follow them. */
export const RESULT_COLUMNS = [
  'file',
  'time_s',
  'time_utc',
  'cycle',
  'branch',
  'c_Li',
  'c_Li_span',
  'voltage_V',
  'current_mA',
  'a',
  'a_sigma',
  'c',
  'c_sigma',
  'd_TM',
  'd_TM_sigma',
  'd_IL',
  'd_IL_sigma',
  'strain_001',
  'strain_001_sigma',
  'fwhm003_deg',
  'Rwp',
  'chi2red',
  'gof',
  'flags',
] as const;

/**
 * Quantities written per phase (prefixed `<phase>_` when a series has several phases).
 * `scale_relative` is the refined
 * scale, never a weight fraction; `weight_fraction` appears only when the fit gives one (Rietveld);
 * `present` is 1/0.
 */
export const PHASE_QUANTITIES = [
  'a',
  'a_sigma',
  'b',
  'b_sigma',
  'c',
  'c_sigma',
  'beta_deg',
  'beta_deg_sigma',
  'd_TM',
  'd_TM_sigma',
  'd_IL',
  'd_IL_sigma',
  'V_fu',
  'V_fu_sigma',
  'strain_001',
  'strain_001_sigma',
  'size_nm',
  'size_nm_sigma',
  'fwhm003_deg',
  'scale_relative',
  'scale_relative_sigma',
  'weight_fraction',
  'weight_fraction_sigma',
  'present',
] as const;
export type PhaseQuantity = (typeof PHASE_QUANTITIES)[number];

/** A table: column names and one record per row, cells keyed by column name. */
export interface ResultsTable {
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, CsvCell>>[];
}

/** One pattern's inputs to the table. */
export interface ResultRowInput {
  readonly pattern: AlignedPattern;
  /** Undefined when the fit failed or did not run (cancelled): the cell columns stay empty. */
  readonly result?: FitLike;
  /** Flags from the driver and elsewhere; joined with alignment flags by ';'. */
  readonly flags?: readonly string[];
  /** Overrides the pattern's c_Li (e.g. a `file,c_Li` table). */
  readonly cLi?: number;
}

/**
 * Is this a layered (LiMO2-like) phase? Explicit when the caller says; otherwise monoclinic with b
 * and β, or hexagonal
 * with c/a > 4.5 (layered oxides ≈ 4.95; graphite ≈ 2.7, so it is not taken for one).
 */
export function isLayeredPhase(phase: PhaseLike): boolean {
  if (phase.layered !== undefined) return phase.layered;
  if (phase.a === undefined || phase.c === undefined) return false;
  if (phase.beta !== undefined) return phase.b !== undefined;
  return phase.c / phase.a > 4.5;
}

/**
 * Derived quantities of one phase with σ (uncorrelated propagation). Layered hexagonal: d_TM = a,
 * d_IL = c/3,
 * V_fu = (√3/2) a² c / 3. Layered monoclinic C2/m: d_TM = b, d_IL = c sin β, V_fu = a b c sin β / 2
 * (science.md §2).
 * Otherwise V_fu only when `z` is given (cubic from a, hexagonal from a and c).
 */
export function phaseQuantities(phase: PhaseLike): Record<PhaseQuantity, number> {
  const nan = Number.NaN;
  const v = (x: number | undefined): number => (x === undefined ? nan : x);
  const a = v(phase.a);
  const sa = v(phase.aSigma);
  const b = v(phase.b);
  const sb = v(phase.bSigma);
  const c = v(phase.c);
  const sc = v(phase.cSigma);
  const betaDeg = v(phase.beta);
  const sBetaDeg = v(phase.betaSigma);
  const layered = isLayeredPhase(phase);
  const mono = phase.beta !== undefined && phase.b !== undefined;
  let dTM = nan;
  let sdTM = nan;
  let dIL = nan;
  let sdIL = nan;
  let vfu = nan;
  let svfu = nan;
  const rad = Math.PI / 180;
  if (mono) {
    const sinB = Math.sin(betaDeg * rad);
    const cosB = Math.cos(betaDeg * rad);
    const z = phase.z ?? (layered ? 2 : nan);
    vfu = (a * b * c * sinB) / z;
    svfu = Math.abs(vfu) * Math.hypot(sa / a, sb / b, sc / c, (cosB / sinB) * sBetaDeg * rad);
    if (layered) {
      dTM = b;
      sdTM = sb;
      dIL = c * sinB;
      sdIL = Math.hypot(sinB * sc, c * cosB * sBetaDeg * rad);
    }
  } else if (phase.c !== undefined) {
    const z = phase.z ?? (layered ? 3 : nan);
    vfu = ((Math.sqrt(3) / 2) * a * a * c) / z;
    svfu = vfu * Math.hypot((2 * sa) / a, sc / c);
    if (layered) {
      dTM = a;
      sdTM = sa;
      dIL = c / 3;
      sdIL = sc / 3;
    }
  } else if (phase.a !== undefined && phase.z !== undefined) {
    vfu = (a * a * a) / phase.z;
    svfu = (vfu * 3 * sa) / a;
  }
  return {
    a,
    a_sigma: sa,
    b,
    b_sigma: sb,
    c,
    c_sigma: sc,
    beta_deg: betaDeg,
    beta_deg_sigma: sBetaDeg,
    d_TM: dTM,
    d_TM_sigma: sdTM,
    d_IL: dIL,
    d_IL_sigma: sdIL,
    V_fu: vfu,
    V_fu_sigma: svfu,
    strain_001: v(phase.strain?.e001),
    strain_001_sigma: v(phase.strain?.e001Sigma),
    size_nm: v(phase.size?.lengthNm),
    size_nm_sigma: v(phase.size?.lengthNmSigma),
    fwhm003_deg: v(phase.fwhm003Deg),
    scale_relative: v(phase.scale),
    scale_relative_sigma: v(phase.scaleSigma),
    weight_fraction: v(phase.weightFraction),
    weight_fraction_sigma: v(phase.weightFractionSigma),
    present: phase.present === undefined ? nan : phase.present ? 1 : 0,
  };
}

/**
 * A phase name made safe as a column prefix: runs of anything but letters, digits, '-' and '.'
 * become '_'.
 */
export function phasePrefix(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]+/g, '_');
}

/**
 * Builds the results table. The documented columns come first, in {@link RESULT_COLUMNS} order,
 * holding the first
 * layered phase (or the only phase); then V_fu, b, β and the c_Li range of the exposure; then, when
 * the series has
 * several phases, every phase's {@link PHASE_QUANTITIES} prefixed by its name. Columns that would
 * be empty in every
 * row among the extras are left out.
 */
export function buildResultsTable(inputs: readonly ResultRowInput[]): ResultsTable {
  const names: string[] = [];
  for (const r of inputs) for (const p of r.result?.phases ?? []) if (!names.includes(p.name)) names.push(p.name);
  const several = names.length > 1;
  const rows = inputs.map((input) => {
    const p = input.pattern;
    const res = input.result;
    const phases = res?.phases ?? [];
    const main = phases.find((ph) => isLayeredPhase(ph)) ?? (phases.length === 1 ? phases[0] : undefined);
    const q = main ? phaseQuantities(main) : undefined;
    const flags = [...p.flags, ...(input.flags ?? [])];
    const row: Record<string, CsvCell> = {
      file: p.file,
      time_s: p.timeS,
      time_utc: formatIsoUtc(p.midUnixS),
      cycle: p.cycle,
      branch: p.branch ?? '',
      c_Li: input.cLi ?? p.cLi,
      c_Li_span: p.cLiSpan,
      voltage_V: p.voltageV,
      current_mA: p.currentMilliamp,
      Rwp: res?.Rwp,
      chi2red: res?.chi2red,
      gof: res?.gof,
      detector_distance_rel: res?.detectorDistanceRelativeSigma ? res.detectorDistanceRelative : undefined,
      detector_distance_rel_sigma: res?.detectorDistanceRelativeSigma || undefined,
      flags: [...new Set(flags)].join(';'),
      c_Li_min: p.cLiMin,
      c_Li_max: p.cLiMax,
      start_utc: formatIsoUtc(p.startUnixS),
      end_utc: formatIsoUtc(p.endUnixS),
    };
    if (q) for (const k of PHASE_QUANTITIES) row[k] = q[k];
    if (several) {
      for (const ph of phases) {
        const pq = phaseQuantities(ph);
        for (const k of PHASE_QUANTITIES) row[`${phasePrefix(ph.name)}_${k}`] = pq[k];
      }
    }
    return row;
  });
  const filled = (col: string): boolean =>
    rows.some((r) => {
      const v = r[col];
      return v !== undefined && v !== '' && !(typeof v === 'number' && !Number.isFinite(v));
    });
  const extras = [
    'size_nm',
    'size_nm_sigma',
    'b',
    'b_sigma',
    'beta_deg',
    'beta_deg_sigma',
    'V_fu',
    'V_fu_sigma',
    'scale_relative',
    'scale_relative_sigma',
    'weight_fraction',
    'weight_fraction_sigma',
    'present',
    'detector_distance_rel',
    'detector_distance_rel_sigma',
  ];
  const columns: string[] = [...RESULT_COLUMNS, ...extras.filter(filled), 'c_Li_min', 'c_Li_max', 'start_utc', 'end_utc'];
  if (several) {
    for (const n of names) for (const k of PHASE_QUANTITIES) {
      const col = `${phasePrefix(n)}_${k}`;
      if (filled(col)) columns.push(col);
    }
  }
  return { columns, rows };
}

/** The table as RFC 4180 CSV with a header row. */
export function resultsTableToCsv(table: ResultsTable): string {
  return writeCsv(table.columns, table.rows);
}
