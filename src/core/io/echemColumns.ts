/**
 * Maps instrument column names onto the canonical electrochemistry columns (`time_s`, `voltage_V`, …), converting
 * units where the instrument's differ (C → mAh: 1 mAh = 3.6 C; A → mA; h → s). Original columns are kept under
 * their own names too, so nothing is lost.
 */
import type { EchemColumn } from '../data/echem.ts';

/** One rule: which canonical column a source name feeds and the factor from the source unit. */
interface Rule {
  readonly to: EchemColumn;
  readonly factor: number;
}

/** EC-Lab (BioLogic) names, as written in `.mpt` headers and by our `.mpr` column table. */
const ECLAB: Readonly<Record<string, Rule>> = {
  'time/s': { to: 'time_s', factor: 1 },
  'Ewe/V': { to: 'voltage_V', factor: 1 },
  '<Ewe>/V': { to: 'voltage_V', factor: 1 },
  'Ecell/V': { to: 'voltage_V', factor: 1 },
  'I/mA': { to: 'current_mA', factor: 1 },
  '<I>/mA': { to: 'current_mA', factor: 1 },
  '(Q-Qo)/mA.h': { to: 'charge_mAh', factor: 1 },
  '(Q-Qo)/C': { to: 'charge_mAh', factor: 1 / 3.6 },
  'Q charge/mA.h': { to: 'chargeCapacity_mAh', factor: 1 },
  'Q discharge/mA.h': { to: 'dischargeCapacity_mAh', factor: 1 },
  'cycle number': { to: 'cycle', factor: 1 },
  Ns: { to: 'step', factor: 1 },
};

/** Units of the canonical columns. */
export const CANONICAL_UNITS: Readonly<Record<EchemColumn, string>> = {
  time_s: 's',
  voltage_V: 'V',
  current_mA: 'mA',
  charge_mAh: 'mAh',
  chargeCapacity_mAh: 'mAh',
  dischargeCapacity_mAh: 'mAh',
  cycle: '',
  step: '',
  unixTime_s: 's',
};

/** The unit part of an EC-Lab name such as `time/s` or `(Q-Qo)/mA.h` ('' when there is none). */
export function unitOfName(name: string): string {
  const k = name.lastIndexOf('/');
  return k > 0 && k < name.length - 1 ? name.slice(k + 1) : '';
}

/**
 * Adds canonical columns derived from EC-Lab columns (first match wins for each canonical name) to `columns`
 * and `units`. Returns the list of canonical names added.
 */
export function addEcLabCanonical(columns: Record<string, Float64Array>, units: Record<string, string>): string[] {
  const added: string[] = [];
  for (const [name, rule] of Object.entries(ECLAB)) {
    const src = columns[name];
    if (!src || rule.to in columns) continue;
    let col = src;
    if (rule.factor !== 1) {
      col = new Float64Array(src.length);
      for (let k = 0; k < src.length; k++) col[k] = src[k] * rule.factor;
    }
    columns[rule.to] = col;
    units[rule.to] = CANONICAL_UNITS[rule.to];
    added.push(rule.to);
  }
  return added;
}
