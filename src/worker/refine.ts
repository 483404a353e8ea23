/**
 * One pattern's refinement as the sequential driver, the custom editor and the CLI use it: phase specs by name,
 * a quick peak-based estimate for seeds, a Le Bail fit seeded from a previous result, and the slim summary that
 * crosses thread boundaries (no typed arrays).
 */
import type { Scan, WavelengthLine } from '../core/data/scan.ts';
import { LE_BAIL_DEFAULTS, fitLeBail, fitPawley, type FitAgreement, type LeBailOptions, type LeBailResult, type PhaseResult } from '../core/diffraction/leBail.ts';
import { phasePreset, type Phase } from '../core/diffraction/phases.ts';
import { estimateLattice } from '../core/diffraction/peaks.ts';
import type { StrainModel } from '../core/diffraction/strain.ts';
import type { SizeModel } from '../core/diffraction/size.ts';
import type { InstrumentProfile } from '../core/diffraction/patternModel.ts';
import { fitRietveld, layeredPhase, type RietveldOptions, type RietveldPhase, type RietveldResult } from '../core/diffraction/rietveld.ts';

/** Everything that defines a refinement model, JSON-safe (it is part of the cache key). */
export interface ModelSpec {
  /** Phase specs: a preset name with optional start cell, `layered`, `layered:2.87,14.2`, `al`, `cu:3.615`. */
  readonly phases: readonly string[];
  /** Pawley by default: on our tests it is as accurate as Le Bail or better, and faster when seeded. */
  readonly method?: 'lebail' | 'pawley';
  readonly strain?: StrainModel;
  /** Crystallite size: 'iso' refines an isotropic Scherrer size L (K = 1) and its Lorentzian share; default none. */
  readonly size?: SizeModel;
  readonly rangeDeg?: readonly [number, number];
  readonly exclusions?: LeBailOptions['exclusions'];
  readonly wavelengths?: readonly WavelengthLine[];
  readonly instrument?: Partial<InstrumentProfile>;
  /** σ(λ)/λ of a calibrated instrument file: added to the cell σ in quadrature (a ∝ λ at fixed 2θ). */
  readonly wavelengthRelativeSigma?: number;
  /**
   * An internal standard present in every pattern (e.g. `al` for the current collector, `al:4.0495`): added as a phase
   * with its cell held at the reference value while the flat-detector distance error ΔD/D is refined, so that the
   * other phases' cells are measured on the standard's 2θ scale (science.md §1).
   */
  readonly internalStandard?: string;
  /** Peak shape: the TCH pseudo-Voigt (default) or a Pearson VII of the same FWHM whose exponent m₀ is refined. */
  readonly profile?: 'tch' | 'pearsonVII';
}

/** A phase from `name[:a[,c]]` (or `name:a,b,c` for orthorhombic cells). */
export function phaseFromSpec(spec: string): Phase {
  const [name, cellText] = spec.split(':');
  if (!cellText) return phasePreset(name);
  const values = cellText.split(',').map(Number);
  if (values.some((v) => !(v > 0))) throw new RangeError(`phase "${spec}": cell values must be positive numbers`);
  const [a, second, third] = values;
  return phasePreset(name, third !== undefined ? { a, b: second, c: third } : second !== undefined ? { a, c: second } : { a });
}

/** With a calibrated instrument the instrumental profile stays fixed: otherwise size and strain absorb it (science.md §3). */
const HOLD_INSTRUMENT = { U: false, V: false, W: false, P: false, X: false, Y: false, asymmetry: false } as const;

export function leBailOptions(model: ModelSpec, extra: Partial<LeBailOptions> = {}): LeBailOptions {
  const hold = model.instrument ? HOLD_INSTRUMENT : {};
  const standard = model.internalStandard ? { detectorDistance: true } : {};
  return {
    ...(model.instrument || model.internalStandard ? { refine: { ...hold, ...standard } } : {}),
    strain: model.strain,
    // Only when asked for: an absent key keeps the model (and the sequential cache key) as before.
    ...(model.size && model.size !== 'none' ? { size: model.size } : {}),
    rangeDeg: model.rangeDeg,
    exclusions: model.exclusions,
    wavelengths: model.wavelengths,
    instrument: model.instrument,
    ...(model.wavelengthRelativeSigma ? { wavelengthRelativeSigma: model.wavelengthRelativeSigma } : {}),
    // Only when asked for, as the size: the default model and the sequential cache key stay as they were.
    ...(model.profile === 'pearsonVII' ? { profile: { shape: 'pearsonVII' as const, m: LE_BAIL_DEFAULTS.pearsonStart } } : {}),
    ...extra,
  };
}

/** The model's phases, the internal standard last (its cell held fixed). */
export function modelPhases(model: ModelSpec): Phase[] {
  const phases = model.phases.map(phaseFromSpec);
  if (model.internalStandard) phases.push({ ...phaseFromSpec(model.internalStandard), fixedCell: true });
  return phases;
}

