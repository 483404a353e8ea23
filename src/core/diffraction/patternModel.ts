/**
 * The whole-pattern model shared by Le Bail and Pawley fits: phases → reflections → peaks (one per reflection and
 * emission line) → TCH pseudo-Voigt profiles with hkl-dependent strain, isotropic crystallite size, FCJ asymmetry
 * and geometric shifts, on a Chebyshev background. Parameters live in one flat vector (`full`); the refined subset maps into the
 * least-squares θ. The analytic Jacobian covers every parameter except the two FCJ ratios (finite differences).
 *
 * Peak position:  2θ_pk = 2θ_B(λ_j, d_hkl) + zero − 2 s cosθ/R − (1/μ) sin2θ/(2R) + (dx sin2θ − dy cos2θ)/R
 *   + (ΔD/D) sin2θ cos2θ (Bragg–Brentano displacement and transparency, Debye–Scherrer capillary offsets, flat-detector
 *   distance; science.md §1, rad → deg).
 * Widths (TCH 1987; strain per reflection, science.md §4):
 *   H_G² = U tan²θ + V tanθ + W + P/cos²θ + ((1 − ζ) Γ_hkl)² + ((1 − ζ_s) Γ_s)²,
 *   H_L = X/cosθ + Y tanθ + ζ Γ_hkl + ζ_s Γ_s,  Γ_hkl = 2 ε_hkl tanθ,  Γ_s = K λ_j / (L cosθ) (size.ts; per line j).
 * The size is refined as 1/L (nm⁻¹): linear in the width, and free to reach 0 (no size broadening) without a pole.
 * A Pearson VII profile (`ProfileShape`) keeps the TCH FWHM and replaces η by an exponent m(2θ).
 */
import { type Cell, inverseDSquared, reciprocalMetricTensor } from './cell.ts';
import { FOUR_LN2, GAUSS_NORM, LORENTZ_NORM, digamma, fcjWeights, lnGamma, newTchWidths, tchWidths } from './profiles.ts';
import { type Phase, cellFromFree, freeCellParameters } from './phases.ts';
import { type Reflection, explicitReflections, generateReflections } from './reflections.ts';
import { type CrystalSystem, type SpaceGroup, spaceGroup } from './spaceGroups.ts';
import { type StrainModel, SQRT_8LN2 } from './strain.ts';
import type { SizeModel } from './size.ts';
import { chebyshevBasis } from './background.ts';
import type { JacobianRowSpans } from '../fit/problem.ts';

const DEG = Math.PI / 180;
const RAD = 180 / Math.PI;

/** One emission line: wavelength (Å) and intensity relative to the main line. */
export interface EmissionLine {
  readonly wavelengthAngstrom: number;
  readonly ratio: number;
}

/**
 * Instrumental profile and geometry. Gaussian FWHM² terms in deg², Lorentzian terms in deg (TCH; X multiplies
 * 1/cosθ, Y multiplies tanθ — convert from FullProf/GSAS-II at import). FCJ ratios S/L and H/L are dimensionless.
 */
export interface InstrumentProfile {
  readonly U: number;
  readonly V: number;
  readonly W: number;
  readonly P: number;
  readonly X: number;
  readonly Y: number;
  readonly sOverL: number;
  readonly hOverL: number;
  readonly zeroDeg: number;
  /** Bragg–Brentano specimen displacement s (mm, positive towards the tube side's focusing circle centre). */
  readonly displacementMm: number;
  /** Bragg–Brentano transparency: penetration depth 1/μ (mm). */
  readonly transparencyMm: number;
  /** Debye–Scherrer capillary offsets along and across the beam (mm). */
  readonly capillaryOffsetXMm: number;
  readonly capillaryOffsetYMm: number;
  /** Goniometer radius R (mm) used by the geometric shift terms. */
  readonly goniometerRadiusMm: number;
  /**
   * Flat 2D detector: relative sample–detector distance error ΔD/D; Δ2θ ≈ (ΔD/D) sin2θ cos2θ (rad). At low angle a
   * pure scale on d, indistinguishable from λ: refine it only against an internal standard (science.md §1).
   */
  readonly detectorDistanceRelative: number;
}

/** Defaults for every instrument parameter (the one place they are written). */
export const INSTRUMENT_DEFAULTS: InstrumentProfile = {
  U: 0,
  V: 0,
  W: 0.0025,
  P: 0,
  X: 0.01,
  Y: 0,
  sOverL: 0,
  hOverL: 0,
  zeroDeg: 0,
  displacementMm: 0,
  transparencyMm: 0,
  capillaryOffsetXMm: 0,
  capillaryOffsetYMm: 0,
  goniometerRadiusMm: 240,
  detectorDistanceRelative: 0,
};

/** Which parameter groups the least squares refines. */
export interface RefineFlags {
  readonly cell: boolean;
  readonly zero: boolean;
  readonly displacement: boolean;
  readonly transparency: boolean;
  readonly capillaryOffsets: boolean;
  readonly detectorDistance: boolean;
  readonly U: boolean;
  readonly V: boolean;
  readonly W: boolean;
  readonly P: boolean;
  readonly X: boolean;
  readonly Y: boolean;
  readonly asymmetry: boolean;
  readonly strain: boolean;
  /** The Lorentzian share ζ of the strain broadening. */
  readonly zeta: boolean;
  /** The crystallite size 1/L of phases whose size model is not 'none'. */
  readonly size: boolean;
  /**
   * The Lorentzian share ζ_s of the size broadening; held by default at its start (1: a Lorentzian Scherrer term,
   * GSAS-II's default size mixing), since χ² is nearly flat along L against ζ_s and the strain's share.
   */
  readonly sizeZeta: boolean;
  /** Pearson VII profile only: its exponent's constant term m₀, and its angular terms m₁, m₂. */
  readonly pearsonM: boolean;
  readonly pearsonMAngular: boolean;
  readonly background: boolean;
}

/**
 * Default refinement: cell, zero, W, X, strain, ζ, size and ζ_s (of phases with a size model) and background; the
 * rest is held at the instrument values.
 */
export const REFINE_DEFAULTS: RefineFlags = {
  cell: true,
  zero: true,
  displacement: false,
  transparency: false,
  capillaryOffsets: false,
  detectorDistance: false,
  U: false,
  V: false,
  W: true,
  P: false,
  X: true,
  Y: false,
  asymmetry: false,
  strain: true,
  zeta: true,
  size: true,
  sizeZeta: false,
  pearsonM: true,
  pearsonMAngular: false,
  background: true,
};

/**
 * The peak shape of a whole-pattern model. 'tch': the Thompson–Cox–Hastings pseudo-Voigt (default). 'pearsonVII': a
 * Pearson VII of the same FWHM (the TCH combination of the Gaussian and Lorentzian widths, so every broadening model
 * still applies) with exponent m(2θ) = m₀ + m₁·(100/2θ) + m₂·(100/2θ)², 2θ in degrees (FullProf's Npr = 6 form);
 * m = 1 is a Lorentzian, m → ∞ a Gaussian.
 */
export type ProfileShape = { readonly shape: 'tch' } | { readonly shape: 'pearsonVII'; readonly m: readonly [number, number, number] };

/** Per-phase sample broadening: strain model, its start values and ζ. ε are FWHMs of Δd/d. */
export interface PhaseStrain {
  readonly model: StrainModel;
  readonly iso: number;
  readonly e001: number;
  /** Stephens −3m coefficients S400, S004, S202, S301 (Å⁻⁴). */
  readonly stephens: readonly [number, number, number, number];
  readonly zeta: number;
}

/**
 * Per-phase crystallite size (size.ts): model, start size L (nm), start Lorentzian share ζ_s, and the Scherrer
 * constant K (held): Γ_size = K λ / (L cosθ).
 */
