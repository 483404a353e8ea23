/**
 * Rietveld refinement (Rietveld, J. Appl. Cryst. 1969, 2, 65) of pristine layered oxides LiMO2 (R-3m) and cubic
 * metals beside them (Al, Cu current collectors), on the shared whole-pattern profile machinery: the structure
 * supplies each reflection's intensity, the pattern model (`patternModel.ts`) its position and shape.
 *
 * Pipeline: Pawley fit (cell, profile, zero/displacement, strain, background as the caller asks) → pattern model
 * seeded from it → Levenberg–Marquardt on the same pattern parameters plus, per phase, scale, oxygen z, Li/Ni
 * antisite fraction, isotropic B and the March–Dollase ratio → σ and covariance from (JᵀWJ)⁻¹·χ²_red.
 *
 * Intensity of reflection hkl (area, counts·deg): I = S · Σ_components m |F|² · LP(θ) · P_MD(α)
 * - F = Σ_j occ_j (f₀_j(s) + f′_j + i f″_j) exp(−B_j s²) exp(2πi h·r_j), s = 1/(2d) (ITC Vol. C §6.1.1; DW factor
 *   ITC Vol. C eq. 6.1.1.6, B = 8π²⟨u²⟩);
 * - LP = (1 + K cos²2θ) / (sin²θ cosθ) / (1 + K), K = cos²2θ_M for a monochromator at 2θ_M (Azároff, Acta Cryst.
 *   1955, 8, 701; K = 1 without one), or for a synchrotron with a fraction p of the beam polarised perpendicular to
 *   the scattering plane: (p + (1 − p) cos²2θ) / (sin²θ cosθ);
 * - P_MD = (r² cos²α + sin²α / r)^(−3/2), α between the scattering vector and [001]* (Dollase, J. Appl. Cryst.
 *   1986, 19, 267);
 * - absorption A(θ) for the geometry (`absorption.ts`): constant for a thick flat Bragg–Brentano specimen (the
 *   default), 1 − exp(−2μt/sinθ) for a thin one, a flat plate in transmission, or a capillary of given μR.
 * - Hill & Howard (J. Appl. Cryst. 1987, 20, 467): W_p = S_p (ZMV)_p / Σ_i S_i (ZMV)_i with ZM the cell's mass.
 *
 * Layered structure, project setting (science.md §2): M at 3a (0,0,0), Li at 3b (0,0,½), O at 6c (0,0,z),
 * z ≈ 0.258; `zOM3b` = ½ − z is the other origin's value. Antisite x: x Ni on the Li site and x Li on the M site.
 * d_TM–O = √(a²/3 + c²(⅓ − z)²), σ from the covariance of a, c and z through its analytic gradient.
 */
import type { Scan } from '../data/scan.ts';
import { levenbergMarquardt } from '../fit/levenbergMarquardt.ts';
import { agreementFactors } from '../fit/statistics.ts';
import { type Cell, cellVolume, inverseDSquared, reciprocalMetricTensor } from './cell.ts';
import { ATOMIC_MASS, type Dispersion, dispersion, elementOf, formFactor } from './formFactors.ts';
import { type AbsorptionModel, absorptionFactor } from './absorption.ts';
import { type Exclusion, type FitAgreement, type LeBailOptions, type LeBailResult, LE_BAIL_DEFAULTS, agreementFields, emissionLines, fitPawley, pointSigma, strainModelFor } from './leBail.ts';
import {
  INSTRUMENT_DEFAULTS,
  type ParameterDef,
  type PatternModel,
  REFINE_DEFAULTS,
  type RefineFlags,
  createPatternModel,
  evaluateModel,
  modelJacobian,
  onWindowBound,
  packFree,
  phaseCell,
  unpackFree,
  writeBackground,
} from './patternModel.ts';
import type { Phase } from './phases.ts';
import type { Reflection } from './reflections.ts';
import { generateReflections } from './reflections.ts';
import { spaceGroup } from './spaceGroups.ts';
import { stephensFromUniaxial } from './strain.ts';

const DEG = Math.PI / 180;
const R_CENTRING: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [2 / 3, 1 / 3, 1 / 3],
  [1 / 3, 2 / 3, 2 / 3],
];
const F_CENTRING: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [0, 0.5, 0.5],
  [0.5, 0, 0.5],
  [0.5, 0.5, 0],
];

