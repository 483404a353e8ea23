/**
 * Active mass of an electrode (science.md §6): given directly, or electrode area × coating loading
 * × active fraction.
 */

/** Either the active mass itself, or the electrode's area, coating loading and active fraction. */
export type ActiveMassInput =
  | { readonly activeMassMg: number }
  | {
      readonly areaCm2: number;
      readonly loadingMgPerCm2: number;
      /**
       * Mass fraction of active material in the dried coating (0–1). Ignored when `loadingIsActive`
       * is true.
       */
      readonly activeFraction?: number;
      /**
       * True when the loading already means active mass per area (science.md §6: do not multiply
       * twice).
       */
      readonly loadingIsActive?: boolean;
    };

/**
 * Active mass in mg. Paper: 10.24 cm² × 10.4 mg/cm² × 0.96 = 102.2 mg NMC811.
 * @throws RangeError when a quantity is missing, non-finite or non-positive, or a fraction is
 * outside (0, 1].
 */
export function activeMassMg(input: ActiveMassInput): number {
  if ('activeMassMg' in input) {
    positive(input.activeMassMg, 'active mass (mg)');
    return input.activeMassMg;
  }
  positive(input.areaCm2, 'electrode area (cm²)');
  positive(input.loadingMgPerCm2, 'loading (mg/cm²)');
  if (input.loadingIsActive) return input.areaCm2 * input.loadingMgPerCm2;
  const f = input.activeFraction;
  if (f === undefined) throw new RangeError('active fraction is required unless the loading is already active mass');
  if (!(f > 0 && f <= 1)) throw new RangeError(`active fraction must be in (0, 1], got ${f}`);
  return input.areaCm2 * input.loadingMgPerCm2 * f;
}

function positive(x: number, what: string): void {
  if (!(Number.isFinite(x) && x > 0)) throw new RangeError(`${what} must be a positive number, got ${x}`);
}