export interface PhaseSize {
  readonly model: SizeModel;
  readonly lengthNm: number;
  readonly zeta: number;
  readonly scherrerK: number;
}

/** A parameter of the full vector. */
export interface ParameterDef {
  readonly name: string;
  value: number;
  readonly lower: number;
  readonly upper: number;
  refine: boolean;
  /**
   * Which bounds are a search window rather than a physical limit ('both' for a cell edge, held to ±20 % of its start;
   * 'upper' for a width whose lower bound 0 is physical): a refined value on such a bound means the fit ran away.
   */
  readonly windowBounds: 'both' | 'upper' | 'none';
}

/** Whether a value sits on a bound of `p` that is a search window, not a physical limit. */
export function onWindowBound(p: Pick<ParameterDef, 'lower' | 'upper' | 'windowBounds'>, value: number): boolean {
  return (p.windowBounds === 'both' && value <= p.lower) || (p.windowBounds !== 'none' && value >= p.upper);
}

/** Compiled per-phase data. */
export interface ModelPhase {
  readonly phase: Phase;
  readonly group: SpaceGroup;
  readonly system: CrystalSystem;
  readonly cellNames: readonly string[];
  readonly reflections: Reflection[];
  readonly h: Int32Array;
  readonly k: Int32Array;
  readonly l: Int32Array;
  readonly multiplicity: Int32Array;
  /** Le Bail / Pawley intensities (area in counts·deg, per reflection, summed over equivalents): a view of `full`. */
  readonly intensity: Float64Array;
  /** Full-vector index of the first intensity. */
  readonly intensityIndex: number;
  readonly strainModel: StrainModel;
  /** Indices into the full vector. */
  readonly cellIndex: Int32Array;
  readonly strainIndex: Int32Array;
  readonly zetaIndex: number;
  readonly sizeModel: SizeModel;
  /** Full-vector indices of 1/L (nm⁻¹) and ζ_s; −1 without a size model. */
  readonly sizeIndex: number;
  readonly sizeZetaIndex: number;
  readonly scherrerK: number;
  /** First peak of this phase in the peak arrays. */
  readonly firstPeak: number;
}

const MAX_NODES = 24;
/** Half-width (FWHM) of the window in which position and width derivatives are accumulated. */
const JACOBIAN_WINDOW_FWHM = 12;
/** Maximum number of (parameter, dPos, dH_G, dH_L, dm) entries per peak. */
const MAX_ENTRIES = 29;
/** Smallest Pearson VII exponent used (the profile's area diverges at m = ½). */
const PEARSON_M_MIN = 0.51;

/** The compiled model. Built by `createPatternModel`; all work buffers are allocated once. */
export interface PatternModel {
  readonly x: Float64Array;
  readonly lines: readonly EmissionLine[];
  readonly phases: readonly ModelPhase[];
  readonly params: ParameterDef[];
  readonly full: Float64Array;
  /** θ index → full index. */
  free: Int32Array;
  readonly backgroundIndex: number;
  readonly backgroundTerms: number;
  readonly basis: Float64Array;
  readonly peakCount: number;
  /** Per peak: phase, reflection, line. */
  readonly peakPhase: Int32Array;
  readonly peakReflection: Int32Array;
  readonly peakLine: Int32Array;
  readonly peakPos: Float64Array;
  readonly peakFwhm: Float64Array;
  /** η of a TCH peak, or the exponent m of a Pearson VII peak. */
  readonly peakEta: Float64Array;
  readonly peakGauss: Float64Array;
  readonly peakLorentz: Float64Array;
  readonly peakLo: Int32Array;
  readonly peakHi: Int32Array;
  /** Full-vector index of the Pearson VII m₀ (m₁, m₂ follow); −1 for the TCH pseudo-Voigt. */
  readonly pearsonIndex: number;
  /** Window half-width in FWHM. */
  readonly windowFwhm: number;
  readonly fcjNodes: number;
  /** Goniometer radius R (mm) of the geometric shift terms. */
  readonly radiusMm: number;
  /** Scratch. */
  readonly work: {
    readonly nodeOffset: Float64Array;
    readonly nodeWeight: Float64Array;
    readonly nodeCount: Int32Array;
    readonly minOffset: Float64Array;
    readonly maxOffset: Float64Array;
    readonly dH: Float64Array;
    readonly entryIndex: Int32Array;
    readonly entryPos: Float64Array;
    readonly entryGauss: Float64Array;
    readonly entryLorentz: Float64Array;
    /** ∂m/∂θ_t of a Pearson VII peak's exponent (0 for every other entry). */
    readonly entryShape: Float64Array;
    readonly entryCount: Int32Array;
    readonly gStar: Float64Array;
    readonly gStarStep: Float64Array;
    readonly gStarScratch: Float64Array;
    readonly dInvD2: Float64Array;
    readonly fdModel: Float64Array;
    readonly fullToFree: Int32Array;
    readonly tch: ReturnType<typeof newTchWidths>;
    readonly cellScratch: Float64Array;
    readonly dEps: Float64Array;
    /** 1 while finite differences run: windows stay as they were. */
    readonly freezeWindows: Uint8Array;
    /** [from, to) of the current peak's derivative window (see `derivativeWindow`). */
    readonly window: Int32Array;
    /** Pearson VII peaks: k = 4(2^(1/m) − 1) and the area normalisation N(m) (`pearsonConstants`), per peak. */
    readonly pearsonK: Float64Array;
    readonly pearsonNorm: Float64Array;
  };
}

/** Options to compile a model. */
export interface PatternModelSpec {
  readonly x: Float64Array;
  readonly lines: readonly EmissionLine[];
  readonly phases: readonly Phase[];
  readonly strain: readonly PhaseStrain[];
  /** Crystallite size per phase; default none for every phase. */
  readonly size?: readonly PhaseSize[];
  readonly instrument: InstrumentProfile;
  readonly refine: RefineFlags;
  readonly backgroundTerms: number;
  readonly windowFwhm: number;
  readonly fcjNodes: number;
  /** Pawley: intensities are least-squares parameters. */
  readonly intensitiesRefined?: boolean;
  /** 2θ interval mapped to [−1, 1] by the Chebyshev background; default [x₀, x_last]. */
  readonly backgroundRangeDeg?: readonly [number, number];
  /** Peak shape; default the TCH pseudo-Voigt. */
  readonly profile?: ProfileShape;
}

/** Names of the global parameters in the full vector, in order. */
export const GLOBAL_PARAMETERS = [
  'zeroDeg',
  'displacementMm',
  'transparencyMm',
  'capillaryOffsetXMm',
  'capillaryOffsetYMm',
  'U',
  'V',
  'W',
  'P',
  'X',
  'Y',
  'sOverL',
  'hOverL',
  'extraGaussDeg',
  'detectorDistanceRelative',
] as const;
const G_ZERO = 0;
const G_DISP = 1;
const G_TRANS = 2;
const G_DSX = 3;
const G_DSY = 4;
const G_U = 5;
const G_V = 6;
const G_W = 7;
const G_P = 8;
const G_X = 9;
const G_Y = 10;
const G_SL = 11;
const G_HL = 12;
const G_EXTRA = 13;
const G_DD = 14;