/** A layered LiMO2 structure: transition-metal fractions on the M site and start values. */
export interface LayeredStructure {
  readonly kind: 'layered';
  /** Fractions of the M site (sum 1), e.g. { Ni: 0.8, Mn: 0.1, Co: 0.1 }. Antisite Ni is taken from Ni. */
  readonly metals: Readonly<Record<string, number>>;
  /** Oxygen z with M at 3a (start). */
  readonly zO?: number;
  /** Li/Ni antisite fraction x (start). */
  readonly antisite?: number;
  /** Isotropic B (Å²) starts. */
  readonly bLi?: number;
  readonly bM?: number;
  readonly bO?: number;
  /** March–Dollase ratio along [001] (start; 1 = random). */
  readonly marchDollase?: number;
}

/** A cubic close-packed metal (Fm-3m, one atom at 0,0,0): Al, Cu. */
export interface FccStructure {
  readonly kind: 'fcc';
  readonly element: string;
  readonly b?: number;
}

/** A phase and its structure. */
export interface RietveldPhase {
  readonly phase: Phase;
  readonly structure: LayeredStructure | FccStructure;
}

/** Which structural parameters are refined (scale always). */
export interface RietveldRefineFlags {
  readonly zO: boolean;
  readonly antisite: boolean;
  readonly bM: boolean;
  readonly bO: boolean;
  readonly bLi: boolean;
  readonly marchDollase: boolean;
}

/** Options of {@link fitRietveld}: those of the Pawley start plus the Rietveld ones. Defaults in {@link RIETVELD_DEFAULTS}. */
export interface RietveldOptions extends LeBailOptions {
  readonly refineStructure?: Partial<RietveldRefineFlags>;
  /** Lab monochromator 2θ_M (deg; 0 = none, 26.6 for graphite with Cu Kα). */
  readonly monochromatorTwoThetaDeg?: number;
  /** Synchrotron: fraction of the beam polarised perpendicular to the scattering plane (0 for a horizontal plane). */
  readonly synchrotronPerpendicularFraction?: number;
  /** Include f′, f″ (default true). */
  readonly anomalousDispersion?: boolean;
  /** f′, f″ per element, over the tables of formFactors.ts (e.g. values measured near an absorption edge). */
  readonly dispersion?: Readonly<Record<string, Dispersion>>;
  /** Specimen absorption by geometry (μR of a capillary, μt of a plate); default a thick Bragg–Brentano specimen. */
  readonly absorption?: AbsorptionModel;
  readonly maxIterations?: number;
}

/** Defaults of {@link RietveldOptions} and the structure starts. */
export const RIETVELD_DEFAULTS = {
  refineStructure: { zO: true, antisite: true, bM: true, bO: true, bLi: false, marchDollase: false } as RietveldRefineFlags,
  zO: 0.258,
  antisite: 0.02,
  bLi: 1.0,
  bM: 0.4,
  bO: 0.6,
  bFcc: 0.7,
  marchDollase: 1,
  monochromatorTwoThetaDeg: 0,
  anomalousDispersion: true,
  maxIterations: 200,
} as const;

/** One phase of a Rietveld result (σ 0 when held). */
export interface RietveldPhaseResult {
  readonly name: string;
  readonly spaceGroup: string;
  readonly a: number;
  readonly aSigma: number;
  readonly b: number;
  readonly c: number;
  readonly cSigma: number;
  readonly volume: number;
  readonly scale: number;
  readonly scaleSigma: number;
  /** Hill–Howard weight fraction and its σ (from the scales' covariance). */
  readonly weightFraction: number;
  readonly weightFractionSigma: number;
  /** Layered only: oxygen z (M at 3a), its σ, and the M-at-3b value ½ − z. */
  readonly zO?: number;
  readonly zOSigma?: number;
  readonly zOM3b?: number;
  readonly antisite?: number;
  readonly antisiteSigma?: number;
  /** d_TM–O (Å) with σ from the (a, c, z) covariance. */
  readonly dTMO?: number;
  readonly dTMOSigma?: number;
  readonly marchDollase?: number;
  readonly marchDollaseSigma?: number;
  /** Isotropic B (Å²) and σ per site ('Li', 'M', 'O', or the metal). */
  readonly biso: Readonly<Record<string, { readonly value: number; readonly sigma: number }>>;
}

