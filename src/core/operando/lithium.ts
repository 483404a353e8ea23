/**
 * Electrochemistry → lithium content (science.md §6). Pipeline:
 *
 *   EchemRecord[] ─ absolute times (unixTime_s, or startTime + time_s; zone explicit)
 *     ─ sort and chain ─ sign convention (file, option, or per-step dV/dt)
 *     ─ cumulative trapezoidal ∫I dt (rests included) ─ c_Li = c_Li(0) − Q[C]/(F n)
 *     ─ branch (charge/discharge/rest) and cycle labels ─ LithiumTimeline
 */
import type { EchemRecord } from '../data/echem.ts';
import { activeMassMg, type ActiveMassInput } from './activeMass.ts';
import { FARADAY_C_PER_MOL, parseComposition } from './composition.ts';
import { parseTimestampUnixS, type ClockOptions } from './time.ts';

/**
 * Which way a current is signed. Oxidation-positive: I > 0 oxidises the working electrode (charges
 * a cathode).
 */
export type CurrentSign = 'oxidation-positive' | 'reduction-positive';

/**
 * The electrochemical state of a sample. Charge = oxidation of the working electrode (delithiation
 * of a cathode).
 */
export const Branch = { charge: 'charge', discharge: 'discharge', rest: 'rest' } as const;
export type Branch = keyof typeof Branch;

/** The sign convention applied to one record and how it was decided. */
export interface AppliedSign {
  readonly record: number;
  readonly convention: CurrentSign;
  /**
   * 'file': the record states it; 'option': the caller said; 'dV/dt': voted per step; 'default': no
   * evidence.
   */
  readonly source: 'file' | 'option' | 'dV/dt' | 'default';
  readonly detail: string;
}

/** Defaults of {@link lithiumTimeline}, in one place. */
export const LITHIUM_DEFAULTS = {
  /** c_Li at the first sample: 1 for a pristine cathode on its first charge (science.md §6). */
  cLi0: 1,
  /** |I| below this fraction of max |I| counts as rest. */
  restFraction: 0.005,
  /**
   * Gaps between chained records longer than this (s) are reported; no charge flows across a gap.
   */
  gapWarningS: 60,
} as const;

/** Options of {@link lithiumTimeline}. */
export interface LithiumOptions extends ClockOptions {
  /** Active mass, directly or from area × loading × fraction (science.md §6). */
  readonly activeMass: ActiveMassInput;
  /** 'NMC811', 'LNO', 'LiNi0.8Mn0.1Co0.1O2', … or a molar mass in g/mol. */
  readonly composition: string | number;
  /** c_Li at the first sample; default {@link LITHIUM_DEFAULTS}.cLi0. */
  readonly cLi0?: number;
  /**
   * 'current' (default): integrate I dt. 'capacity': use the capacity columns (charge/discharge
   * pair or charge_mAh).
   */
  readonly chargeFrom?: 'current' | 'capacity';
  /** Overrides the sign of every record whose file does not state one. */
  readonly currentSign?: CurrentSign;
  /** ISO start time per record (same order as the records) for records that carry none. */
  readonly startTimes?: readonly (string | undefined)[];
  /** Rest threshold in mA; default {@link LITHIUM_DEFAULTS}.restFraction × max |I|. */
  readonly restThresholdMilliamp?: number;
}

/** The chained record with lithium content, all columns of equal length and sorted by time. */
export interface LithiumTimeline {
  readonly unixTimeS: Float64Array;
  readonly voltageV: Float64Array;
  /** Oxidation-positive current in mA, whatever the files' convention. */
  readonly currentMilliamp: Float64Array;
  /** Cumulative oxidation charge since the first sample, in mAh (positive = charged). */
  readonly chargeMah: Float64Array;
  readonly cLi: Float64Array;
  /** Cycle number (from the file, else counted: a charge after a discharge starts a new cycle). */
  readonly cycle: Float64Array;
  /** Step number from the file; NaN where absent. */
  readonly step: Float64Array;
  readonly branch: readonly Branch[];
  /** Index of the source record of each sample. */
  readonly record: Float64Array;
}