/** Compile phases, lines and instrument into a model on the points `x` (2θ deg, ascending). */
export function createPatternModel(spec: PatternModelSpec): PatternModel {
  const { x, lines, instrument, refine } = spec;
  const n = x.length;
  if (n < 2) throw new RangeError('createPatternModel: need at least two points');
  const params: ParameterDef[] = [];
  const add = (
    name: string,
    value: number,
    refineIt: boolean,
    lower = -Infinity,
    upper = Infinity,
    windowBounds: ParameterDef['windowBounds'] = 'none',
  ): number => {
    params.push({ name, value, lower, upper, refine: refineIt, windowBounds });
    return params.length - 1;
  };
  const inf = Infinity;
  add('zeroDeg', instrument.zeroDeg, refine.zero, -1, 1, 'both');
  add('displacementMm', instrument.displacementMm, refine.displacement, -5, 5, 'both');
  add('transparencyMm', instrument.transparencyMm, refine.transparency, 0, 10, 'upper');
  add('capillaryOffsetXMm', instrument.capillaryOffsetXMm, refine.capillaryOffsets, -5, 5, 'both');
  add('capillaryOffsetYMm', instrument.capillaryOffsetYMm, refine.capillaryOffsets, -5, 5, 'both');
  add('U', instrument.U, refine.U, 0, inf);
  add('V', instrument.V, refine.V, -inf, inf);
  add('W', instrument.W, refine.W, 0, inf);
  add('P', instrument.P, refine.P, 0, inf);
  add('X', instrument.X, refine.X, 0, inf);
  add('Y', instrument.Y, refine.Y, 0, inf);
  add('sOverL', instrument.sOverL, refine.asymmetry, 1e-5, 0.2, 'upper');
  add('hOverL', instrument.hOverL, refine.asymmetry, 1e-5, 0.2, 'upper');
  add('extraGaussDeg', 0, false, 0, inf);
  add('detectorDistanceRelative', instrument.detectorDistanceRelative, refine.detectorDistance, -0.1, 0.1, 'both');
  // The Pearson VII exponent exists only in Pearson VII models: the default model's parameter list is unchanged.
  const pearson = spec.profile?.shape === 'pearsonVII' ? spec.profile.m : undefined;
  if (pearson && !(pearson.every(Number.isFinite) && pearson[0] > 0.5)) {
    throw new RangeError(`Pearson VII: the exponent's terms must be finite and m₀ > 0.5, got ${pearson.join(', ')}`);
  }
  const pearsonIndex = pearson ? add('pearsonM0', pearson[0], refine.pearsonM, 0.55, 50) : -1;
  if (pearson) {
    add('pearsonM1', pearson[1], refine.pearsonMAngular, -inf, inf);
    add('pearsonM2', pearson[2], refine.pearsonMAngular, -inf, inf);
  }

  const xMin = x[0];
  const xMax = x[n - 1];
  const lamMin = Math.min(...lines.map((l) => l.wavelengthAngstrom));
  const lamMax = Math.max(...lines.map((l) => l.wavelengthAngstrom));
  // Reflections with a line centred inside the range only: an intensity whose peak centre lies outside cannot be
  // extracted from its tail (the partition becomes a ratio of noise).
  const ttHi = Math.min(xMax, 179.9);
  const ttLo = Math.max(xMin, 0.01);
  const dMin = lamMin / (2 * Math.sin((ttHi * DEG) / 2));
  const dMax = lamMax / (2 * Math.sin((ttLo * DEG) / 2));

  const phases: ModelPhase[] = [];
  let peakCount = 0;
  spec.phases.forEach((phase, pi) => {
    const group = spaceGroup(phase.spaceGroup);
    const system = group.system;
    const cellNames = freeCellParameters(system);
    const reflections = mergeEqualSpacings(
      system,
      phase.hkl
        ? explicitReflections(phase.cell, phase.hkl).filter((r) => r.dAngstrom >= dMin && r.dAngstrom <= dMax)
        : generateReflections(phase.cell, group, dMin, dMax),
    );
    const cellIndex = Int32Array.from(
      cellNames.map((nm) => {
        const v = phase.cell[nm];
        const isAngle = nm.endsWith('Deg');
        return add(`${phase.name}.${nm}`, v, refine.cell && phase.fixedCell !== true, isAngle ? v - 30 : v * 0.8, isAngle ? v + 30 : v * 1.2, 'both');
      }),
    );
    const st = spec.strain[pi];
    if (st.model === 'stephens' && system !== 'hexagonal') {
      throw new RangeError(`Stephens' −3m strain model needs a hexagonal-axes phase; '${phase.name}' is ${system}`);
    }
    const strainNames =
      st.model === 'iso' ? ['iso'] : st.model === 'uniaxial001' ? ['iso', 'e001'] : st.model === 'stephens' ? ['S400', 'S004', 'S202', 'S301'] : [];
    const strainIndex = Int32Array.from(
      strainNames.map((nm, j) => {
        const v = st.model === 'stephens' ? st.stephens[j] : nm === 'iso' ? st.iso : st.e001;
        // ε_001 enters squared: leave it unbounded so that it can pass through 0 (a bound at 0 has zero gradient
        // there and would trap it); its sign is meaningless and results report |ε_001|.
        const lower = st.model === 'stephens' ? (nm === 'S301' ? -inf : 0) : nm === 'e001' ? -inf : 0;
        return add(`${phase.name}.strain.${nm}`, v, refine.strain, lower, inf);
      }),
    );
    const zetaIndex = add(`${phase.name}.zeta`, st.zeta, refine.zeta && st.model !== 'none', 0, 1);
    // Size parameters exist only for phases with a size model: the default model's parameter list is unchanged.
    const sz = spec.size?.[pi];
    const sizeModel: SizeModel = sz?.model ?? 'none';
    if (sz && sizeModel !== 'none' && !(sz.lengthNm > 0 && sz.scherrerK > 0)) {
      throw new RangeError(`size of '${phase.name}': the start size and the Scherrer constant must be positive`);
    }
    // 1/L between 0 (no size broadening) and 2 nm⁻¹ (L = 0.5 nm, about one cell).
    const sizeIndex = sizeModel === 'none' ? -1 : add(`${phase.name}.size.inverseLengthPerNm`, 1 / sz!.lengthNm, refine.size, 0, 2, 'upper');
    const sizeZetaIndex = sizeModel === 'none' ? -1 : add(`${phase.name}.size.zeta`, sz!.zeta, refine.sizeZeta, 0, 1);
    const nr = reflections.length;
    // Intensities live in the full vector too (a view below), refined only by Pawley fits.
    const intensityIndex = params.length;
    for (const r of reflections) add(`${phase.name}.I.${r.h},${r.k},${r.l}`, 0, spec.intensitiesRefined === true, 0, inf);
    const mp: ModelPhase = {
      phase,
      group,
      system,
      cellNames,
      reflections,
      h: Int32Array.from(reflections.map((r) => r.h)),
      k: Int32Array.from(reflections.map((r) => r.k)),
      l: Int32Array.from(reflections.map((r) => r.l)),
      multiplicity: Int32Array.from(reflections.map((r) => r.multiplicity)),
      intensity: new Float64Array(0),
      intensityIndex,
      strainModel: st.model,
      cellIndex,
      strainIndex,
      zetaIndex,
      sizeModel,
      sizeIndex,
      sizeZetaIndex,
      scherrerK: sz?.scherrerK ?? 1,
      firstPeak: peakCount,
    };
    peakCount += nr * lines.length;
    phases.push(mp);
  });
  const backgroundIndex = params.length;
  for (let m = 0; m < spec.backgroundTerms; m++) add(`background.${m}`, 0, refine.background);

  const full = Float64Array.from(params.map((p) => p.value));
  for (const mp of phases) {
    (mp as { intensity: Float64Array }).intensity = full.subarray(mp.intensityIndex, mp.intensityIndex + mp.reflections.length);
  }
  const peakPhase = new Int32Array(peakCount);
  const peakReflection = new Int32Array(peakCount);
  const peakLine = new Int32Array(peakCount);
  for (let pi = 0, pk = 0; pi < phases.length; pi++) {
    for (let r = 0; r < phases[pi].reflections.length; r++) {
      for (let j = 0; j < lines.length; j++, pk++) {
        peakPhase[pk] = pi;
        peakReflection[pk] = r;
        peakLine[pk] = j;
      }
    }
  }
  const model: PatternModel = {
    x,
    lines,
    phases,
    params,
    full,
    free: new Int32Array(0),
    backgroundIndex,
    backgroundTerms: spec.backgroundTerms,
    basis: chebyshevBasis(x, spec.backgroundTerms, ...(spec.backgroundRangeDeg ?? [xMin, xMax])),
    peakCount,
    peakPhase,
    peakReflection,
    peakLine,
    peakPos: new Float64Array(peakCount),
    peakFwhm: new Float64Array(peakCount),
    peakEta: new Float64Array(peakCount),
    peakGauss: new Float64Array(peakCount),
    peakLorentz: new Float64Array(peakCount),
    peakLo: new Int32Array(peakCount),
    peakHi: new Int32Array(peakCount),
    pearsonIndex,
    windowFwhm: spec.windowFwhm,
    radiusMm: instrument.goniometerRadiusMm,
    fcjNodes: Math.min(spec.fcjNodes, MAX_NODES / 2),
    work: {
      nodeOffset: new Float64Array(peakCount * MAX_NODES),
      nodeWeight: new Float64Array(peakCount * MAX_NODES),
      nodeCount: new Int32Array(peakCount),
      minOffset: new Float64Array(peakCount),
      maxOffset: new Float64Array(peakCount),
      dH: new Float64Array(peakCount * 4),
      entryIndex: new Int32Array(peakCount * MAX_ENTRIES),
      entryPos: new Float64Array(peakCount * MAX_ENTRIES),
      entryGauss: new Float64Array(peakCount * MAX_ENTRIES),
      entryLorentz: new Float64Array(peakCount * MAX_ENTRIES),
      entryShape: new Float64Array(peakCount * MAX_ENTRIES),
      entryCount: new Int32Array(peakCount),
      gStar: new Float64Array(9),
      gStarStep: new Float64Array(9 * 6),
      gStarScratch: new Float64Array(9),
      dInvD2: new Float64Array(6),
      fdModel: new Float64Array(n),
      fullToFree: new Int32Array(params.length),
      tch: newTchWidths(),
      cellScratch: new Float64Array(6),
      dEps: new Float64Array(4),
      freezeWindows: new Uint8Array(1),
      window: new Int32Array(2),
      pearsonK: new Float64Array(spec.profile?.shape === 'pearsonVII' ? peakCount : 0),
      pearsonNorm: new Float64Array(spec.profile?.shape === 'pearsonVII' ? peakCount : 0),
    },
  };
  updateFree(model);
  return model;
}