/** Result of {@link fitRietveld}. */
export interface RietveldResult extends FitAgreement {
  readonly phases: readonly RietveldPhaseResult[];
  readonly zeroDeg: number;
  readonly zeroSigma: number;
  readonly displacement: number;
  readonly displacementSigma: number;
  /** Names of the refined parameters, in the order of `covariance` (row-major, P × P). */
  readonly parameterNames: readonly string[];
  readonly covariance: Float64Array;
  readonly parameters: Readonly<Record<string, { readonly value: number; readonly sigma: number }>>;
  /** Refined parameters that ended on the edge of their search window (see LeBailResult.atBounds): z_O at 0.2 or 0.3, B at 10 Å², a cell edge at ±20 %, …. */
  readonly atBounds: readonly string[];
  /** The Pawley fit the refinement started from. */
  readonly pawley: LeBailResult;
  readonly twoThetaDeg: Float64Array;
  readonly calculated: Float64Array;
  readonly background: Float64Array;
}

/** The M-site fractions of the presets: NMC811, NMC622, LNO. */
export const LAYERED_COMPOSITIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  NMC811: { Ni: 0.8, Mn: 0.1, Co: 0.1 },
  NMC622: { Ni: 0.6, Mn: 0.2, Co: 0.2 },
  NMC111: { Ni: 1 / 3, Mn: 1 / 3, Co: 1 / 3 },
  LNO: { Ni: 1 },
  LCO: { Co: 1 },
};

interface AtomSite {
  readonly scatterer: string;
  readonly occupancy: number;
  readonly b: number;
  readonly positions: readonly (readonly [number, number, number])[];
}

interface StructParam {
  readonly name: string;
  value: number;
  readonly lower: number;
  readonly upper: number;
  readonly refine: boolean;
  /** As ParameterDef.windowBounds: which bounds are a search window, so that a value on one means a runaway fit. */
  readonly windowBounds: ParameterDef['windowBounds'];
}

interface CompiledPhase {
  readonly spec: RietveldPhase;
  /** Indices into the structural parameter list. */
  readonly scale: number;
  readonly zO: number;
  readonly antisite: number;
  readonly bLi: number;
  readonly bM: number;
  readonly bO: number;
  readonly md: number;
  /** Unmerged components of each merged model reflection. */
  readonly components: readonly (readonly Reflection[])[];
}

/** Sites of a phase at the current structural values. */
function sitesOf(cp: CompiledPhase, sp: readonly StructParam[]): AtomSite[] {
  const st = cp.spec.structure;
  if (st.kind === 'fcc') {
    return [{ scatterer: st.element, occupancy: 1, b: sp[cp.bM].value, positions: F_CENTRING }];
  }
  const z = sp[cp.zO].value;
  const x = sp[cp.antisite].value;
  const at = (p: readonly [number, number, number]): [number, number, number][] => R_CENTRING.map((t) => [p[0] + t[0], p[1] + t[1], p[2] + t[2]]);
  const mSite = at([0, 0, 0]);
  const liSite = at([0, 0, 0.5]);
  const oSite = [...at([0, 0, z]), ...at([0, 0, -z])];
  const bM = sp[cp.bM].value;
  const bLi = sp[cp.bLi].value;
  const bO = sp[cp.bO].value;
  const sites: AtomSite[] = [];
  for (const [el, frac] of Object.entries(st.metals)) {
    const occ = el === 'Ni' ? frac - x : frac;
    sites.push({ scatterer: el, occupancy: occ, b: bM, positions: mSite });
  }
  // Antisite: x Li on the M site (with the M site's B), x Ni on the Li site (with the Li site's B).
  sites.push({ scatterer: 'Li', occupancy: x, b: bM, positions: mSite });
  sites.push({ scatterer: 'Li', occupancy: 1 - x, b: bLi, positions: liSite });
  sites.push({ scatterer: 'Ni', occupancy: x, b: bLi, positions: liSite });
  sites.push({ scatterer: 'O', occupancy: 1, b: bO, positions: oSite });
  return sites;
}

