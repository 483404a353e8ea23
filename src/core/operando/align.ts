/**
 * Pattern ↔ electrochemistry alignment (science.md §6): every pattern gets c_Li, voltage, current
 * and time at the
 * middle of its exposure, plus the c_Li range its exposure covers.
 */
import { bisectRight, interpolateLinear } from './interpolate.ts';
import type { Branch, LithiumTimeline } from './lithium.ts';
import { exposureMidUnixS, type Exposure } from './seriesTimes.ts';

/** Defaults of {@link alignPatterns}, in one place. */
export const ALIGN_DEFAULTS = {
  /**
   * Flag a pattern whose exposure spans more c_Li than this (science.md §6: a 15-min 1C lab scan
   * spans ≈ 0.2).
   */
  maxSpanCLi: 0.02,
} as const;

/** Flags a pattern can carry from alignment. */
export const AlignFlag = {
  outsideRecord: 'outside-record',
  partlyOutsideRecord: 'partly-outside-record',
  wideSpan: 'wide-c_Li-span',
  noTime: 'no-time',
} as const;
export type AlignFlag = (typeof AlignFlag)[keyof typeof AlignFlag];

/**
 * One pattern with its electrochemical state. Values are NaN where the pattern lies outside the
 * record.
 */
export interface AlignedPattern {
  readonly file: string;
  readonly startUnixS: number;
  readonly endUnixS: number;
  /** Middle of the exposure, in Unix seconds. */
  readonly midUnixS: number;
  /** Seconds from the series start (the earliest exposure start) to this pattern's midpoint. */
  readonly timeS: number;
  readonly cLi: number;
  /** max − min of c_Li over the exposure. */
  readonly cLiSpan: number;
  readonly cLiMin: number;
  readonly cLiMax: number;
  readonly voltageV: number;
  readonly currentMilliamp: number;
  readonly cycle: number;
  readonly step: number;
  /** Branch of the sample at or before the midpoint; undefined outside the record. */
  readonly branch: Branch | undefined;
  readonly flags: readonly AlignFlag[];
}

/** Options of {@link alignPatterns}. */
export interface AlignOptions {
  readonly maxSpanCLi?: number;
}

/**
 * Aligns patterns to a lithium timeline. Patterns outside the record, or all of them when the
 * clocks do not overlap,
 * produce warnings that name the files. `exposures[i]` undefined means pattern i has no time
 * (flagged, values NaN).
 */
export function alignPatterns(
  files: readonly string[],
  exposures: readonly (Exposure | undefined)[],
  timeline: LithiumTimeline,
  options: AlignOptions = {},
): { readonly patterns: AlignedPattern[]; readonly warnings: string[] } {
  if (files.length !== exposures.length) throw new RangeError('alignPatterns: files and exposures differ in length');
  const maxSpan = options.maxSpanCLi ?? ALIGN_DEFAULTS.maxSpanCLi;
  const t = timeline.unixTimeS;
  const t0 = t.length ? t[0] : Number.NaN;
  const t1 = t.length ? t[t.length - 1] : Number.NaN;
  let seriesStart = Number.POSITIVE_INFINITY;
  for (const e of exposures) if (e && e.startUnixS < seriesStart) seriesStart = e.startUnixS;

  const warnings: string[] = [];
  const outside: string[] = [];
  const partly: string[] = [];
  const patterns = files.map((file, k): AlignedPattern => {
    const e = exposures[k];
    if (!e) {
      warnings.push(`${file}: no measurement time`);
      return empty(file, [AlignFlag.noTime]);
    }
    const mid = exposureMidUnixS(e);
    const flags: AlignFlag[] = [];
    const at = (ys: Float64Array): number => interpolateLinear(t, ys, mid);
    const cLi = at(timeline.cLi);
    if (Number.isNaN(cLi)) {
      outside.push(file);
      flags.push(AlignFlag.outsideRecord);
    } else if (e.startUnixS < t0 || e.endUnixS > t1) {
      partly.push(file);
      flags.push(AlignFlag.partlyOutsideRecord);
    }
    // Range of c_Li during the exposure: the interpolated ends and every sample in between.
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const visit = (c: number): void => {
      if (Number.isNaN(c)) return;
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    };
    visit(interpolateLinear(t, timeline.cLi, e.startUnixS));
    visit(interpolateLinear(t, timeline.cLi, e.endUnixS));
    for (let i = Math.max(0, bisectRight(t, e.startUnixS) + 1); i < t.length && t[i] <= e.endUnixS; i++) {
      visit(timeline.cLi[i]);
    }
    const span = hi >= lo ? hi - lo : Number.NaN;
    if (span > maxSpan) flags.push(AlignFlag.wideSpan);
    const i = bisectRight(t, mid);
    const inside = !Number.isNaN(cLi);
    return {
      file,
      startUnixS: e.startUnixS,
      endUnixS: e.endUnixS,
      midUnixS: mid,
      timeS: mid - seriesStart,
      cLi,
      cLiSpan: span,
      cLiMin: hi >= lo ? lo : Number.NaN,
      cLiMax: hi >= lo ? hi : Number.NaN,
      voltageV: at(timeline.voltageV),
      currentMilliamp: at(timeline.currentMilliamp),
      cycle: inside ? timeline.cycle[Math.max(0, i)] : Number.NaN,
      step: inside ? timeline.step[Math.max(0, i)] : Number.NaN,
      branch: inside ? timeline.branch[Math.max(0, i)] : undefined,
      flags,
    };
  });
  const timed = exposures.filter((e) => e !== undefined).length;
  if (timed > 0 && outside.length === timed) {
    warnings.push(
      `the pattern clock and the cycler clock do not overlap: patterns ${isoRange(exposures)} vs record ${iso(t0)} – ${iso(
        t1,
      )}; check the time zone and clock offset (files: ${outside.join(', ')})`,
    );
  } else if (outside.length) {
    warnings.push(`outside the electrochemistry record (no c_Li): ${outside.join(', ')}`);
  }
  if (partly.length) warnings.push(`exposure partly outside the electrochemistry record: ${partly.join(', ')}`);
  const wide = patterns.filter((p) => p.flags.includes(AlignFlag.wideSpan)).map((p) => p.file);
  if (wide.length) warnings.push(`c_Li changes by more than ${maxSpan} during the exposure of: ${wide.join(', ')}`);
  return { patterns, warnings };
}