/**
 * Whole-pattern fit of one scan. Without start phases or a seed, layered phases start from the quick peak estimate
 * (003, 104, 110), not from the preset cell: a cell a few per cent away from the preset (a charged cathode) is
 * beyond what a whole-pattern least squares can bridge from the preset.
 */
export function fitPattern(scan: Scan, model: ModelSpec, extra: Partial<LeBailOptions> = {}, phases?: readonly Phase[]): LeBailResult {
  const estimated = !phases && !extra.seed;
  const use = phases ?? (extra.seed ? modelPhases(model) : quickEstimate(scan, model));
  const fit = model.method === 'lebail' ? fitLeBail : fitPawley;
  // Cells measured on this pattern are close enough for the direct refinement (the coarse stage stays the fallback).
  return fit(scan, use, leBailOptions(model, estimated ? { directStart: true, ...extra } : extra));
}

/** Start cells from a few strong reflections of each phase (layered: 003, 104, 110). */
export function quickEstimate(scan: Scan, model: ModelSpec): Phase[] {
  const withLines = model.wavelengths?.length ? { ...scan, wavelengths: model.wavelengths } : scan;
  return modelPhases(model).map((phase) => {
    if (phase.spaceGroup !== 'R-3m' || phase.fixedCell) return phase;
    try {
      const est = estimateLattice(withLines, phase, { reflections: ['003', '104', '110'], windowDeg: 0.6 });
      return { ...phase, cell: est.cell };
    } catch {
      // A pattern where the named peaks cannot be found keeps the preset cell; the fit then flags itself.
      return phase;
    }
  });
}

/** The JSON-safe summary of a fit: what tables, the driver and the CLI's JSON need. */
export interface FitSummary extends FitAgreement {
  /** Each phase as the fit reports it, without the per-reflection list; with whether it is layered and its Z. */
  readonly phases: readonly (Omit<PhaseResult, 'reflections'> & { readonly layered: boolean; readonly z?: number })[];
  /** The peak shape, with the Pearson VII exponent's terms and σ when that profile was fitted. */
  readonly profile: LeBailResult['profile'];
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  readonly displacement: number;
  /** ΔD/D and its σ (refined against an internal standard). */
  readonly detectorDistanceRelative: number;
  readonly detectorDistanceRelativeSigma: number;
  readonly converged: boolean;
  /** Refined parameters that ended on a search-window bound (see LeBailResult.atBounds). */
  readonly atBounds: readonly string[];
}

export function summarize(result: LeBailResult): FitSummary {
  return {
    phases: result.phases.map(({ reflections, ...p }) => ({
      ...p,
      layered: p.spaceGroup === 'R-3m' || p.spaceGroup === 'C2/m',
      // Formula units per cell: 3 for R-3m on hexagonal axes, 2 for C2/m (science.md §2).
      z: p.spaceGroup === 'R-3m' ? 3 : p.spaceGroup === 'C2/m' ? 2 : undefined,
    })),
    profile: result.profile,
    zeroDeg: result.zeroDeg,
    zeroSigma: result.zeroSigma,
    displacement: result.displacement,
    detectorDistanceRelative: result.detectorDistanceRelative,
    detectorDistanceRelativeSigma: result.detectorDistanceRelativeSigma,
    Rwp: result.Rwp,
    RwpBackgroundSubtracted: result.RwpBackgroundSubtracted,
    Rp: result.Rp,
    Rexp: result.Rexp,
    chi2red: result.chi2red,
    gof: result.gof,
    points: result.points,
    iterations: result.iterations,
    stopReason: result.stopReason,
    converged: result.stopReason.startsWith('converged'),
    atBounds: result.atBounds,
  };
}

/**
 * Rietveld fit of one scan: layered phases get the layered structure of `composition` (NMC811 by default), Al and Cu
 * an fcc structure; other phases are refused (no structure to compute).
 */
export function fitRietveldPattern(
  scan: Scan,
  model: ModelSpec,
  composition = 'NMC811',
  phases?: readonly Phase[],
  specimen: Pick<RietveldOptions, 'absorption'> = {},
): RietveldResult {
  if (model.size && model.size !== 'none') throw new RangeError('--size is not supported by --method rietveld (Le Bail and Pawley only)');
  const use = phases ?? modelPhases(model);
  const specs: RietveldPhase[] = use.map((p) => {
    if (p.spaceGroup === 'R-3m') return layeredPhase(p, composition);
    const metal = p.name.toLowerCase() === 'al' ? 'Al' : p.name.toLowerCase() === 'cu' ? 'Cu' : undefined;
    if (metal) return { phase: p, structure: { kind: 'fcc', element: metal } };
    throw new RangeError(`--method rietveld has no structure for phase '${p.name}' (layered R-3m, al and cu are supported)`);
  });
  return fitRietveld(scan, specs, { ...leBailOptions(model), ...specimen });
}

/** The JSON-safe summary of a Rietveld fit (no typed arrays, no covariance matrix). */
export function summarizeRietveld(result: RietveldResult) {
  const { pawley, twoThetaDeg, calculated, background, covariance, parameters, ...rest } = result;
  return { ...rest, method: 'rietveld' as const, converged: result.stopReason.startsWith('converged') };
}
