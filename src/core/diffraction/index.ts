/**
 * Diffraction engine: cells and space groups → reflection lists → TCH pseudo-Voigt peaks (FCJ asymmetry, emission
 * doublets, geometric shifts, hkl-dependent strain) on a Chebyshev background → Le Bail / Pawley whole-pattern fits,
 * single-peak fits and lattice estimates; Rietveld of layered oxides (and Al/Cu) on the same profiles; instrument
 * calibration on certified standards; GSAS-II .instprm and FullProf .irf files.
 */
export { type Cell, cellVolume, dFromTwoThetaDeg, dSpacingAngstrom, metricTensor, reciprocalMetricTensor, twoThetaDegFromD } from './cell.ts';
export { CrystalSystem, LaueClass, SPACE_GROUP_SYMBOLS, type SpaceGroup, equivalents, laueOperations, spaceGroup } from './spaceGroups.ts';
export { type Reflection, explicitReflections, generateReflections } from './reflections.ts';
export { PHASE_PRESETS, type Phase, monoclinicFromHexagonal, phasePreset } from './phases.ts';
export {
  fcjWeights,
  gaussian,
  lorentzian,
  pearsonVII,
  pseudoVoigt,
  splitPseudoVoigt,
  type TchWidths,
  tchWidths,
} from './profiles.ts';
export {
  SQRT_8LN2,
  StrainModel,
  gsasMustrainFromStrainFwhm,
  stephensFromUniaxial,
  stephensTrigonalStrainFwhm,
  strainBroadeningDeg,
  strainFwhmFromGsasMustrain,
  uniaxialStrainFwhm,
} from './strain.ts';
export { SizeModel, integralBreadthRatio, scherrerBroadeningDeg, scherrerLengthNm, volumeWeightedLengthNm } from './size.ts';
export { chebyshevBasis, evaluateBackground } from './background.ts';
export { INSTRUMENT_DEFAULTS, type InstrumentProfile, type PhaseSize, REFINE_DEFAULTS, type RefineFlags } from './patternModel.ts';
export {
  type Exclusion,
  LE_BAIL_DEFAULTS,
  type LeBailOptions,
  type FitAgreement,
  type LeBailResult,
  type PhaseResult,
  type ReflectionResult,
  type SizeResult,
  type StrainResult,
  fitLeBail,
  fitPawley,
} from './leBail.ts';
export {
  type FittedPeak,
  type IndexedPosition,
  type LatticeEstimate,
  PEAK_FIT_DEFAULTS,
  type PeakFitOptions,
  type PeakFitResult,
  PeakShape,
  estimateLattice,
  findPeaks,
  fitPeaks,
  latticeFromPositions,
} from './peaks.ts';
export { type InstrumentFile, formatInstprm, parseInstprm } from './instprm.ts';
export { type CalibrationOptions, type CalibrationResult, CALIBRATION_DEFAULTS, STANDARDS, calibrateInstrument, cellSigmaWithWavelength, formatCalibrationInstprm, standardPhase, wavelengthRelativeSigmaOf } from './calibration.ts';
export { formatIrf, isIrfFile, parseIrf } from './irf.ts';
export { ATOMIC_MASS, DISPERSION_TABLES, FORM_FACTOR_COEFFICIENTS, dispersion, formFactor } from './formFactors.ts';
export { LAYERED_COMPOSITIONS, RIETVELD_DEFAULTS, type RietveldOptions, type RietveldPhase, type RietveldResult, fitRietveld, layeredPhase, structureFactorSquared } from './rietveld.ts';
export { type AbsorptionModel, absorptionFactor, cylinderTransmission } from './absorption.ts';