/**
 * Merge reflections whose d is equal for every cell of the system (e.g. cubic 333/511, hexagonal pairs with equal
 * h² + hk + k² and l²): their intensities cannot be separated, so one entry carries the sum (multiplicities add).
 */
export function mergeEqualSpacings(system: CrystalSystem, reflections: readonly Reflection[]): Reflection[] {
  const key = (r: Reflection): string => {
    const { h, k, l } = r;
    switch (system) {
      case 'cubic':
        return `${h * h + k * k + l * l}`;
      case 'hexagonal':
        return `${h * h + h * k + k * k},${l * l}`;
      case 'tetragonal':
        return `${h * h + k * k},${l * l}`;
      case 'orthorhombic':
        return `${h * h},${k * k},${l * l}`;
      case 'monoclinic':
        return `${h * h},${k * k},${l * l},${h * l}`;
      default:
        return `${h},${k},${l}`;
    }
  };
  const byKey = new Map<string, Reflection>();
  const out: Reflection[] = [];
  for (const r of reflections) {
    const k = key(r);
    const prev = byKey.get(k);
    if (prev) {
      const merged = { ...prev, multiplicity: prev.multiplicity + r.multiplicity };
      byKey.set(k, merged);
      out[out.indexOf(prev)] = merged;
    } else {
      byKey.set(k, r);
      out.push(r);
    }
  }
  return out;
}

/** Recompute the θ ↔ full mapping after changing `refine` flags. */
export function updateFree(model: PatternModel): void {
  const idx: number[] = [];
  model.params.forEach((p, i) => {
    if (p.refine) idx.push(i);
  });
  model.free = Int32Array.from(idx);
  model.work.fullToFree.fill(-1);
  idx.forEach((fi, t) => (model.work.fullToFree[fi] = t));
}

/** θ from the full vector. */
export function packFree(model: PatternModel, theta: Float64Array = new Float64Array(model.free.length)): Float64Array {
  for (let t = 0; t < model.free.length; t++) theta[t] = model.full[model.free[t]];
  return theta;
}

/** Write θ into the full vector. */
export function unpackFree(model: PatternModel, theta: Float64Array): void {
  for (let t = 0; t < model.free.length; t++) model.full[model.free[t]] = theta[t];
}

/** The cell of phase `pi` at the current full vector. */
export function phaseCell(model: PatternModel, pi: number): Cell {
  const mp = model.phases[pi];
  const v = model.work.cellScratch;
  for (let j = 0; j < mp.cellIndex.length; j++) v[j] = model.full[mp.cellIndex[j]];
  return cellFromFree(mp.system, v);
}