/**
 * {@link lithiumTimeline}'s result: the timeline, the conventions applied, and what the caller must
 * be told.
 */
export interface LithiumResult {
  readonly timeline: LithiumTimeline;
  readonly signs: readonly AppliedSign[];
  readonly activeMassMg: number;
  readonly molarMassGPerMol: number;
  /** Moles of active material, n = m/M (science.md §6). */
  readonly activeMol: number;
  readonly warnings: readonly string[];
}

/**
 * Cumulative trapezoidal integral of y over t, starting at 0: out[i] = ∫_{t0}^{ti} y dt.
 * Neumaier-compensated so a
 * day of 1 s samples loses no charge to rounding.
 */
export function cumulativeTrapezoid(t: Float64Array, y: Float64Array): Float64Array {
  if (t.length !== y.length) throw new RangeError('cumulativeTrapezoid: t and y differ in length');
  const out = new Float64Array(t.length);
  let sum = 0;
  let comp = 0;
  for (let i = 1; i < t.length; i++) {
    const term = 0.5 * (y[i] + y[i - 1]) * (t[i] - t[i - 1]);
    const s = sum + term;
    comp += Math.abs(sum) >= Math.abs(term) ? sum - s + term : term - s + sum;
    sum = s;
    out[i] = sum + comp;
  }
  return out;
}

/**
 * Lithium content from charge: c_Li = c_Li(0) − Q[C] / (F n), with Q[C] = 3.6 Q[mAh] and n = m/M
 * (science.md §6).
 */
export function lithiumFromCharge(
  chargeMah: Float64Array,
  activeMassMilligram: number,
  molarMassGPerMol: number,
  cLi0: number = LITHIUM_DEFAULTS.cLi0,
): Float64Array {
  const n = activeMassMilligram / 1000 / molarMassGPerMol;
  const out = new Float64Array(chargeMah.length);
  for (let i = 0; i < out.length; i++) out[i] = cLi0 - (3.6 * chargeMah[i]) / (FARADAY_C_PER_MOL * n);
  return out;
}

/**
 * State of charge over a cycling window: SOC = (c_max − c_Li)/(c_max − c_min) (science.md §6). The
 * window defaults to
 * the data's own extremes.
 */
export function stateOfCharge(cLi: Float64Array, window?: { readonly cLiMax: number; readonly cLiMin: number }): Float64Array {
  let max = window?.cLiMax ?? Number.NEGATIVE_INFINITY;
  let min = window?.cLiMin ?? Number.POSITIVE_INFINITY;
  if (!window) {
    for (const c of cLi) {
      if (c > max) max = c;
      if (c < min) min = c;
    }
  }
  if (!(max > min)) throw new RangeError('stateOfCharge: the window has no width');
  const out = new Float64Array(cLi.length);
  for (let i = 0; i < out.length; i++) out[i] = (max - cLi[i]) / (max - min);
  return out;
}

/**
 * Branch and cycle labels from an oxidation-positive current: I > threshold → charge, I <
 * −threshold → discharge,
 * else rest. Without a cycle column, a charge that follows a discharge starts a new cycle (the
 * first is 1).
 */
export function labelBranches(
  currentMilliamp: Float64Array,
  restThresholdMilliamp: number,
  cycleColumn?: Float64Array,
): { readonly branch: Branch[]; readonly cycle: Float64Array } {
  const branch: Branch[] = new Array(currentMilliamp.length);
  const cycle = new Float64Array(currentMilliamp.length);
  const fileCycles = cycleColumn !== undefined && cycleColumn.every((c) => Number.isFinite(c));
  let count = 1;
  let seenDischarge = false;
  for (let i = 0; i < currentMilliamp.length; i++) {
    const I = currentMilliamp[i];
    const b: Branch = I > restThresholdMilliamp ? 'charge' : I < -restThresholdMilliamp ? 'discharge' : 'rest';
    if (b === 'discharge') seenDischarge = true;
    if (b === 'charge' && seenDischarge) {
      count++;
      seenDischarge = false;
    }
    branch[i] = b;
    cycle[i] = fileCycles ? (cycleColumn as Float64Array)[i] : count;
  }
  return { branch, cycle };
}

