// Types of the Operando XRD notebook API: the globals `xrd`, `show` and `table` in cells of a notebook run by the
// "Operando XRD (TypeScript)" kernel. Paths are relative to the notebook. Units are in the names.

type Axis = 'twoTheta' | 'q' | 'd';

interface XrdWavelengthLine {
  /** Wavelength in Å. */
  readonly angstrom: number;
  /** Intensity relative to the main line (1). */
  readonly ratio: number;
  /** Where it came from: the file, the user, or a default. */
  readonly source: 'file' | 'user' | 'default';
  readonly label?: string;
}

/** One powder pattern: x in its native axis (2θ in °, q in Å⁻¹ or nm⁻¹, d in Å), intensities, optional σ. */
interface XrdScan {
  readonly file: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly sigma?: Float64Array;
  readonly axis: Axis;
  readonly unit: 'deg' | 'invAngstrom' | 'invNanometre' | 'angstrom';
  readonly intensityKind: 'counts' | 'countsPerSecond' | 'normalised' | 'unknown';
  readonly wavelengths: readonly XrdWavelengthLine[];
  readonly startTime?: string;
  readonly endTime?: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A cycler record: canonical columns with units in their names (time_s, voltage_V, current_mA, charge_mAh, cycle, step …). */
interface XrdEchemRecord {
  readonly kind: 'electrochemistry';
  readonly format: string;
  readonly records: number;
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly units: Readonly<Record<string, string>>;
  readonly startTime?: string;
  readonly warnings: readonly string[];
}

interface XrdSeries {
  readonly files: readonly string[];
  readonly scans: readonly XrdScan[];
}

interface XrdWavelengthOptions {
  /** Wavelength in Å (overrides the file's lines). */
  readonly wavelengthAngstrom?: number;
  /** Photon energy in keV: λ = 12.398419843 / E. */
  readonly energyKeV?: number;
  /** Lab anode: Kα1 and Kα2 (ratio 0.5). */
  readonly anode?: 'Cu' | 'Mo' | 'Co' | 'Ag';
}

/** Instrumental profile (Caglioti U, V, W in deg², Lorentzian X, Y in deg, zero in deg …), as read from an .instprm file. */
type XrdInstrument = Readonly<Record<string, number>>;

interface XrdFitOptions extends XrdWavelengthOptions {
  /** Phases: 'layered', 'layered:2.87,14.2', 'monoclinic', 'al', 'cu', 'graphite', 'lic6', 'lic12', 'li', 'steel', 'spinel'. */
  readonly phases?: readonly string[];
  /** 'pawley' (default), 'lebail' or 'rietveld' (layered R-3m, Al, Cu; returns XrdRietveldResult). */
  readonly method?: 'pawley' | 'lebail' | 'rietveld';
  /** Rietveld: composition of the layered phases ('NMC811' default, 'NMC622', 'NMC111', 'LNO', 'LCO'). */
  readonly composition?: string;
  /**
   * Rietveld: specimen absorption by geometry. Default a thick flat Bragg–Brentano specimen (the same at every angle);
   * a thin one with its μ·t; a flat plate in transmission (coin or pouch cell) with its μ·t; a capillary with its μ·R.
   */
  readonly absorption?:
    | { readonly geometry: 'bragg-brentano'; readonly muT?: number }
    | { readonly geometry: 'transmission'; readonly muT: number }
    | { readonly geometry: 'capillary'; readonly muR: number };
  /** 'uniaxial001' (default): ε_hkl² = ε_iso² + ε_001² cos⁴φ; or 'none', 'iso', 'stephens'. */
  readonly strain?: 'none' | 'iso' | 'uniaxial001' | 'stephens';
  /**
   * 'iso': an isotropic crystallite size, Γ = K λ/(L cosθ) with K = 1 (Scherrer, GSAS-II's convention), refined per
   * phase with its Lorentzian share held at 1 (GSAS-II's default size mixing; hold a calibrated instrument); default
   * 'none'.
   */
  readonly size?: 'none' | 'iso';
  /**
   * Peak shape: 'tch' (default, the Thompson–Cox–Hastings pseudo-Voigt) or 'pearsonVII': a Pearson VII of the same
   * FWHM with exponent m = m₀ + m₁·100/2θ + m₂·(100/2θ)² (m₀ refined from 2; the result's `profile` gives m with σ).
   */
  readonly profile?: 'tch' | 'pearsonVII';
  /** 2θ range in degrees. */
  readonly rangeDeg?: readonly [number, number];
  /** Excluded regions in 2θ (deg), d (Å) or q (Å⁻¹). */
  readonly exclusions?: readonly { from: number; to: number; unit: 'deg' | 'angstrom' | 'invAngstrom' }[];
  /** A calibrated instrument: its profile is held fixed. */
  readonly instrument?: XrdInstrument;
  /** An internal standard present in every pattern ('al' or 'al:4.0495'): its cell is held at the reference value while the detector-distance error ΔD/D is refined. */
  readonly internalStandard?: string;
}

/** One phase of a Rietveld fit: zO with M at 3a (zOM3b = ½ − zO), antisite fraction, d_TM–O, Hill–Howard weight fraction. */
interface XrdRietveldPhase {
  readonly name: string;
  readonly a: number;
  readonly aSigma: number;
  readonly c: number;
  readonly cSigma: number;
  readonly weightFraction: number;
  readonly weightFractionSigma: number;
  readonly zO?: number;
  readonly zOSigma?: number;
  readonly zOM3b?: number;
  readonly antisite?: number;
  readonly antisiteSigma?: number;
  readonly dTMO?: number;
  readonly dTMOSigma?: number;
  readonly biso: Readonly<Record<string, { value: number; sigma: number }>>;
}

interface XrdRietveldResult {
  readonly phases: readonly XrdRietveldPhase[];
  readonly Rwp: number;
  readonly gof: number;
  readonly chi2red: number;
  readonly stopReason: string;
  /** Refined parameters that ended on the edge of their search window (z_O at 0.2 or 0.3, B at 10 Å², a cell edge at ±20 % of its start, …): the fit ran away. */
  readonly atBounds: readonly string[];
  readonly parameterNames: readonly string[];
  readonly covariance: Float64Array;
}

/** A calibration on a standard: λ (Å) with σ, σ(λ)/λ, the calibrated instrument, zero and displacement with σ. */
interface XrdCalibration {
  readonly standard: string;
  readonly wavelengthAngstrom: number;
  readonly wavelengthSigmaAngstrom: number;
  readonly wavelengthRelativeSigma: number;
  readonly instrument: XrdInstrument;
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  readonly displacementMm: number;
  readonly displacementSigma: number;
  readonly gof: number;
  readonly stopReason: string;
}

interface XrdStrain {
  readonly model: string;
  /** Isotropic microstrain ε (FWHM of Δd/d; GSAS-II μstrain = 2·10⁶ ε). */
  readonly iso: number;
  readonly isoSigma: number;
  /** Anisotropic strain along [001]. */
  readonly e001: number;
  readonly e001Sigma: number;
  /** Lorentzian share of the strain broadening. */
  readonly zeta: number;
}

/** Crystallite size: model 'none' gives lengthNm = Infinity. */
interface XrdSize {
  readonly model: 'none' | 'iso';
  /** Scherrer size L = K λ/(Γ_size cosθ) from the FWHM of the size broadening (nm), K = scherrerK (1). */
  readonly lengthNm: number;
  readonly lengthNmSigma: number;
  /** Volume-weighted column length ⟨L⟩_V = λ/(β cosθ) from the size profile's integral breadth (nm). */
  readonly volumeWeightedNm: number;
  readonly volumeWeightedNmSigma: number;
  /** Lorentzian share of the size broadening: held at 1 by fit and sequential (zetaSigma 0, zetaAtBound false). */
  readonly zeta: number;
  readonly zetaSigma: number;
  readonly zetaAtBound: boolean;
  readonly scherrerK: number;
}

interface XrdPhaseResult {
  readonly name: string;
  readonly spaceGroup: string;
  /** Cell in Å and degrees, with σ. */
  readonly a: number;
  readonly aSigma: number;
  readonly b: number;
  readonly bSigma: number;
  readonly c: number;
  readonly cSigma: number;
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  /** Å³. */
  readonly volume: number;
  readonly volumeSigma: number;
  readonly strain: XrdStrain;
  readonly size: XrdSize;
  /** FWHM of 003 in degrees 2θ. */
  readonly fwhm003Deg?: number;
  readonly reflections: readonly { h: number; k: number; l: number; dAngstrom: number; twoThetaDeg: number; intensity: number; fwhmDeg: number }[];
}

interface XrdFitResult {
  readonly phases: readonly XrdPhaseResult[];
  /** The peak shape; for Pearson VII the exponent's terms m₀, m₁, m₂ and their σ. */
  readonly profile:
    | { readonly shape: 'tch' }
    | { readonly shape: 'pearsonVII'; readonly m: readonly [number, number, number]; readonly mSigma: readonly [number, number, number] };
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  /** Flat-detector distance error ΔD/D and σ (refined when an internal standard is given). */
  readonly detectorDistanceRelative: number;
  readonly detectorDistanceRelativeSigma: number;
  readonly Rwp: number;
  readonly RwpBackgroundSubtracted: number;
  readonly Rp: number;
  readonly Rexp: number;
  readonly chi2red: number;
  readonly gof: number;
  readonly points: number;
  readonly iterations: number;
  readonly stopReason: string;
  /** Refined parameters that ended on the edge of their search window (a cell edge at ±20 % of its start, the zero shift at ±1°, …): the fit ran away. Physical limits (a width or strain at 0) are not listed. */
  readonly atBounds: readonly string[];
  readonly twoThetaDeg: Float64Array;
  readonly calculated: Float64Array;
  readonly background: Float64Array;
}

interface XrdLithiumOptions {
  /** Active mass in mg, or area × loading × active fraction. */
  readonly activeMass: { activeMassMg: number } | { areaCm2: number; loadingMgPerCm2: number; activeFraction?: number };
  /** 'NMC811', 'NMC622', 'LNO', 'LiNi0.8Mn0.1Co0.1O2' … or a molar mass in g/mol. */
  readonly composition: string | number;
  /** c_Li at the first sample (default 1, a pristine first charge). */
  readonly cLi0?: number;
  readonly chargeFrom?: 'current' | 'capacity';
  /** Zone of time stamps written without one: 'UTC', '+01:00', 'Europe/Paris'. */
  readonly timeZone?: string;
  /** Added to every cycler time, in s. */
  readonly clockOffsetS?: number;
}

interface XrdLithium {
  readonly timeline: {
    readonly unixTimeS: Float64Array;
    readonly voltageV: Float64Array;
    /** Oxidation-positive current in mA. */
    readonly currentMilliamp: Float64Array;
    readonly chargeMah: Float64Array;
    readonly cLi: Float64Array;
  };
  readonly activeMassMg: number;
  readonly molarMassGPerMol: number;
  readonly warnings: readonly string[];
}

interface XrdTimes {
  /** A scan log CSV (scan number or file → start/end time). */
  readonly log?: string;
  /** Or the first pattern's start (ISO 8601) and the period in s. */
  readonly start?: string;
  readonly periodS?: number;
  /** Or the files' modification times, each the end of an exposure of `exposureS` s (else back to back). */
  readonly modificationTime?: boolean;
  readonly exposureS?: number;
  readonly timeZone?: string;
  readonly clockOffsetS?: number;
}

interface XrdSequentialOptions extends XrdFitOptions {
  /** Worker threads (default: the machine's cores, at most 8). */
  readonly workers?: number;
  /** c_Li per file: a `file,c_Li` CSV path or rows. */
  readonly clis?: string | readonly { file: string; cLi: number }[];
  /** Or c_Li from cycler files. */
  readonly echem?: { readonly files: readonly string[] } & XrdLithiumOptions;
  readonly times?: XrdTimes;
}

interface XrdResults {
  readonly columns: readonly string[];
  /** One row per pattern: file, time_s, time_utc, c_Li, voltage_V, current_mA, a, a_sigma, c, c_sigma, d_TM, d_IL, strain_001, fwhm003_deg, Rwp, chi2red, gof, flags, size_nm and size_nm_sigma when a size was refined … */
  readonly rows: readonly Record<string, string | number>[];
  readonly done: number;
  readonly cancelled: boolean;
  readonly seconds: number;
  /** Times, lithium and alignment warnings, and why each pattern flagged 'error' could not be fitted. */
  readonly warnings: readonly string[];
  csv(): string;
}

interface XrdContent {
  /** c_Li. */
  readonly value: number;
  readonly sigma: number;
  /** 'interior', 'boundary' (extremum at the edge of the data) or 'none'. */
  readonly status: 'interior' | 'boundary' | 'none';
}

interface XrdAnalysis {
  readonly dIL_max_cLi: XrdContent;
  readonly dTM_plateau_cLi: XrdContent;
  readonly dTM_maxslope_cLi: XrdContent;
  readonly strain_onset_cLi: XrdContent;
  readonly masterCurve?: { eps0: number; A: number; lambda: number; cStar: number; cStarSigma: number };
  /** Rows left out: their fit is flagged unresolved, at-bound without a successful restart, or error. */
  readonly leftOut: readonly number[];
}

/** A chart: show it with `show(chart)` or make it a cell's last expression. */
interface XrdChart {
  readonly kind: 'operando-xrd.chart';
  readonly spec: Record<string, unknown>;
  readonly title?: string;
}

interface XrdApi {
  readonly version: string;
  /** Read one diffraction scan (the first, or `options.scan`). */
  read(file: string, options?: XrdWavelengthOptions & { scan?: number }): XrdScan;
  /** Read any supported file as it is. */
  readFile(file: string): unknown;
  readEchem(file: string): XrdEchemRecord;
  /** A folder (natural order), a pattern such as `'scans/*.xy'` (`**` for any depth of folders), a multi-scan file, or a list of these. */
  readSeries(files: string | readonly string[], options?: XrdWavelengthOptions): XrdSeries;
  readCsv(file: string): Record<string, string>[];
  /** A GSAS-II .instprm or FullProf .irf file's instrumental profile. */
  readInstrument(file: string): XrdInstrument;
  /** Calibrate λ ('wavelength') or zero/displacement and the profile on a standard ('lab6', 'ceo2', 'si') with its certified cell. */
  calibrate(scan: XrdScan, standard: string, options?: XrdWavelengthOptions & { refine?: readonly ('wavelength' | 'zero' | 'displacement')[]; rangeDeg?: readonly [number, number] }): XrdCalibration;
  /** Peaks standing minSignificance σ (default 5) above the background and above their surroundings, strongest first; netHeight and fwhmDeg are measured above the background. */
  findPeaks(scan: XrdScan, options?: { rangeDeg?: readonly [number, number]; minSignificance?: number; minSeparationDeg?: number }): { twoThetaDeg: number; dAngstrom: number; qInvAngstrom: number; counts: number; netHeight: number; fwhmDeg: number; prominence: number }[];
  fitPeaks(scan: XrdScan, options?: { positionsDeg?: readonly number[]; rangeDeg?: readonly [number, number]; shape?: 'pseudoVoigt' | 'pearsonVII' | 'splitPseudoVoigt' }): unknown;
  estimateLattice(scan: XrdScan, phase?: string, reflections?: readonly string[]): { cell: { a: number; b: number; c: number }; aSigma: number; cSigma: number };
  /** Whole-pattern Pawley or Le Bail fit of one scan. */
  fit(scan: XrdScan, options?: XrdFitOptions & { method?: 'pawley' | 'lebail' }): XrdFitResult;
  fit(scan: XrdScan, options: XrdFitOptions & { method: 'rietveld' }): XrdRietveldResult;
  lithium(files: string | readonly string[], options: XrdLithiumOptions): XrdLithium;
  align(series: XrdSeries, lithium: XrdLithium, times?: XrdTimes): { patterns: { file: string; timeS: number; cLi: number; cLiSpan: number; voltageV: number; currentMilliamp: number; flags: readonly string[] }[]; warnings: string[] };
  /** Sequential refinement of a series in parallel workers, with progress in the cell. */
  sequential(series: XrdSeries, options?: XrdSequentialOptions): Promise<XrdResults>;
  /** Characteristic lithium contents and the strain master curve (Jousseaume et al. 2024). */
  analyze(results: XrdResults | readonly Record<string, unknown>[], options?: { window?: number }): XrdAnalysis;
  chart(spec: Record<string, unknown>, title?: string): XrdChart;
  show(value: unknown): void;
  table(rows: readonly Record<string, unknown>[]): unknown;
  /** Write rows as CSV; refuses to overwrite unless `overwrite` is set. */
  writeCsv(file: string, rows: readonly Record<string, unknown>[], options?: { overwrite?: boolean }): string;
  readonly plot: {
    pattern(scan: XrdScan, fit?: XrdFitResult, title?: string): XrdChart;
    heatmap(series: XrdSeries, options?: { row?: 'index' | 'timeS' | 'cLi'; rowValues?: ArrayLike<number>; intensityScale?: 'linear' | 'sqrt' | 'log' }): XrdChart;
    waterfall(series: XrdSeries, options?: { row?: 'index' | 'timeS' | 'cLi'; rowValues?: ArrayLike<number> }): XrdChart;
    lattice(results: XrdResults | readonly Record<string, unknown>[] | Record<string, XrdResults>, name?: string): XrdChart;
    /** Lattice, derivatives with the characteristic contents, eqn (1) strain, master curve, voltage. */
    report(results: XrdResults | readonly Record<string, unknown>[], options?: { name?: string; window?: number; deltas?: number[]; strainColumn?: string }): XrdChart[];
    /** ESI S16: a reflection's profile when c_Li spreads by Δ around atCLi, beside the observed peak of `scan`. */
    peakWarping(results: XrdResults | readonly Record<string, unknown>[], options: { atCLi: number; hkl?: string; deltas?: number[]; wavelengthAngstrom: number; fwhmDeg?: number; scan?: XrdScan }): XrdChart;
    voltage(lithium: XrdLithium, name?: string): XrdChart;
    dqdv(lithium: XrdLithium, name?: string): XrdChart;
    echem(record: XrdEchemRecord, cycle?: number): XrdChart;
  };
}

/** The Operando XRD engine. */
declare const xrd: XrdApi;
/** Display a chart, a table or any value as an output of this cell. */
declare function show(value: unknown): void;
/** A table output (HTML and text) from rows of objects. */
declare function table(rows: readonly Record<string, unknown>[]): unknown;