/** |F(hkl)|² with f₀(s) + f′ + i f″ and isotropic Debye–Waller factors (s = sinθ/λ). */
export function structureFactorSquared(
  h: number,
  k: number,
  l: number,
  sOverLambda: number,
  sites: readonly AtomSite[],
  disp: (element: string) => Dispersion,
): number {
  let re = 0;
  let im = 0;
  const s2 = sOverLambda * sOverLambda;
  for (const site of sites) {
    if (site.occupancy === 0) continue;
    const d = disp(elementOf(site.scatterer));
    const t = site.occupancy * Math.exp(-site.b * s2);
    const f1 = (formFactor(site.scatterer, sOverLambda) + d.fPrime) * t;
    const f2 = d.fDoublePrime * t;
    for (const r of site.positions) {
      const ph = 2 * Math.PI * (h * r[0] + k * r[1] + l * r[2]);
      const c = Math.cos(ph);
      const s = Math.sin(ph);
      // (f1 + i f2)(c + i s)
      re += f1 * c - f2 * s;
      im += f1 * s + f2 * c;
    }
  }
  return re * re + im * im;
}

/** Mass of the cell content (g/mol per cell, = Z·M). */
function cellMass(sites: readonly AtomSite[]): number {
  let m = 0;
  for (const s of sites) {
    const mass = ATOMIC_MASS[elementOf(s.scatterer)];
    if (mass === undefined) throw new RangeError(`no atomic mass for '${s.scatterer}'`);
    m += s.occupancy * s.positions.length * mass;
  }
  return m;
}

function mergeKey(system: string, r: { h: number; k: number; l: number }): string {
  const { h, k, l } = r;
  // The keys of patternModel's mergeEqualSpacings (reflections of equal d for every cell of the system).
  if (system === 'cubic') return `${h * h + k * k + l * l}`;
  if (system === 'hexagonal') return `${h * h + h * k + k * k},${l * l}`;
  if (system === 'tetragonal') return `${h * h + k * k},${l * l}`;
  if (system === 'orthorhombic') return `${h * h},${k * k},${l * l}`;
  if (system === 'monoclinic') return `${h * h},${k * k},${l * l},${h * l}`;
  return `${h},${k},${l}`;
}

/**
 * Rietveld fit of one scan.
 *
 * @param scan - 2θ pattern (σ from the file, else √counts).
 * @param phases - phases with their structures (e.g. {@link layeredPhase}).
 * @param options - the Pawley start's options plus {@link RietveldOptions}.
 */