/**
 * Decides a record's sign convention from per-step dV/dt: each run of constant step (or of constant
 * current sign)
 * votes sign(I)·ΔV; oxidation raises the working electrode's potential, so a positive total means
 * oxidation-positive.
 */
export function inferCurrentSign(
  timeS: Float64Array,
  voltageV: Float64Array,
  currentMilliamp: Float64Array,
  step: Float64Array | undefined,
  restThresholdMilliamp: number,
): { readonly convention: CurrentSign | undefined; readonly votes: number; readonly unsigned: boolean } {
  let votes = 0;
  let rising = 0;
  let falling = 0;
  let negatives = 0;
  let i = 0;
  const n = currentMilliamp.length;
  while (i < n) {
    const s = Math.sign(currentMilliamp[i]);
    if (Math.abs(currentMilliamp[i]) <= restThresholdMilliamp) {
      i++;
      continue;
    }
    let j = i;
    while (
      j + 1 < n &&
      Math.sign(currentMilliamp[j + 1]) === s &&
      Math.abs(currentMilliamp[j + 1]) > restThresholdMilliamp &&
      (step === undefined || step[j + 1] === step[i] || Number.isNaN(step[i]))
    ) {
      j++;
    }
    const dV = voltageV[j] - voltageV[i];
    if (j > i && timeS[j] > timeS[i] && Number.isFinite(dV)) {
      votes += s * dV;
      if (s < 0) negatives++;
      else if (dV > 0) rising++;
      else if (dV < 0) falling++;
    }
    i = j + 1;
  }
  const unsigned = negatives === 0 && rising > 0 && falling > 0;
  const convention = votes > 0 ? 'oxidation-positive' : votes < 0 ? 'reduction-positive' : undefined;
  return { convention, votes, unsigned };
}

/**
 * Chains one or more cycler records in time order and computes c_Li at every sample (science.md
 * §6). No charge flows in
 * gaps between records; overlapping samples of a later record are dropped with a warning.
 * @throws RangeError when a record has no absolute time (no unixTime_s, no startTime, no
 * `startTimes` entry), a time
 * stamp has no zone and none is given, a needed column is missing, or the mass/composition is
 * invalid.
 */
