/**
 * Instrument calibration on a certified standard (science.md §3): the cell is held at its certified value while the
 * wavelength (synchrotron) or the zero and specimen displacement (laboratory Bragg–Brentano), together with the
 * instrumental profile (U, V, W, X, Y, FCJ asymmetry), are refined by a Pawley fit. The result is an instrument
 * profile and calibrated emission lines with σ, to be held fixed in later sample fits and written as a GSAS-II
 * `.instprm` (or FullProf `.irf`).
 *
 * Wavelength. 2θ_B depends on λ and d only through λ/d (Bragg: sinθ = λ/2d), and every geometric shift term depends
 * on θ alone, so refining a common scale of all emission lines with the cell fixed is the same least-squares problem
 * as refining the cell with the lines fixed: λ_cal = λ_nominal · a_certified / a_refined, σ_λ/λ = σ_a/a, exactly,
 * with σ_a from the full covariance (zero, profile and background included). For a non-cubic standard the common
 * scale s = a_ref/a = c_ref/c is the generalised-least-squares projection of the refined (a, c) with their
 * covariance onto the line a = a_ref/s, c = c_ref/s (Aitken 1935; first order in the deviations).
 *
 * σ(λ) then enters the cell σ of a later fit in quadrature: a ∝ λ at fixed 2θ, so σ_a² = σ_a,fit² + (a σ_λ/λ)²
 * (science.md §5; `LeBailOptions.wavelengthRelativeSigma`).
 */
import type { Scan, WavelengthLine } from '../data/scan.ts';
import type { Cell } from './cell.ts';
import { formatInstprm } from './instprm.ts';
import { fitPawley, type LeBailOptions, type LeBailResult } from './leBail.ts';
import { INSTRUMENT_DEFAULTS, type InstrumentProfile, type RefineFlags } from './patternModel.ts';
import type { Phase } from './phases.ts';

/** A certified line-position standard. */
export interface StandardReference {
  readonly name: string;
  readonly spaceGroup: string;
  readonly cell: Cell;
  /** Where the cell comes from (certificate and its temperature). */
  readonly source: string;
}

const cubic = (a: number): Cell => ({ a, b: a, c: a, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 });

/**
 * Certified cells (Å, 22.5 °C unless stated). NIST certificates: SRM 660c LaB6 a = 4.156826(8) Å; SRM 674b CeO2
 * a = 5.411651(6) Å; SRM 640d Si a = 5.43123(8) Å (22.5 °C). LaB6 660b (4.15689 Å) and 660a (4.1569162 Å) differ
 * from 660c by 1.5·10⁻⁵ and 2.2·10⁻⁵ relative.
 */
export const STANDARDS: Readonly<Record<string, StandardReference>> = {
  lab6: { name: 'LaB6', spaceGroup: 'Pm-3m', cell: cubic(4.156826), source: 'NIST SRM 660c certificate, a = 4.156826 Å' },
  lab6_660b: { name: 'LaB6', spaceGroup: 'Pm-3m', cell: cubic(4.15689), source: 'NIST SRM 660b certificate, a = 4.15689 Å' },
  ceo2: { name: 'CeO2', spaceGroup: 'Fm-3m', cell: cubic(5.411651), source: 'NIST SRM 674b certificate, a = 5.411651 Å' },
  si: { name: 'Si', spaceGroup: 'Fd-3m', cell: cubic(5.43123), source: 'NIST SRM 640d certificate, a = 5.43123 Å' },
};

/** A standard by key (case-insensitive: lab6, lab6_660b, ceo2, si) or a phase given by the caller. */
export function standardPhase(standard: string | StandardReference): Phase {
  const ref = typeof standard === 'string' ? STANDARDS[standard.toLowerCase()] : standard;
  if (!ref) throw new RangeError(`unknown standard '${String(standard)}' (${Object.keys(STANDARDS).join(', ')})`);
  return { name: ref.name, spaceGroup: ref.spaceGroup, cell: ref.cell };
}

/** What a calibration refines besides the profile. */
export type CalibrationTarget = 'wavelength' | 'zero' | 'displacement';

/** Options of {@link calibrateInstrument}; every default lives in {@link CALIBRATION_DEFAULTS}. */
export interface CalibrationOptions {
  /** Nominal emission lines (default the scan's). */
  readonly wavelengths?: readonly WavelengthLine[];
  /** Refined position terms. Default: wavelength and zero for a single line, zero and displacement for a doublet. */
  readonly refine?: readonly CalibrationTarget[];
  /** Refine the instrumental profile U, V, W, X, Y and the FCJ asymmetry (default true). */
  readonly refineProfile?: boolean;
  readonly rangeDeg?: readonly [number, number];
  readonly exclusions?: LeBailOptions['exclusions'];
  /** Start values of the instrument (e.g. a goniometer radius, an asymmetry start). */
  readonly instrument?: Partial<InstrumentProfile>;
  readonly backgroundTerms?: number;
}