export function fitRietveld(scan: Scan, phases: readonly RietveldPhase[], options: RietveldOptions = {}): RietveldResult {
  if (!phases.length) throw new RangeError('fitRietveld: at least one phase is needed');
  const pawley = fitPawley(scan, phases.map((p) => p.phase), options);
  const lines = emissionLines(scan, options.wavelengths);
  const main = lines.reduce((b, l) => (l.ratio > b.ratio ? l : b));
  const lambda = main.wavelengthAngstrom;
  // Points: the Pawley fit's own selection (range, exclusions, σ).
  const pts = selectPoints(scan, lines, options);
  const n = pts.x.length;
  const refine: RefineFlags = { ...REFINE_DEFAULTS, ...options.refine };
  const strainModels = Array.isArray(options.strain) ? options.strain : phases.map(() => options.strain ?? LE_BAIL_DEFAULTS.strain);
  const model: PatternModel = createPatternModel({
    x: pts.x,
    lines,
    phases: phases.map((p, i) => ({ ...p.phase, cell: { ...p.phase.cell, a: pawley.phases[i].a, b: pawley.phases[i].b, c: pawley.phases[i].c } })),
    strain: phases.map((p, i) => ({
      // As the Pawley start had it (a cubic phase isotropic): the same parameters carry over.
      model: strainModelFor(p.phase, strainModels[i] ?? LE_BAIL_DEFAULTS.strain),
      iso: 0,
      e001: 0,
      stephens: stephensFromUniaxial(0, 0, p.phase.cell.a, p.phase.cell.c),
      zeta: 0.5,
    })),
    instrument: { ...INSTRUMENT_DEFAULTS, ...pawley.instrument },
    refine,
    backgroundTerms: options.backgroundTerms ?? LE_BAIL_DEFAULTS.backgroundTerms,
    windowFwhm: options.windowFwhm ?? LE_BAIL_DEFAULTS.windowFwhm,
    fcjNodes: options.fcjNodes ?? LE_BAIL_DEFAULTS.fcjNodes,
    profile: options.profile,
  });
  model.params.forEach((p, i) => {
    const v = pawley.parameters[p.name];
    if (v && Number.isFinite(v.value) && !p.name.includes('.I.')) model.full[i] = Math.min(p.upper, Math.max(p.lower, v.value));
  });
  // Structural parameters.
  const flags: RietveldRefineFlags = { ...RIETVELD_DEFAULTS.refineStructure, ...options.refineStructure };
  const sp: StructParam[] = [];
  const addP = (name: string, value: number, refineIt: boolean, lower: number, upper: number, windowBounds: StructParam['windowBounds'] = 'none'): number => {
    sp.push({ name, value, lower, upper, refine: refineIt, windowBounds });
    return sp.length - 1;
  };
  const compiled: CompiledPhase[] = phases.map((rp, pi) => {
    const mp = model.phases[pi];
    const st = rp.structure;
    const layered = st.kind === 'layered';
    const nm = rp.phase.name;
    const scale = addP(`${nm}.scale`, 1, true, 0, Infinity);
    const zO = addP(`${nm}.zO`, layered ? (st.zO ?? RIETVELD_DEFAULTS.zO) : 0, layered && flags.zO, 0.2, 0.3, 'both');
    const antisite = addP(`${nm}.antisite`, layered ? (st.antisite ?? RIETVELD_DEFAULTS.antisite) : 0, layered && flags.antisite, 0, 0.3, 'upper');
    const bLi = addP(`${nm}.B.Li`, layered ? (st.bLi ?? RIETVELD_DEFAULTS.bLi) : 0, layered && flags.bLi, 0, 10, 'upper');
    const bM = addP(`${nm}.B.${layered ? 'M' : st.element}`, layered ? (st.bM ?? RIETVELD_DEFAULTS.bM) : (st.b ?? RIETVELD_DEFAULTS.bFcc), flags.bM, 0, 10, 'upper');
    const bO = addP(`${nm}.B.O`, layered ? (st.bO ?? RIETVELD_DEFAULTS.bO) : 0, layered && flags.bO, 0, 10, 'upper');
    const md = addP(`${nm}.marchDollase`, layered ? (st.marchDollase ?? RIETVELD_DEFAULTS.marchDollase) : 1, layered && flags.marchDollase, 0.2, 5, 'both');
    // Unmerged components of each merged reflection, by the same key.
    const dList = mp.reflections.map((r) => r.dAngstrom);
    const dMin = Math.min(...dList) * 0.999;
    const dMax = Math.max(...dList) * 1.001;
    const cell = phaseCell(model, pi);
    const all = generateReflections(cell, spaceGroup(rp.phase.spaceGroup), dMin, dMax);
    const byKey = new Map<string, Reflection[]>();
    for (const r of all) {
      const k = mergeKey(mp.system, r);
      const list = byKey.get(k) ?? [];
      list.push(r);
      byKey.set(k, list);
    }
    const components = mp.reflections.map((r) => byKey.get(mergeKey(mp.system, r)) ?? [r]);
    return { spec: rp, scale, zO, antisite, bLi, bM, bO, md, components };
  });
  const useDispersion = options.anomalousDispersion ?? RIETVELD_DEFAULTS.anomalousDispersion;
  const dispOf = (el: string): Dispersion => (useDispersion ? dispersion(el, lambda, options.dispersion) : { fPrime: 0, fDoublePrime: 0 });
  const mono = (options.monochromatorTwoThetaDeg ?? RIETVELD_DEFAULTS.monochromatorTwoThetaDeg) * DEG;
  const kMono = Math.cos(mono) ** 2;
  const perp = options.synchrotronPerpendicularFraction;
  const absorption = absorptionFactor(options.absorption);
  // Lorentz–polarisation and absorption: everything that depends on θ alone.
  const lp = (th: number): number => {
    const c2 = Math.cos(2 * th) ** 2;
    const pol = perp !== undefined ? perp + (1 - perp) * c2 : (1 + kMono * c2) / (1 + kMono);
    return (pol / (Math.sin(th) ** 2 * Math.cos(th))) * absorption(th);
  };
  const gStar = new Float64Array(9);
  /** Structure-derived intensities into the model (scale included). */
  const setIntensities = (): void => {
    compiled.forEach((cp, pi) => {
      const mp = model.phases[pi];
      const sites = sitesOf(cp, sp);
      reciprocalMetricTensor(phaseCell(model, pi), gStar);
      const r = sp[cp.md].value;
      const scale = sp[cp.scale].value;
      for (let i = 0; i < mp.reflections.length; i++) {
        let sum = 0;
        let thB = 0;
        for (const c of cp.components[i]) {
          const q2 = inverseDSquared(gStar, c.h, c.k, c.l);
          const d = 1 / Math.sqrt(q2);
          const sl = 1 / (2 * d);
          thB = Math.asin(Math.min(1, lambda * sl));
          let po = 1;
          if (r !== 1) {
            const cosA = ((c.h * gStar[2] + c.k * gStar[5] + c.l * gStar[8]) * d) / Math.sqrt(gStar[8]);
            const c2 = cosA * cosA;
            po = Math.pow(r * r * c2 + (1 - c2) / r, -1.5);
          }
          sum += c.multiplicity * structureFactorSquared(c.h, c.k, c.l, sl, sites, dispOf) * po;
        }
        mp.intensity[i] = scale * sum * lp(thB);
      }
    });
  };
  // Scale start: least squares of the structure intensities against the Pawley ones.
  compiled.forEach((cp, pi) => {
    sp[cp.scale].value = 1;
    setIntensities();
    const mp = model.phases[pi];
    const ext = pawley.phases[pi].reflections;
    let num = 0;
    let den = 0;
    // Pawley intensities are per main line; ours are the per-reflection totals multiplied by each line's ratio.
    const ratio = lines.reduce((b, l) => (l.ratio > b.ratio ? l : b)).ratio;
    for (let i = 0; i < Math.min(ext.length, mp.reflections.length); i++) {
      num += (ext[i].intensity / ratio) * mp.intensity[i];
      den += mp.intensity[i] * mp.intensity[i];
    }
    sp[cp.scale].value = den > 0 && num > 0 ? num / den : 1;
  });
  const structFree = sp.map((p, i) => (p.refine ? i : -1)).filter((i) => i >= 0);
  const P0 = model.free.length;
  const P = P0 + structFree.length;
  const theta0 = new Float64Array(P);
  packFree(model, theta0.subarray(0, P0));
  structFree.forEach((si, j) => (theta0[P0 + j] = sp[si].value));
  const lower = new Float64Array(P);
  const upper = new Float64Array(P);
  for (let t = 0; t < P0; t++) {
    lower[t] = model.params[model.free[t]].lower;
    upper[t] = model.params[model.free[t]].upper;
  }
  structFree.forEach((si, j) => {
    lower[P0 + j] = sp[si].lower;
    upper[P0 + j] = sp[si].upper;
  });
  const setStruct = (theta: Float64Array): void => {
    structFree.forEach((si, j) => (sp[si].value = theta[P0 + j]));
  };
  const scratch = new Float64Array(n);
  const evalAt = (theta: Float64Array, out: Float64Array): void => {
    setStruct(theta);
    unpackFree(model, theta.subarray(0, P0));
    setIntensities();
    evaluateModel(model, theta.subarray(0, P0), out);
  };
  const lm = levenbergMarquardt(
    {
      y: pts.y,
      weights: pts.w,
      start: theta0,
      lower,
      upper,
      model: evalAt,
      jacobian: (theta, f, jac) => {
        evalAt(theta, scratch);
        modelJacobian(model, theta.subarray(0, P0), scratch, jac.subarray(0, P0 * n));
        // Structural columns by forward differences of the whole model (a handful of parameters).
        const th = Float64Array.from(theta);
        for (let j = 0; j < structFree.length; j++) {
          const t = P0 + j;
          const h = 1e-5 * Math.max(Math.abs(theta[t]), 1e-2);
          th[t] = theta[t] + h;
          evalAt(th, scratch);
          for (let i = 0; i < n; i++) jac[t * n + i] = (scratch[i] - f[i]) / h;
          th[t] = theta[t];
        }
        evalAt(theta, scratch);
      },
    },
    { maxIterations: options.maxIterations ?? RIETVELD_DEFAULTS.maxIterations, chi2Tolerance: 1e-9, stepTolerance: 1e-9, isCancelled: options.isCancelled },
  );
  const calc = new Float64Array(n);
  evalAt(lm.values, calc);
  const bg = new Float64Array(n);
  writeBackground(model, bg);
  const stats = agreementFactors(pts.y, calc, pts.w, P, 0, bg);
  // Names and σ.
  const names: string[] = [];
  for (let t = 0; t < P0; t++) names.push(model.params[model.free[t]].name);
  for (const si of structFree) names.push(sp[si].name);
  const sigmaOfName = (name: string): number => {
    const t = names.indexOf(name);
    return t >= 0 ? lm.sigma[t] : 0;
  };
  const covOf = (p: string, q: string): number => {
    const i = names.indexOf(p);
    const j = names.indexOf(q);
    return i >= 0 && j >= 0 ? lm.covariance[i * P + j] : 0;
  };
  const parameters: Record<string, { value: number; sigma: number }> = {};
  model.params.forEach((p, i) => {
    if (!p.name.includes('.I.')) parameters[p.name] = { value: model.full[i], sigma: sigmaOfName(p.name) };
  });
  for (const p of sp) parameters[p.name] = { value: p.value, sigma: sigmaOfName(p.name) };
  const atBounds = [
    ...Array.from(model.free).filter((fi) => onWindowBound(model.params[fi], model.full[fi])).map((fi) => model.params[fi].name),
    ...sp.filter((p) => p.refine && onWindowBound(p, p.value)).map((p) => p.name),
  ];
  const relLambda = options.wavelengthRelativeSigma ?? 0;
  // Hill–Howard: W_p ∝ S_p (ZM)_p V_p.
  const zmv = compiled.map((cp, pi) => cellMass(sitesOf(cp, sp)) * cellVolume(phaseCell(model, pi)));
  const denom = compiled.reduce((s, cp, pi) => s + sp[cp.scale].value * zmv[pi], 0);
  const phaseResults: RietveldPhaseResult[] = compiled.map((cp, pi) => {
    const mp = model.phases[pi];
    const cell: Cell = phaseCell(model, pi);
    const nm = cp.spec.phase.name;
    const aName = `${nm}.a`;
    const cName = mp.cellNames.includes('c') ? `${nm}.c` : aName;
    const aSigma = Math.hypot(sigmaOfName(aName), cell.a * relLambda);
    const cSigma = Math.hypot(sigmaOfName(cName), cell.c * relLambda);
    const w = (sp[cp.scale].value * zmv[pi]) / denom;
    // σ(W_p) from the scales' covariance: ∂W_p/∂S_q = (δ_pq k_p D − S_p k_p k_q)/D² with k = ZMV.
    let wVar = 0;
    compiled.forEach((cq, qi) => {
      compiled.forEach((cr, ri) => {
        const g = (i: number): number => ((i === pi ? zmv[pi] * denom : 0) - sp[cp.scale].value * zmv[pi] * zmv[i]) / (denom * denom);
        wVar += g(qi) * g(ri) * covOf(sp[cq.scale].name, sp[cr.scale].name);
      });
    });
    const biso: Record<string, { value: number; sigma: number }> = {};
    const base: RietveldPhaseResult = {
      name: nm,
      spaceGroup: mp.group.symbol,
      a: cell.a,
      aSigma,
      b: cell.b,
      c: cell.c,
      cSigma,
      volume: cellVolume(cell),
      scale: sp[cp.scale].value,
      scaleSigma: sigmaOfName(sp[cp.scale].name),
      weightFraction: w,
      weightFractionSigma: Math.sqrt(Math.max(wVar, 0)),
      biso,
    };
    if (cp.spec.structure.kind === 'fcc') {
      biso[cp.spec.structure.element] = { value: sp[cp.bM].value, sigma: sigmaOfName(sp[cp.bM].name) };
      return base;
    }
    for (const [k, idx] of [['Li', cp.bLi], ['M', cp.bM], ['O', cp.bO]] as const) biso[k] = { value: sp[idx].value, sigma: sigmaOfName(sp[idx].name) };
    const z = sp[cp.zO].value;
    const { a, c } = cell;
    // d_TM–O = √(a²/3 + c²(⅓ − z)²) (M at 3a, science.md §2) and its gradient.
    const u = 1 / 3 - z;
    const dTMO = Math.sqrt((a * a) / 3 + c * c * u * u);
    const grad = [a / (3 * dTMO), (c * u * u) / dTMO, (-c * c * u) / dTMO];
    const vars = [aName, cName, sp[cp.zO].name];
    let dVar = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) dVar += grad[i] * grad[j] * covOf(vars[i], vars[j]);
    // σ(λ) scales a and c together: d_TM–O ∝ λ too.
    const dTMOSigma = Math.hypot(Math.sqrt(Math.max(dVar, 0)), dTMO * relLambda);
    return {
      ...base,
      zO: z,
      zOSigma: sigmaOfName(sp[cp.zO].name),
      zOM3b: 0.5 - z,
      antisite: sp[cp.antisite].value,
      antisiteSigma: sigmaOfName(sp[cp.antisite].name),
      dTMO,
      dTMOSigma,
      marchDollase: sp[cp.md].value,
      marchDollaseSigma: sigmaOfName(sp[cp.md].name),
    };
  });
  const get = (name: string): number => parameters[name]?.value ?? 0;
  return {
    phases: phaseResults,
    zeroDeg: get('zeroDeg'),
    zeroSigma: sigmaOfName('zeroDeg'),
    displacement: get('displacementMm'),
    displacementSigma: sigmaOfName('displacementMm'),
    ...agreementFields(stats),
    points: n,
    iterations: lm.iterations,
    stopReason: lm.stopReason,
    parameterNames: names,
    covariance: lm.covariance,
    parameters,
    atBounds,
    pawley,
    twoThetaDeg: pts.x,
    calculated: calc,
    background: bg,
  };
}