export function lithiumTimeline(records: readonly EchemRecord[], options: LithiumOptions): LithiumResult {
  if (records.length === 0) throw new RangeError('lithiumTimeline: no records');
  const warnings: string[] = [];
  const massMg = activeMassMg(options.activeMass);
  const molarMass =
    typeof options.composition === 'number' ? options.composition : parseComposition(options.composition).molarMassGPerMol;
  if (!(molarMass > 0)) throw new RangeError('molar mass must be positive');
  const chargeFrom = options.chargeFrom ?? 'current';

  const prepared = records.map((rec, k) => prepareRecord(rec, k, options, chargeFrom));
  prepared.sort((p, q) => p.unixTimeS[0] - q.unixTimeS[0]);

  let maxAbsI = 0;
  for (const p of prepared) for (const I of p.currentRaw) if (Math.abs(I) > maxAbsI) maxAbsI = Math.abs(I);
  const restThreshold = options.restThresholdMilliamp ?? LITHIUM_DEFAULTS.restFraction * maxAbsI;

  const signs: AppliedSign[] = [];
  const keep: { p: PreparedRecord; from: number; factor: number }[] = [];
  let lastTime = Number.NEGATIVE_INFINITY;
  for (const p of prepared) {
    const sign = decideSign(p, options, restThreshold);
    signs.push(sign);
    if (sign.source === 'default' || sign.source === 'dV/dt') warnings.push(`${p.label}: ${sign.detail}`);
    let from = 0;
    while (from < p.unixTimeS.length && p.unixTimeS[from] <= lastTime) from++;
    if (from > 0) warnings.push(`${p.label}: ${from} samples overlap the previous record in time and were dropped`);
    if (from >= p.unixTimeS.length) continue;
    const gap = p.unixTimeS[from] - lastTime;
    if (Number.isFinite(gap) && gap > LITHIUM_DEFAULTS.gapWarningS) {
      warnings.push(`${p.label}: starts ${gap.toFixed(0)} s after the previous record ends; no charge counted in the gap`);
    }
    keep.push({ p, from, factor: sign.convention === 'oxidation-positive' ? 1 : -1 });
    lastTime = p.unixTimeS[p.unixTimeS.length - 1];
  }

  let total = 0;
  for (const k of keep) total += k.p.unixTimeS.length - k.from;
  const unixTimeS = new Float64Array(total);
  const voltageV = new Float64Array(total);
  const currentMilliamp = new Float64Array(total);
  const chargeMah = new Float64Array(total);
  const step = new Float64Array(total);
  const fileCycle = new Float64Array(total);
  const record = new Float64Array(total);
  let at = 0;
  let carried = 0;
  for (const { p, from, factor } of keep) {
    const len = p.unixTimeS.length - from;
    const t = p.unixTimeS.subarray(from);
    const I = new Float64Array(len);
    for (let i = 0; i < len; i++) I[i] = factor * p.currentRaw[from + i];
    // Q[mAh] = ∫ I[mA] dt[s] / 3600 (science.md §6); capacity columns are already charge.
    const q =
      chargeFrom === 'current'
        ? cumulativeTrapezoid(t, I).map((v) => v / 3600)
        : capacityIncrements(p, from, factor);
    for (let i = 0; i < len; i++) {
      unixTimeS[at + i] = t[i];
      voltageV[at + i] = p.voltageV[from + i];
      currentMilliamp[at + i] = I[i];
      chargeMah[at + i] = carried + q[i];
      step[at + i] = p.step[from + i];
      fileCycle[at + i] = p.cycle[from + i];
      record[at + i] = p.index;
    }
    carried += q[len - 1];
    at += len;
  }
  const cLi = lithiumFromCharge(chargeMah, massMg, molarMass, options.cLi0 ?? LITHIUM_DEFAULTS.cLi0);
  const { branch, cycle } = labelBranches(currentMilliamp, restThreshold, fileCycle);
  return {
    timeline: { unixTimeS, voltageV, currentMilliamp, chargeMah, cLi, cycle, step, branch, record },
    signs,
    activeMassMg: massMg,
    molarMassGPerMol: molarMass,
    activeMol: massMg / 1000 / molarMass,
    warnings,
  };
}

interface PreparedRecord {
  readonly index: number;
  readonly label: string;
  readonly record: EchemRecord;
  readonly timeS: Float64Array;
  readonly unixTimeS: Float64Array;
  readonly voltageV: Float64Array;
  readonly currentRaw: Float64Array;
  readonly step: Float64Array;
  readonly cycle: Float64Array;
}

function column(rec: EchemRecord, name: string): Float64Array | undefined {
  const c = rec.columns[name];
  return c && c.length === rec.records ? c : undefined;
}