/** Defaults of {@link CalibrationOptions}. */
export const CALIBRATION_DEFAULTS = {
  refineProfile: true,
  /** FCJ start: S/L = H/L = 0.015 (a sum of 0.03, GSAS-II's SH/L of a typical lab diffractometer's order). */
  asymmetryStart: 0.015,
  backgroundTerms: 12,
} as const;

/** Result of {@link calibrateInstrument}. σ are 0 for parameters held fixed. */
export interface CalibrationResult {
  readonly standard: string;
  /** Certified cell the fit was held to. */
  readonly cell: Cell;
  readonly refined: readonly CalibrationTarget[];
  /** Calibrated emission lines (all scaled by one factor when the wavelength was refined). */
  readonly wavelengths: readonly WavelengthLine[];
  /** Main line (Å) with σ, and σ_λ/λ (the number to propagate into later cells). */
  readonly wavelengthAngstrom: number;
  readonly wavelengthSigmaAngstrom: number;
  readonly wavelengthRelativeSigma: number;
  /** Calibrated instrument: profile, zero, displacement. */
  readonly instrument: InstrumentProfile;
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  readonly displacementMm: number;
  readonly displacementSigma: number;
  /** σ of every instrument parameter (U, V, W, X, Y, sOverL, hOverL, zeroDeg, displacementMm). */
  readonly instrumentSigma: Readonly<Record<string, number>>;
  readonly Rwp: number;
  readonly gof: number;
  readonly chi2red: number;
  readonly points: number;
  readonly iterations: number;
  readonly stopReason: string;
  /** The underlying Pawley fit. */
  readonly fit: LeBailResult;
}

/**
 * Calibrate wavelength and/or zero and displacement and the instrumental profile on a standard of certified cell.
 *
 * @param scan - a 2θ pattern of the standard.
 * @param standard - a key of {@link STANDARDS} or a reference.
 * @param options - see {@link CalibrationOptions}.
 */
export function calibrateInstrument(
  scan: Scan,
  standard: string | StandardReference,
  options: CalibrationOptions = {},
): CalibrationResult {
  const ref = typeof standard === 'string' ? STANDARDS[standard.toLowerCase()] : standard;
  if (!ref) throw new RangeError(`unknown standard '${String(standard)}' (${Object.keys(STANDARDS).join(', ')})`);
  const nominal = options.wavelengths && options.wavelengths.length ? options.wavelengths : scan.wavelengths;
  if (!nominal.length) throw new RangeError('calibrateInstrument: no wavelength (the scan has none and none was given)');
  const refineTargets = options.refine ?? (nominal.length > 1 ? ['zero', 'displacement'] : ['wavelength', 'zero']);
  const wavelength = refineTargets.includes('wavelength');
  const profile = options.refineProfile ?? CALIBRATION_DEFAULTS.refineProfile;
  const refine: Partial<RefineFlags> = {
    // The wavelength is refined as its exact equivalent, the cell scale (module comment).
    cell: wavelength,
    zero: refineTargets.includes('zero'),
    displacement: refineTargets.includes('displacement'),
    U: profile,
    V: profile,
    W: profile,
    X: profile,
    Y: profile,
    asymmetry: profile,
    // A standard has (nearly) no sample broadening: the profile is the instrument's.
    strain: false,
    zeta: false,
  };
  const start = CALIBRATION_DEFAULTS.asymmetryStart;
  const phase = standardPhase(ref);
  const base: LeBailOptions = {
    wavelengths: nominal,
    rangeDeg: options.rangeDeg,
    exclusions: options.exclusions,
    strain: 'none',
    instrument: { sOverL: start, hOverL: start, ...options.instrument },
    backgroundTerms: options.backgroundTerms ?? CALIBRATION_DEFAULTS.backgroundTerms,
  };
  // Two stages: positions with the simplest width model (W, X) from a cold start, then the full profile seeded from
  // it — refining U, V, Y and the asymmetry from a cold start can end in a worse local minimum.
  const coarse = fitPawley(scan, [phase], { ...base, refine: { ...refine, U: false, V: false, Y: false, asymmetry: false } });
  // Explicit instrument values would win over the seed's: pass only the caller's.
  const full = profile ? fitPawley(scan, [phase], { ...base, instrument: options.instrument, refine, seed: coarse }) : coarse;
  const fit = full.chi2red <= coarse.chi2red || !Number.isFinite(coarse.chi2red) ? full : coarse;
  const p = fit.phases[0];
  let scale = 1;
  let scaleRelSigma = 0;
  if (wavelength) {
    const est = commonScale(ref.cell, p);
    scale = est.scale;
    scaleRelSigma = est.relativeSigma;
  }
  const main = nominal.reduce((b, l) => (l.ratio > b.ratio ? l : b));
  const wavelengths = nominal.map((l) => ({ ...l, angstrom: l.angstrom * scale, source: 'file' as const, label: l.label }));
  const sig = (name: string): number => fit.parameters[name]?.sigma ?? 0;
  const instrumentSigma: Record<string, number> = {};
  for (const k of ['U', 'V', 'W', 'X', 'Y', 'sOverL', 'hOverL', 'zeroDeg', 'displacementMm']) instrumentSigma[k] = sig(k);
  return {
    standard: ref.name,
    cell: ref.cell,
    refined: refineTargets,
    wavelengths,
    wavelengthAngstrom: main.angstrom * scale,
    wavelengthSigmaAngstrom: main.angstrom * scale * scaleRelSigma,
    wavelengthRelativeSigma: scaleRelSigma,
    instrument: { ...INSTRUMENT_DEFAULTS, ...fit.instrument },
    zeroDeg: fit.zeroDeg,
    zeroSigma: fit.zeroSigma,
    displacementMm: fit.displacement,
    displacementSigma: fit.displacementSigma,
    instrumentSigma,
    Rwp: fit.Rwp,
    gof: fit.gof,
    chi2red: fit.chi2red,
    points: fit.points,
    iterations: fit.iterations,
    stopReason: fit.stopReason,
    fit,
  };
}