function lowerBound(x: Float64Array, v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Positions, widths and (optionally) the per-peak derivative entries from the full vector.
 * Cell derivatives of 1/d² come from relative-step differences of G* per free cell parameter (per phase, not per
 * point), then chain through 2θ = 2 asin(λ√(1/d²)/2).
 */
export function computePeaks(model: PatternModel, withDerivatives: boolean): void {
  const { full, lines, work } = model;
  const fullToFree = work.fullToFree;
  const zero = full[G_ZERO];
  const R = model.radiusMm;
  const disp = full[G_DISP];
  const trans = full[G_TRANS];
  const dsx = full[G_DSX];
  const dsy = full[G_DSY];
  const ddr = full[G_DD];
  const U = full[G_U];
  const V = full[G_V];
  const W = full[G_W];
  const P = full[G_P];
  const X = full[G_X];
  const Y = full[G_Y];
  const sl = full[G_SL];
  const hl = full[G_HL];
  const extra = full[G_EXTRA];
  const pearson = model.pearsonIndex >= 0;
  const m0 = pearson ? full[model.pearsonIndex] : 0;
  const m1 = pearson ? full[model.pearsonIndex + 1] : 0;
  const m2 = pearson ? full[model.pearsonIndex + 2] : 0;
  const tch = work.tch;
  const x = model.x;
  const xLo = x[0];
  const xHi = x[x.length - 1];
  for (let pi = 0; pi < model.phases.length; pi++) {
    const mp = model.phases[pi];
    const nc = mp.cellIndex.length;
    const cellVals = work.cellScratch;
    for (let j = 0; j < nc; j++) cellVals[j] = full[mp.cellIndex[j]];
    reciprocalMetricTensor(cellFromFree(mp.system, cellVals), work.gStar);
    if (withDerivatives) {
      for (let j = 0; j < nc; j++) {
        if (fullToFree[mp.cellIndex[j]] < 0) continue;
        const v0 = cellVals[j];
        const step = 1e-6 * Math.max(Math.abs(v0), 1);
        cellVals[j] = v0 + step;
        reciprocalMetricTensor(cellFromFree(mp.system, cellVals), work.gStarScratch);
        for (let e = 0; e < 9; e++) work.gStarStep[9 * j + e] = (work.gStarScratch[e] - work.gStar[e]) / step;
        cellVals[j] = v0;
      }
    }
    const gs = work.gStar;
    const cStarLen = Math.sqrt(gs[8]);
    let eIso = 0;
    let e001 = 0;
    let s400 = 0;
    let s004 = 0;
    let s202 = 0;
    let s301 = 0;
    if (mp.strainModel === 'iso' || mp.strainModel === 'uniaxial001') eIso = full[mp.strainIndex[0]];
    if (mp.strainModel === 'uniaxial001') e001 = full[mp.strainIndex[1]];
    if (mp.strainModel === 'stephens') {
      s400 = full[mp.strainIndex[0]];
      s004 = full[mp.strainIndex[1]];
      s202 = full[mp.strainIndex[2]];
      s301 = full[mp.strainIndex[3]];
    }
    const zeta = mp.strainModel === 'none' ? 0 : full[mp.zetaIndex];
    const sizeOn = mp.sizeModel !== 'none';
    // Γ_s = K λ (1/L) / (10 cosθ) rad (λ in Å, L in nm): the line-independent factor K (1/L) / 10 in degrees.
    const sizeFactor = sizeOn ? (mp.scherrerK / 10) * RAD : 0;
    const invLength = sizeOn ? full[mp.sizeIndex] : 0;
    const zetaS = sizeOn ? full[mp.sizeZetaIndex] : 0;
    const nr = mp.reflections.length;
    for (let r = 0; r < nr; r++) {
      const h = mp.h[r];
      const k = mp.k[r];
      const l = mp.l[r];
      const q2 = inverseDSquared(gs, h, k, l);
      const d = 1 / Math.sqrt(q2);
      // Strain FWHM ε_hkl and its derivatives with respect to the strain parameters (science.md §4).
      let eps = 0;
      let dEps0 = 0;
      let dEps1 = 0;
      let dEps2 = 0;
      let dEps3 = 0;
      if (mp.strainModel === 'iso') {
        eps = eIso;
        dEps0 = 1;
      } else if (mp.strainModel === 'uniaxial001') {
        // cos φ between g and c*: (g·c*)/(|g||c*|) = (h G*13 + k G*23 + l G*33)·d/√G*33 (= l d/c on hexagonal axes).
        const cosPhi = ((h * gs[2] + k * gs[5] + l * gs[8]) * d) / cStarLen;
        const c4 = cosPhi * cosPhi * cosPhi * cosPhi;
        eps = Math.sqrt(eIso * eIso + e001 * e001 * c4);
        if (eps > 1e-12) {
          dEps0 = eIso / eps;
          dEps1 = (e001 * c4) / eps;
        } else {
          dEps0 = 1;
          dEps1 = cosPhi * cosPhi;
        }
      } else if (mp.strainModel === 'stephens') {
        const a = h * h + h * k + k * k;
        const b = 2 * h * h * h + 3 * h * h * k - 3 * h * k * k - 2 * k * k * k;
        const l2 = l * l;
        const variance = s400 * a * a + s004 * l2 * l2 + s202 * a * l2 + s301 * b * l;
        const scale = (SQRT_8LN2 * d * d) / 2;
        if (variance > 0) {
          const sd = Math.sqrt(variance);
          eps = scale * sd;
          const f = scale / (2 * sd);
          dEps0 = f * a * a;
          dEps1 = f * l2 * l2;
          dEps2 = f * a * l2;
          dEps3 = f * b * l;
        }
      }
      for (let j = 0; j < lines.length; j++) {
        const pk = mp.firstPeak + r * lines.length + j;
        const lam = lines[j].wavelengthAngstrom;
        const s = (lam * Math.sqrt(q2)) / 2;
        if (!(s < 1)) {
          model.peakPos[pk] = Number.NaN;
          model.peakLo[pk] = 0;
          model.peakHi[pk] = 0;
          continue;
        }
        const th = Math.asin(s);
        const twoThB = 2 * th * RAD;
        const cosT = Math.cos(th);
        const tanT = s / cosT;
        const sin2T = Math.sin(2 * th);
        const cos2T = Math.cos(2 * th);
        const pos =
          twoThB + zero + ((-2 * disp * cosT - (trans * sin2T) / 2 + dsx * sin2T - dsy * cos2T) / R + ddr * sin2T * cos2T) * RAD;
        // Widths.
        const gamma = 2 * eps * tanT * RAD;
        // Scherrer: Γ_s = K λ_j / (L cosθ) (size.ts); ∂Γ_s/∂(1/L) = dGsDinv.
        const dGsDinv = (sizeFactor * lam) / cosT;
        const gammaS = dGsDinv * invLength;
        const hg2raw = U * tanT * tanT + V * tanT + W + P / (cosT * cosT) + extra * extra;
        const sg = (1 - zeta) * gamma;
        const sgs = (1 - zetaS) * gammaS;
        const hg2 = Math.max(hg2raw + sg * sg + sgs * sgs, 1e-12);
        const hgw = Math.sqrt(hg2);
        const hlw = Math.max(X / cosT + Y * tanT + zeta * gamma + zetaS * gammaS, 0);
        tchWidths(hgw, hlw, tch);
        model.peakPos[pk] = pos;
        model.peakFwhm[pk] = tch.fwhm;
        // Pearson VII: m from the Bragg angle (its ½ floor keeps the profile normalisable).
        const mT = pearson ? 100 / twoThB : 0;
        const mRaw = m0 + m1 * mT + m2 * mT * mT;
        model.peakEta[pk] = pearson ? Math.max(mRaw, PEARSON_M_MIN) : tch.eta;
        if (pearson) {
          // Once per peak: the shape is evaluated at every point of its window, in the fit and in the extraction.
          const pc = pearsonConstants(model.peakEta[pk], pearsonScratch);
          work.pearsonK[pk] = pc.k;
          work.pearsonNorm[pk] = pc.norm;
        }
        model.peakGauss[pk] = hgw;
        model.peakLorentz[pk] = hlw;
        const nn = fcjWeights(pos, sl, hl, model.fcjNodes, work.nodeOffset, work.nodeWeight, pk * MAX_NODES);
        let minOff = 0;
        let maxOff = 0;
        for (let e = 0; e < nn; e++) {
          const o = work.nodeOffset[pk * MAX_NODES + e];
          if (o < minOff) minOff = o;
          if (o > maxOff) maxOff = o;
        }
        work.nodeCount[pk] = nn;
        work.minOffset[pk] = minOff;
        work.maxOffset[pk] = maxOff;
        const half = model.windowFwhm * tch.fwhm;
        const lo = pos + minOff - half;
        const hi = pos + maxOff + half;
        // Finite differences keep the windows of the base point: a window edge crossing a grid point is a jump.
        if (work.freezeWindows[0] !== 1) {
          const outside = hi < xLo || lo > xHi;
          model.peakLo[pk] = outside ? 0 : lowerBound(x, lo);
          model.peakHi[pk] = outside ? 0 : lowerBound(x, hi);
        }
        work.dH[pk * 4] = tch.dFwhmDGauss;
        work.dH[pk * 4 + 1] = tch.dFwhmDLorentz;
        work.dH[pk * 4 + 2] = pearson ? 0 : tch.dEtaDGauss;
        work.dH[pk * 4 + 3] = pearson ? 0 : tch.dEtaDLorentz;
        if (!withDerivatives) continue;
        // Derivative entries: (θ index, ∂pos, ∂H_G, ∂H_L).
        const base = pk * MAX_ENTRIES;
        let ne = 0;
        // sinθ = λ√(1/d²)/2 → dθ/d(1/d²) = λ / (4 √(1/d²) cosθ); 2θ in degrees doubles it.
        const dPosDq2 = (lam / (4 * Math.sqrt(q2) * cosT)) * 2 * RAD;
        // Widths follow the Bragg angle too (tanθ, 1/cosθ terms): ∂H_G/∂2θ and ∂H_L/∂2θ for the cell entries.
        const sec2 = 1 / (cosT * cosT);
        const dGammaDth = 2 * eps * RAD * sec2;
        // ∂Γ_s/∂θ = Γ_s tanθ.
        const dGammaSDth = gammaS * tanT;
        const dhg2Dth =
          (2 * U * tanT + V) * sec2 + 2 * P * tanT * sec2 + 2 * sg * (1 - zeta) * dGammaDth + 2 * sgs * (1 - zetaS) * dGammaSDth;
        const dhgD2th = hg2raw + sg * sg + sgs * sgs > 1e-12 ? (dhg2Dth / (2 * hgw)) * (DEG / 2) : 0;
        const dhlD2th = hlw > 0 ? (X * tanT / cosT + Y * sec2 + zeta * dGammaDth + zetaS * dGammaSDth) * (DEG / 2) : 0;
        for (let j2 = 0; j2 < nc; j2++) {
          if (fullToFree[mp.cellIndex[j2]] < 0) continue;
          const g = work.gStarStep;
          const o = 9 * j2;
          const dq2 = h * h * g[o] + k * k * g[o + 4] + l * l * g[o + 8] + 2 * (h * k * g[o + 1] + h * l * g[o + 2] + k * l * g[o + 5]);
          const dB = dPosDq2 * dq2;
          ne = pushEntry(work, base, ne, mp.cellIndex[j2], dB, dhgD2th * dB, dhlD2th * dB);
        }
        ne = pushEntry(work, base, ne, G_ZERO, 1, 0, 0);
        ne = pushEntry(work, base, ne, G_DISP, ((-2 * cosT) / R) * RAD, 0, 0);
        ne = pushEntry(work, base, ne, G_TRANS, (-sin2T / 2 / R) * RAD, 0, 0);
        ne = pushEntry(work, base, ne, G_DSX, (sin2T / R) * RAD, 0, 0);
        ne = pushEntry(work, base, ne, G_DSY, (-cos2T / R) * RAD, 0, 0);
        ne = pushEntry(work, base, ne, G_DD, sin2T * cos2T * RAD, 0, 0);
        const inv2hg = 1 / (2 * hgw);
        ne = pushEntry(work, base, ne, G_U, 0, tanT * tanT * inv2hg, 0);
        ne = pushEntry(work, base, ne, G_V, 0, tanT * inv2hg, 0);
        ne = pushEntry(work, base, ne, G_W, 0, inv2hg, 0);
        ne = pushEntry(work, base, ne, G_P, 0, inv2hg / (cosT * cosT), 0);
        ne = pushEntry(work, base, ne, G_X, 0, 0, 1 / cosT);
        ne = pushEntry(work, base, ne, G_Y, 0, 0, tanT);
        if (mp.strainModel !== 'none') {
          // ∂H_G/∂Γ = (1 − ζ)² Γ / H_G, ∂H_L/∂Γ = ζ; ∂Γ/∂ε = 2 tanθ (deg).
          const dgdG = ((1 - zeta) * (1 - zeta) * gamma) / hgw;
          const dGde = 2 * tanT * RAD;
          const dEps = work.dEps;
          dEps[0] = dEps0;
          dEps[1] = dEps1;
          dEps[2] = dEps2;
          dEps[3] = dEps3;
          for (let q = 0; q < mp.strainIndex.length; q++) {
            ne = pushEntry(work, base, ne, mp.strainIndex[q], 0, dgdG * dGde * dEps[q], zeta * dGde * dEps[q]);
          }
          ne = pushEntry(work, base, ne, mp.zetaIndex, 0, (-(1 - zeta) * gamma * gamma) / hgw, gamma);
        }
        if (sizeOn) {
          // Mirrors the strain: ∂H_G/∂Γ_s = (1 − ζ_s)² Γ_s / H_G, ∂H_L/∂Γ_s = ζ_s; ∂H_G/∂ζ_s = −(1 − ζ_s) Γ_s² / H_G.
          ne = pushEntry(work, base, ne, mp.sizeIndex, 0, (((1 - zetaS) * (1 - zetaS) * gammaS) / hgw) * dGsDinv, zetaS * dGsDinv);
          ne = pushEntry(work, base, ne, mp.sizeZetaIndex, 0, (-(1 - zetaS) * gammaS * gammaS) / hgw, gammaS);
        }
        if (pearson && mRaw > PEARSON_M_MIN) {
          ne = pushEntry(work, base, ne, model.pearsonIndex, 0, 0, 0, 1);
          ne = pushEntry(work, base, ne, model.pearsonIndex + 1, 0, 0, 0, mT);
          ne = pushEntry(work, base, ne, model.pearsonIndex + 2, 0, 0, 0, mT * mT);
        }
        work.entryCount[pk] = ne;
      }
    }
  }
}

/** Append one derivative entry for peak entries starting at `base`; returns the new count. */
function pushEntry(
  work: PatternModel['work'],
  base: number,
  ne: number,
  fullIndex: number,
  dPos: number,
  dGauss: number,
  dLorentz: number,
  dShape = 0,
): number {
  const t = work.fullToFree[fullIndex];
  if (t < 0 || ne >= MAX_ENTRIES) return ne;
  work.entryIndex[base + ne] = t;
  work.entryPos[base + ne] = dPos;
  work.entryGauss[base + ne] = dGauss;
  work.entryLorentz[base + ne] = dLorentz;
  work.entryShape[base + ne] = dShape;
  return ne + 1;
}

/**
 * The points of peak `pk` where its position and width derivatives are accumulated, into `work.window` as [from, to):
 * within ±JACOBIAN_WINDOW_FWHM of the (FCJ-spread) peak only, since beyond, a Lorentzian tail's slope (∝ 1/u³) and
 * width derivative (∝ 1/u²) carry no information worth the time. With `spans`, also widens the spans of the rows the
 * peak writes: its `ne` derivative entries over that window, its intensity row `tI` over its whole window.
 */
function derivativeWindow(model: PatternModel, pk: number, ne: number, tI: number, spans: JacobianRowSpans | undefined): void {
  const x = model.x;
  const w = model.work;
  const lo = model.peakLo[pk];
  const hi = model.peakHi[pk];
  let dLo = lo;
  let dHi = hi;
  if (ne > 0) {
    const reach = JACOBIAN_WINDOW_FWHM * model.peakFwhm[pk];
    const xLo = model.peakPos[pk] + w.minOffset[pk] - reach;
    const xHi = model.peakPos[pk] + w.maxOffset[pk] + reach;
    while (dLo < hi && x[dLo] < xLo) dLo++;
    while (dHi > dLo && x[dHi - 1] > xHi) dHi--;
    if (spans) {
      const eBase = pk * MAX_ENTRIES;
      for (let e = 0; e < ne; e++) {
        const t = w.entryIndex[eBase + e];
        if (dLo < spans.first[t]) spans.first[t] = dLo;
        if (dHi > spans.last[t]) spans.last[t] = dHi;
      }
    }
  }
  if (spans && tI >= 0) {
    if (lo < spans.first[tI]) spans.first[tI] = lo;
    if (hi > spans.last[tI]) spans.last[tI] = hi;
  }
  w.window[0] = dLo;
  w.window[1] = dHi;
}

/**
 * Sum of peaks into `out` (added to what is there). With `jac` (parameter-major, N points), also accumulates the
 * analytic derivatives of every peak. Uses positions/widths from the last `computePeaks`.
 */
export function addPeaks(model: PatternModel, out: Float64Array, jac?: Float64Array, spans?: JacobianRowSpans): void {
  const pearson = model.pearsonIndex >= 0;
  // A call per peak, and the values-only path of a symmetric pseudo-Voigt (every trial step's) apart from the general
  // one: a fresh thread optimises each small function with type feedback for all its code. As one function, the first
  // call (a whole pattern) had it optimised before any Jacobian was asked for, and it was deoptimised and compiled again.
  for (let pk = 0; pk < model.peakCount; pk++) {
    if (model.peakHi[pk] <= model.peakLo[pk]) continue;
    if (pearson) addPearsonPeak(model, pk, out, jac, spans);
    else if (!jac && model.work.nodeCount[pk] === 0) addSymmetricPeakValues(model, pk, out);
    else addPseudoVoigtPeak(model, pk, out, jac, spans);
  }
}

/** Peak `pk` (symmetric, no FCJ nodes) into `out`, values only. */
function addSymmetricPeakValues(model: PatternModel, pk: number, out: Float64Array): void {
  const x = model.x;
  const mp = model.phases[model.peakPhase[pk]];
  const amp = mp.intensity[model.peakReflection[pk]] * model.lines[model.peakLine[pk]].ratio;
  if (amp === 0) return;
  const pos = model.peakPos[pk];
  const eta = model.peakEta[pk];
  const invH = 1 / model.peakFwhm[pk];
  const aL = amp * eta * (LORENTZ_NORM * invH);
  const aG = amp * (1 - eta) * (GAUSS_NORM * invH);
  const hi = model.peakHi[pk];
  for (let i = model.peakLo[pk]; i < hi; i++) {
    const u = (x[i] - pos) * invH;
    const u2 = u * u;
    out[i] += aL / (1 + 4 * u2) + (u2 < 16 ? aG * Math.exp(-FOUR_LN2 * u2) : 0);
  }
}

/** Peak `pk` into `out`, with FCJ nodes and, given `jac`, its derivatives. */
function addPseudoVoigtPeak(model: PatternModel, pk: number, out: Float64Array, jac: Float64Array | undefined, spans: JacobianRowSpans | undefined): void {
  const x = model.x;
  const n = x.length;
  const w = model.work;
  const lo = model.peakLo[pk];
  const hi = model.peakHi[pk];
  const mp = model.phases[model.peakPhase[pk]];
  const ratio = model.lines[model.peakLine[pk]].ratio;
  const amp = mp.intensity[model.peakReflection[pk]] * ratio;
  if (amp === 0 && !jac) return;
  const freeIntensity = w.fullToFree[mp.intensityIndex + model.peakReflection[pk]];
  const tI = jac ? freeIntensity : -1;
  const pos = model.peakPos[pk];
  const H = model.peakFwhm[pk];
  const eta = model.peakEta[pk];
  const invH = 1 / H;
  const gN = GAUSS_NORM * invH;
  const lN = LORENTZ_NORM * invH;
  const nn = w.nodeCount[pk];
  const nodeBase = pk * MAX_NODES;
  const dHdG = w.dH[pk * 4];
  const dHdL = w.dH[pk * 4 + 1];
  const dEdG = w.dH[pk * 4 + 2];
  const dEdL = w.dH[pk * 4 + 3];
  const ne = jac ? w.entryCount[pk] : 0;
  const eBase = pk * MAX_ENTRIES;
  derivativeWindow(model, pk, ne, tI, spans);
  const dLo = w.window[0];
  const dHi = w.window[1];
  for (let i = lo; i < hi; i++) {
    let f = 0;
    let fx = 0;
    let fH = 0;
    let fE = 0;
    const count = nn > 0 ? nn : 1;
    for (let e = 0; e < count; e++) {
      const wt = nn > 0 ? w.nodeWeight[nodeBase + e] : 1;
      const dx = x[i] - pos - (nn > 0 ? w.nodeOffset[nodeBase + e] : 0);
      const u = dx * invH;
      const u2 = u * u;
      const den = 1 / (1 + 4 * u2);
      // The Gaussian is below 1e-19 of its peak beyond 4 FWHM: skip the exp there (the Lorentzian tail is not).
      const g = u2 < 16 ? gN * Math.exp(-FOUR_LN2 * u2) : 0;
      const lz = lN * den;
      f += wt * (eta * lz + (1 - eta) * g);
      if (ne > 0 && i >= dLo && i < dHi) {
        // ∂/∂x and ∂/∂H of the unit-area Gaussian and Lorentzian (u = dx/H).
        fx += wt * (eta * lz * (-8 * u * den * invH) + (1 - eta) * g * (-2 * FOUR_LN2 * u * invH));
        fH += wt * (eta * lz * invH * (-1 + 8 * u2 * den) + (1 - eta) * g * invH * (-1 + 2 * FOUR_LN2 * u2));
        fE += wt * (lz - g);
      }
    }
    out[i] += amp * f;
    if (tI >= 0) jac![tI * n + i] += ratio * f;
    if (ne > 0 && i >= dLo && i < dHi) {
      const dPos = -amp * fx;
      const dG = amp * (fH * dHdG + fE * dEdG);
      const dL = amp * (fH * dHdL + fE * dEdL);
      for (let e = 0; e < ne; e++) {
        const t = w.entryIndex[eBase + e];
        jac![t * n + i] += dPos * w.entryPos[eBase + e] + dG * w.entryGauss[eBase + e] + dL * w.entryLorentz[eBase + e];
      }
    }
  }
}

/** Per-peak constants of a unit-area Pearson VII of FWHM H and exponent m: f = (N/H)(1 + k u²)^(−m), u = Δ2θ/H. */
interface PearsonConstants {
  /** k = 4(2^(1/m) − 1). */
  k: number;
  /** N = 2√(2^(1/m) − 1) Γ(m) / (√π Γ(m − ½)). */
  norm: number;
  /** dk/dm. */
  dk: number;
  /** d ln N / dm. */
  dLnNorm: number;
}

function pearsonConstants(m: number, out: PearsonConstants): PearsonConstants {
  const p = Math.pow(2, 1 / m);
  const a = p - 1;
  const da = (-p * Math.LN2) / (m * m);
  out.k = 4 * a;
  out.dk = 4 * da;
  out.norm = (2 * Math.sqrt(a) * Math.exp(lnGamma(m) - lnGamma(m - 0.5))) / Math.sqrt(Math.PI);
  out.dLnNorm = da / (2 * a) + digamma(m) - digamma(m - 0.5);
  return out;
}

const pearsonScratch: PearsonConstants = { k: 0, norm: 0, dk: 0, dLnNorm: 0 };

/**
 * {@link addPeaks}' peak `pk` for a Pearson VII model: the same windows, FCJ nodes and chain rule through (position,
 * H_G, H_L), plus ∂f/∂m for the exponent's terms.
 */
function addPearsonPeak(model: PatternModel, pk: number, out: Float64Array, jac: Float64Array | undefined, spans: JacobianRowSpans | undefined): void {
  const x = model.x;
  const n = x.length;
  const w = model.work;
  const pc = pearsonScratch;
  const lo = model.peakLo[pk];
  const hi = model.peakHi[pk];
  const mp = model.phases[model.peakPhase[pk]];
  const ratio = model.lines[model.peakLine[pk]].ratio;
  const amp = mp.intensity[model.peakReflection[pk]] * ratio;
  if (amp === 0 && !jac) return;
  const freeIntensity = w.fullToFree[mp.intensityIndex + model.peakReflection[pk]];
  const tI = jac ? freeIntensity : -1;
  const pos = model.peakPos[pk];
  const H = model.peakFwhm[pk];
  const m = model.peakEta[pk];
  const k = w.pearsonK[pk];
  const invH = 1 / H;
  const scale = w.pearsonNorm[pk] * invH;
  const nn = w.nodeCount[pk];
  const nodeBase = pk * MAX_NODES;
  const dHdG = w.dH[pk * 4];
  const dHdL = w.dH[pk * 4 + 1];
  const ne = jac ? w.entryCount[pk] : 0;
  const eBase = pk * MAX_ENTRIES;
  derivativeWindow(model, pk, ne, tI, spans);
  const dLo = w.window[0];
  const dHi = w.window[1];
  // ∂/∂m needs dk/dm and d ln N/dm (digamma): only for a Jacobian.
  if (ne > 0) pearsonConstants(m, pc);
  const count = nn > 0 ? nn : 1;
  for (let i = lo; i < hi; i++) {
    const inWindow = ne > 0 && i >= dLo && i < dHi;
    let f = 0;
    let fx = 0;
    let fH = 0;
    let fM = 0;
    for (let e = 0; e < count; e++) {
      const wt = nn > 0 ? w.nodeWeight[nodeBase + e] : 1;
      const u = (x[i] - pos - (nn > 0 ? w.nodeOffset[nodeBase + e] : 0)) * invH;
      const u2 = u * u;
      const g = 1 + k * u2;
      const v = scale * Math.pow(g, -m);
      f += wt * v;
      if (inWindow) {
        // ∂/∂x, ∂/∂H at fixed m, and ∂/∂m (through the normalisation and the shape) of the unit-area profile.
        fx += wt * v * ((-2 * m * k * u) / g) * invH;
        fH += wt * v * invH * (-1 + (2 * m * k * u2) / g);
        fM += wt * v * (pc.dLnNorm - Math.log(g) - (m * pc.dk * u2) / g);
      }
    }
    out[i] += amp * f;
    if (tI >= 0) jac![tI * n + i] += ratio * f;
    if (inWindow) {
      const dPos = -amp * fx;
      const dG = amp * fH * dHdG;
      const dL = amp * fH * dHdL;
      const dM = amp * fM;
      for (let e = 0; e < ne; e++) {
        const t = w.entryIndex[eBase + e];
        jac![t * n + i] +=
          dPos * w.entryPos[eBase + e] + dG * w.entryGauss[eBase + e] + dL * w.entryLorentz[eBase + e] + dM * w.entryShape[eBase + e];
      }
    }
  }
}

function unitPseudoVoigt(u: number, H: number, eta: number): number {
  const u2 = u * u;
  return (eta * LORENTZ_NORM) / H / (1 + 4 * u2) + (u2 < 16 ? ((1 - eta) * GAUSS_NORM * Math.exp(-FOUR_LN2 * u2)) / H : 0);
}

/** Unit-area profile of peak `pk` at `twoThetaDeg` (FCJ nodes included), from the last `computePeaks`. */
export function peakShape(model: PatternModel, pk: number, twoThetaDeg: number): number {
  const w = model.work;
  const H = model.peakFwhm[pk];
  const eta = model.peakEta[pk];
  const nn = w.nodeCount[pk];
  const base = pk * MAX_NODES;
  const dx0 = twoThetaDeg - model.peakPos[pk];
  if (model.pearsonIndex >= 0) {
    const k = w.pearsonK[pk];
    const scale = w.pearsonNorm[pk] / H;
    if (nn === 0) return scale * Math.pow(1 + (k * dx0 * dx0) / (H * H), -eta);
    let f = 0;
    for (let e = 0; e < nn; e++) {
      const u = (dx0 - w.nodeOffset[base + e]) / H;
      f += w.nodeWeight[base + e] * scale * Math.pow(1 + k * u * u, -eta);
    }
    return f;
  }
  if (nn === 0) return unitPseudoVoigt(dx0 / H, H, eta);
  let f = 0;
  for (let e = 0; e < nn; e++) f += w.nodeWeight[base + e] * unitPseudoVoigt((dx0 - w.nodeOffset[base + e]) / H, H, eta);
  return f;
}

/** Background Σ c_m T_m into `out` (overwrites). */
export function writeBackground(model: PatternModel, out: Float64Array): void {
  const n = model.x.length;
  const terms = model.backgroundTerms;
  const full = model.full;
  const c0 = model.backgroundIndex;
  if (terms < 3) {
    for (let i = 0; i < n; i++) out[i] = (terms > 0 ? full[c0] : 0) + (terms > 1 ? full[c0 + 1] * model.basis[n + i] : 0);
    return;
  }
  // Clenshaw's recurrence on u = T₁(x) (the basis's second row): one pass over the points, without reading the other
  // rows of the basis (its whole is 8·terms bytes a point, streamed on every evaluation otherwise). Two points at a
  // time: the recurrence is a chain of dependent steps, two chains keep the FPU busy.
  // An odd count pairs its last point with itself (no tail loop: optimised in the middle of the first call, the tail
  // lacked type feedback and every later call left the optimised loop through a deoptimisation).
  const basis = model.basis;
  const cFirst = full[c0];
  for (let i = 0; i < n; i += 2) {
    const j = i + 1 < n ? i + 1 : i;
    const u = basis[n + i];
    const v = basis[n + j];
    let b1 = 0;
    let b2 = 0;
    let d1 = 0;
    let d2 = 0;
    for (let m = terms - 1; m >= 1; m--) {
      const c = full[c0 + m];
      const b = c + 2 * u * b1 - b2;
      const d = c + 2 * v * d1 - d2;
      b2 = b1;
      b1 = b;
      d2 = d1;
      d1 = d;
    }
    out[i] = cFirst + u * b1 - b2;
    out[j] = cFirst + v * d1 - d2;
  }
}

/** f(θ) into `out`. */
export function evaluateModel(model: PatternModel, theta: Float64Array | undefined, out: Float64Array): void {
  if (theta) unpackFree(model, theta);
  computePeaks(model, false);
  writeBackground(model, out);
  addPeaks(model, out);
}

/**
 * Analytic Jacobian (FCJ ratios by forward differences) into `jac` (zero-filled by the caller); with `spans`, also
 * where each row can be non-zero (a peak's window for its intensity, the union of windows for shared parameters).
 */
export function modelJacobian(model: PatternModel, theta: Float64Array, modelValues: Float64Array, jac: Float64Array, spans?: JacobianRowSpans): void {
  unpackFree(model, theta);
  const n = model.x.length;
  computePeaks(model, true);
  const scratch = model.work.fdModel;
  scratch.fill(0);
  if (spans) {
    spans.first.fill(n);
    spans.last.fill(0);
  }
  addPeaks(model, scratch, jac, spans);
  const fullToFree = model.work.fullToFree;
  for (let m = 0; m < model.backgroundTerms; m++) {
    const t = fullToFree[model.backgroundIndex + m];
    if (t < 0) continue;
    // A background row never changes: the engine may have kept it from the previous call.
    if (!spans || spans.kept[t] === 0) jac.set(model.basis.subarray(m * n, (m + 1) * n), t * n);
    if (spans) {
      spans.first[t] = 0;
      spans.last[t] = n;
    }
  }
  for (const gi of [G_SL, G_HL]) {
    const t = fullToFree[gi];
    if (t < 0) continue;
    if (spans) {
      spans.first[t] = 0;
      spans.last[t] = n;
    }
    const v0 = model.full[gi];
    const step = 1e-4 * Math.max(Math.abs(v0), 1e-3);
    model.full[gi] = v0 + step;
    model.work.freezeWindows[0] = 1;
    evaluateModel(model, undefined, scratch);
    model.work.freezeWindows[0] = 0;
    model.full[gi] = v0;
    for (let i = 0; i < n; i++) jac[t * n + i] = (scratch[i] - modelValues[i]) / step;
  }
  computePeaks(model, false);
  if (spans) spans.known = true;
}