/** A layered phase with its structure: composition by name (NMC811, NMC622, NMC111, LNO, LCO) or M-site fractions. */
export function layeredPhase(
  phase: Phase,
  composition: string | Readonly<Record<string, number>> = 'NMC811',
  start: Omit<LayeredStructure, 'kind' | 'metals'> = {},
): RietveldPhase {
  const metals = typeof composition === 'string' ? LAYERED_COMPOSITIONS[composition.toUpperCase()] : composition;
  if (!metals) throw new RangeError(`unknown layered composition '${String(composition)}' (${Object.keys(LAYERED_COMPOSITIONS).join(', ')})`);
  return { phase, structure: { kind: 'layered', metals, ...start } };
}

/** Points to fit: range, exclusions (deg, Å or Å⁻¹) and σ as the whole-pattern fits select them. */
function selectPoints(
  scan: Scan,
  lines: readonly { wavelengthAngstrom: number; ratio: number }[],
  options: { rangeDeg?: readonly [number, number]; exclusions?: readonly Exclusion[] },
): { x: Float64Array; y: Float64Array; w: Float64Array } {
  const [from, to] = options.rangeDeg ?? [-Infinity, Infinity];
  const lambda = lines.reduce((p, q) => (q.ratio > p.ratio ? q : p)).wavelengthAngstrom;
  const toDeg = (d: number): number => (2 * Math.asin(Math.min(1, lambda / (2 * d)))) / DEG;
  const ex = (options.exclusions ?? []).map((e) => {
    const pair = e.unit === 'deg' ? [e.from, e.to] : e.unit === 'angstrom' ? [toDeg(e.from), toDeg(e.to)] : [toDeg((2 * Math.PI) / e.from), toDeg((2 * Math.PI) / e.to)];
    return [Math.min(pair[0], pair[1]), Math.max(pair[0], pair[1])];
  });
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (let i = 0; i < scan.x.length; i++) {
    const t = scan.x[i];
    if (!(t >= from && t <= to) || ex.some(([a, b]) => t >= a && t <= b)) continue;
    const s = pointSigma(scan, i);
    if (!(s > 0) || !Number.isFinite(scan.y[i])) continue;
    xs.push(t);
    ys.push(scan.y[i]);
    ws.push(1 / (s * s));
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys), w: Float64Array.from(ws) };
}