/**
 * Assigns c_Li from a `file,c_Li` table (the `--clis` form without times): matched by full name,
 * then base name.
 * Unmatched files get NaN and a warning naming them.
 */
export function assignLithiumByFile(
  files: readonly string[],
  table: readonly { readonly file: string; readonly cLi: number }[],
): { readonly cLi: Float64Array; readonly warnings: string[] } {
  const base = (f: string): string => f.split(/[\\/]/).pop() ?? f;
  const full = new Map(table.map((r) => [r.file, r.cLi]));
  const byBase = new Map(table.map((r) => [base(r.file), r.cLi]));
  const cLi = new Float64Array(files.length);
  const missing: string[] = [];
  files.forEach((f, i) => {
    const v = full.get(f) ?? byBase.get(base(f));
    if (v === undefined) missing.push(f);
    cLi[i] = v ?? Number.NaN;
  });
  return { cLi, warnings: missing.length ? [`no c_Li in the table for: ${missing.join(', ')}`] : [] };
}

function empty(file: string, flags: AlignFlag[]): AlignedPattern {
  const nan = Number.NaN;
  return {
    file,
    startUnixS: nan,
    endUnixS: nan,
    midUnixS: nan,
    timeS: nan,
    cLi: nan,
    cLiSpan: nan,
    cLiMin: nan,
    cLiMax: nan,
    voltageV: nan,
    currentMilliamp: nan,
    cycle: nan,
    step: nan,
    branch: undefined,
    flags,
  };
}

function iso(unixS: number): string {
  return Number.isFinite(unixS) ? new Date(Math.round(unixS * 1000)).toISOString() : '?';
}

function isoRange(exposures: readonly (Exposure | undefined)[]): string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const e of exposures) {
    if (!e) continue;
    lo = Math.min(lo, e.startUnixS);
    hi = Math.max(hi, e.endUnixS);
  }
  return `${iso(lo)} – ${iso(hi)}`;
}

/**
 * Seeding branch key of each pattern for {@link runSequential}'s `branchOf`: `${cycle}:${branch}`,
 * where a pattern
 * taken during a rest joins the branch before it (a rest does not change the lattice, so the chain
 * continues), and
 * rests before any current join the first branch that follows.
 */
export function seedBranchKeys(patterns: readonly AlignedPattern[]): string[] {
  const keys: (string | undefined)[] = patterns.map((p) =>
    p.branch === undefined || p.branch === 'rest' ? undefined : `${p.cycle}:${p.branch}`,
  );
  let last: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === undefined) keys[i] = last;
    else last = keys[i];
  }
  let next: string | undefined;
  for (let i = keys.length - 1; i >= 0; i--) {
    if (keys[i] === undefined) keys[i] = next ?? 'all';
    else next = keys[i];
  }
  return keys as string[];
}
