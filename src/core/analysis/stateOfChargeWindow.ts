/**
 * The safe window (c_Li above the critical content, where crack nucleation is unlikely; Jousseaume et al. 2024)
 * mapped to a cell's state of charge SOC = (c_max − c_Li)/(c_max − c_min) (science.md §6).
 */

/** One cell's cycling window in c_Li. */
export interface CyclingWindow {
  readonly name: string;
  /** c_Li at the bottom of charge (discharged). */
  readonly cLiMax: number;
  /** c_Li at the top of charge. */
  readonly cLiMin: number;
}

/** The safe window of one cell. */
export interface SafeWindow {
  readonly name: string;
  /** Range of c_Li considered safe: [critical, cLiMax]. */
  readonly cLiFrom: number;
  readonly cLiTo: number;
  /** SOC reached at the critical content (fraction 0–1; > 1 means the cell never reaches it). */
  readonly socAtCritical: number;
  /** σ of that SOC from σ of the critical content. */
  readonly socAtCriticalSigma: number;
}

/**
 * @param criticalCLi - critical lithium content (e.g. the strain onset c*).
 * @param criticalSigma - its σ (0 when unknown).
 * @param windows - the cells' cycling windows.
 */
export function safeWindows(criticalCLi: number, criticalSigma: number, windows: readonly CyclingWindow[]): SafeWindow[] {
  return windows.map((w) => {
    const span = w.cLiMax - w.cLiMin;
    if (!(span > 0)) throw new RangeError(`safeWindows: window ${w.name} has no width`);
    return {
      name: w.name,
      cLiFrom: criticalCLi,
      cLiTo: w.cLiMax,
      socAtCritical: (w.cLiMax - criticalCLi) / span,
      socAtCriticalSigma: criticalSigma / span,
    };
  });
}