function prepareRecord(rec: EchemRecord, index: number, options: LithiumOptions, chargeFrom: string): PreparedRecord {
  const label = `record ${index + 1} (${rec.format}${rec.metadata.file ? `, ${rec.metadata.file}` : ''})`;
  const n = rec.records;
  if (n === 0) throw new RangeError(`${label}: no samples`);
  const timeS = column(rec, 'time_s');
  const unix = column(rec, 'unixTime_s');
  const voltageV = column(rec, 'voltage_V') ?? new Float64Array(n).fill(Number.NaN);
  const currentRaw = column(rec, 'current_mA');
  if (!currentRaw && chargeFrom === 'current') throw new RangeError(`${label}: no current_mA column`);
  const unixTimeS = new Float64Array(n);
  const offset = options.clockOffsetS ?? 0;
  // A caller's start time wins; then the file's absolute column (no zone needed); then the file's
  // start stamp.
  const given = options.startTimes?.[index];
  if (given === undefined && unix && unix.every((v) => Number.isFinite(v))) {
    for (let i = 0; i < n; i++) unixTimeS[i] = unix[i] + offset;
  } else if ((given ?? rec.startTime) !== undefined && timeS) {
    const t0 = parseTimestampUnixS((given ?? rec.startTime) as string, options);
    for (let i = 0; i < n; i++) unixTimeS[i] = t0 + timeS[i];
  } else {
    throw new RangeError(`${label}: no absolute time (no startTime, no unixTime_s): give a start time for it`);
  }
  return {
    index,
    label,
    record: rec,
    timeS: timeS ?? unixTimeS.map((v) => v - unixTimeS[0]),
    unixTimeS,
    voltageV,
    currentRaw: currentRaw ?? new Float64Array(n),
    step: column(rec, 'step') ?? new Float64Array(n).fill(Number.NaN),
    cycle: column(rec, 'cycle') ?? new Float64Array(n).fill(Number.NaN),
  };
}

function decideSign(p: PreparedRecord, options: LithiumOptions, restThreshold: number): AppliedSign {
  const record = p.index;
  if (p.record.currentSign === 'oxidation-positive') {
    return { record, convention: 'oxidation-positive', source: 'file', detail: 'the file states I > 0 = oxidation' };
  }
  if (options.currentSign) {
    return { record, convention: options.currentSign, source: 'option', detail: `given as ${options.currentSign}` };
  }
  const stepCol = p.step.some((s) => Number.isFinite(s)) ? p.step : undefined;
  const inferred = inferCurrentSign(p.timeS, p.voltageV, p.currentRaw, stepCol, restThreshold);
  if (inferred.convention) {
    const extra = inferred.unsigned ? '; the current looks unsigned (never negative), so use the capacity columns' : '';
    return {
      record,
      convention: inferred.convention,
      source: 'dV/dt',
      detail: `sign not stated in the file; ${inferred.convention} inferred from dV/dt per step${extra}`,
    };
  }
  return {
    record,
    convention: 'oxidation-positive',
    source: 'default',
    detail: 'sign not stated and no dV/dt evidence; assumed oxidation-positive',
  };
}

/**
 * Charge in mAh since the first kept sample from capacity columns, in the oxidation-positive sense.
 */
function capacityIncrements(p: PreparedRecord, from: number, factor: number): Float64Array {
  const rec = p.record;
  const len = rec.records - from;
  const out = new Float64Array(len);
  const chg = column(rec, 'chargeCapacity_mAh');
  const dis = column(rec, 'dischargeCapacity_mAh');
  const net = column(rec, 'charge_mAh');
  if (chg && dis) {
    // Cycler capacities count up within a step and reset at the next: a drop restarts from zero.
    const inc = (c: Float64Array, i: number): number => (c[i] >= c[i - 1] ? c[i] - c[i - 1] : c[i]);
    for (let i = 1; i < len; i++) out[i] = out[i - 1] + inc(chg, from + i) - inc(dis, from + i);
    return out;
  }
  if (net) {
    for (let i = 1; i < len; i++) out[i] = out[i - 1] + factor * (net[from + i] - net[from + i - 1]);
    return out;
  }
  throw new RangeError(`${p.label}: no capacity columns (chargeCapacity_mAh/dischargeCapacity_mAh or charge_mAh)`);
}
