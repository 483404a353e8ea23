/**
 * Value types for electrochemistry (cycler and potentiostat) records. Column names are canonical and carry
 * their unit, so downstream code never guesses: `time_s`, `voltage_V`, `current_mA`, `charge_mAh`, `cycle`, `step`.
 */

/** Canonical column names with units. Readers map their own names onto these and keep the rest under their own names. */
export const EchemColumn = {
  time_s: 'time_s',
  voltage_V: 'voltage_V',
  current_mA: 'current_mA',
  charge_mAh: 'charge_mAh',
  chargeCapacity_mAh: 'chargeCapacity_mAh',
  dischargeCapacity_mAh: 'dischargeCapacity_mAh',
  cycle: 'cycle',
  step: 'step',
  unixTime_s: 'unixTime_s',
} as const;
export type EchemColumn = keyof typeof EchemColumn;

/** A table of records: every column has `records` entries. */
export interface EchemRecord {
  readonly kind: 'electrochemistry';
  readonly format: string;
  readonly records: number;
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** Unit of each column, by name (canonical columns have theirs in the name). */
  readonly units: Readonly<Record<string, string>>;
  /** ISO 8601 time of `time_s = 0`, when the file gives one. */
  readonly startTime?: string;
  /**
   * How the file signs the current: 'oxidation-positive' (EC-Lab: I > 0 charges a cathode) or as stored.
   */
  readonly currentSign: 'oxidation-positive' | 'unknown';
  readonly technique?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly warnings: readonly string[];
}