/**
 * Common scale s of all edges with s·a = a_ref (λ_cal = s·λ_nominal): for a cubic cell s = a_ref/a, σ_s/s = σ_a/a;
 * for two free edges (hexagonal/tetragonal), weighted by the edges' σ (their covariance is not in the phase result,
 * so they are combined as independent — conservative when a and c are positively correlated).
 */
function commonScale(cell: Cell, p: { a: number; aSigma: number; c: number; cSigma: number }): { scale: number; relativeSigma: number } {
  const ra = cell.a / p.a;
  const rsa = p.aSigma / p.a;
  if (Math.abs(cell.c - cell.a) < 1e-12 || !(p.cSigma > 0)) return { scale: ra, relativeSigma: rsa };
  const rc = cell.c / p.c;
  const rsc = p.cSigma / p.c;
  // Inverse-variance mean of the two relative estimates (Aitken's GLS with a diagonal covariance).
  const wa = 1 / (rsa * rsa);
  const wc = 1 / (rsc * rsc);
  return { scale: (wa * ra + wc * rc) / (wa + wc), relativeSigma: 1 / Math.sqrt(wa + wc) };
}

/** Marker of the σ(λ)/λ comment line in our `.instprm` files (GSAS-II ignores '#' lines). */
const SIGMA_MARK = '#operando-xrd wavelengthRelativeSigma:';

/**
 * A GSAS-II `.instprm` of a calibration, with comment lines naming the standard and σ(λ)/λ (read back by
 * {@link wavelengthRelativeSigmaOf}).
 */
export function formatCalibrationInstprm(result: CalibrationResult): string {
  const body = formatInstprm(result.instrument, result.wavelengths);
  const [first, ...rest] = body.split('\n');
  const notes = [
    `#operando-xrd calibration on ${result.standard} (a = ${result.cell.a} Å held fixed), refined: ${result.refined.join(', ')}; Rwp ${result.Rwp.toFixed(4)}, GoF ${result.gof.toFixed(3)}, ${result.stopReason}`,
    `#operando-xrd lambda: ${result.wavelengthAngstrom} +- ${result.wavelengthSigmaAngstrom} A; zero ${result.zeroDeg} +- ${result.zeroSigma} deg; displacement ${result.displacementMm} +- ${result.displacementSigma} mm`,
    `${SIGMA_MARK}${result.wavelengthRelativeSigma}`,
  ];
  return [first, ...notes, ...rest].join('\n');
}

/** σ(λ)/λ recorded in an instrument file by {@link formatCalibrationInstprm} (0 when absent). */
export function wavelengthRelativeSigmaOf(text: string): number {
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(SIGMA_MARK)) {
      const v = Number(line.slice(SIGMA_MARK.length).trim());
      return Number.isFinite(v) && v >= 0 ? v : 0;
    }
  }
  return 0;
}

/**
 * σ of a cell edge including the calibration's wavelength uncertainty: a ∝ λ at fixed 2θ, so
 * σ_a² = σ_a,fit² + (a σ_λ/λ)² (science.md §5).
 */
export function cellSigmaWithWavelength(a: number, sigmaFit: number, wavelengthRelativeSigma: number): number {
  return Math.hypot(sigmaFit, a * wavelengthRelativeSigma);
}
