/**
 * X-ray atomic form factors and anomalous dispersion.
 *
 * f(s) = Σ_{i=1..4} a_i exp(−b_i s²) + c, s = sinθ/λ = 1/(2d) (Å⁻¹): the nine-parameter analytic fit of
 * International Tables for Crystallography Vol. C (2006), Table 6.1.1.4 (Cromer–Mann form; RHF/HF wavefunctions;
 * valid to s ≈ 2 Å⁻¹). O²⁻ has no entry there: its two-Gaussian fit is Hovestreydt's (Acta Cryst. A 1983, 39, 268)
 * as GSAS uses it.
 *
 * f′, f″ (electrons) for Cu Kα1 (1.5406 Å) and Mo Kα1 (0.7093 Å) from International Tables Vol. C Table 4.2.6.8
 * (Cromer–Liberman calculations, Sasaki's tabulation); at any other energy from 4 to 100 keV (Co, Fe, Cr, Ag Kα,
 * synchrotron beamlines) interpolated in the Kissel & Pratt table of dispersionTable.ts. Outside that range, or for
 * an element neither table has, they are 0 unless given explicitly.
 */
import { DISPERSION_BY_ENERGY } from './dispersionTable.ts';
import { HC_KEV_ANGSTROM } from '../data/scan.ts';

/** a1, b1, a2, b2, a3, b3, a4, b4, c. */
export type CromerMann = readonly [number, number, number, number, number, number, number, number, number];

/** ITC Vol. C Table 6.1.1.4 coefficients (keys: element or ion as written there, e.g. 'Ni2+'). */
export const FORM_FACTOR_COEFFICIENTS: Readonly<Record<string, CromerMann>> = {
  Li: [1.1282, 3.9546, 0.7508, 1.0524, 0.6175, 85.3905, 0.4653, 168.261, 0.0377],
  'Li+': [0.6968, 4.6237, 0.7888, 1.9557, 0.3414, 0.6316, 0.1563, 10.0953, 0.0167],
  B: [2.0545, 23.2185, 1.3326, 1.021, 1.0979, 60.3498, 0.7068, 0.1403, -0.1932],
  C: [2.31, 20.8439, 1.02, 10.2075, 1.5886, 0.5687, 0.865, 51.6512, 0.2156],
  O: [3.0485, 13.2771, 2.2868, 5.7011, 1.5463, 0.3239, 0.867, 32.9089, 0.2508],
  // Hovestreydt 1983 (two Gaussians).
  'O2-': [4.758, 7.8313, 3.637, 30.0513, 0, 0, 0, 0, 1.594],
  Al: [6.4202, 3.0387, 1.9002, 0.7426, 1.5936, 31.5472, 1.9646, 85.0886, 1.1151],
  'Al3+': [4.17448, 1.93816, 3.3876, 4.14553, 1.20296, 0.228753, 0.528137, 8.28524, 0.706786],
  Si: [6.2915, 2.4386, 3.0353, 32.3337, 1.9891, 0.6785, 1.541, 81.6937, 1.1407],
  Mn: [11.2819, 5.3409, 7.3573, 0.3432, 3.0193, 17.8674, 2.2441, 83.7543, 1.0896],
  'Mn4+': [9.96253, 4.8485, 7.97057, 0.283303, 2.76067, 10.4852, 0.054447, 27.573, 0.251877],
  Fe: [11.7695, 4.7611, 7.3573, 0.3072, 3.5222, 15.3535, 2.3045, 76.8805, 1.0369],
  Co: [12.2841, 4.2791, 7.3409, 0.2784, 4.0034, 13.5359, 2.3488, 71.1692, 1.0118],
  'Co3+': [10.338, 3.90969, 7.88173, 0.238668, 4.76795, 8.35583, 0.725591, 18.3491, 0.286667],
  Ni: [12.8376, 3.8785, 7.292, 0.2565, 4.4438, 12.1763, 2.38, 66.3421, 1.0341],
  'Ni2+': [11.4166, 3.6766, 7.4005, 0.2449, 5.3442, 8.873, 0.9773, 22.1626, 0.8614],
  'Ni3+': [10.7806, 3.5477, 7.75868, 0.22314, 5.22746, 7.64468, 0.847114, 16.9673, 0.386044],
  Cu: [13.338, 3.5828, 7.1676, 0.247, 5.6158, 11.3966, 1.6735, 64.8126, 1.191],
  La: [20.578, 2.94817, 19.599, 0.244475, 11.3727, 18.7726, 3.28719, 133.124, 2.14678],
  Ce: [21.1671, 2.81219, 19.7695, 0.226836, 11.8513, 17.6083, 3.33049, 127.113, 1.86264],
};

/** Standard atomic weights (g/mol; IUPAC 2013 conventional values) for Hill–Howard weight fractions. */
export const ATOMIC_MASS: Readonly<Record<string, number>> = {
  Li: 6.941, B: 10.811, C: 12.011, O: 15.999, Al: 26.982, Si: 28.086, Mn: 54.938, Fe: 55.845, Co: 58.933,
  Ni: 58.693, Cu: 63.546, La: 138.905, Ce: 140.116,
};

/** The element of a scatterer key ('Ni2+' → 'Ni'). */
export function elementOf(scatterer: string): string {
  return scatterer.replace(/[0-9+-]+$/, '');
}

/** f₀(s) for a scatterer at s = sinθ/λ (Å⁻¹); RangeError for an unknown scatterer. */
export function formFactor(scatterer: string, sOverLambda: number): number {
  const c = FORM_FACTOR_COEFFICIENTS[scatterer];
  if (!c) throw new RangeError(`no form factor for '${scatterer}' (${Object.keys(FORM_FACTOR_COEFFICIENTS).join(', ')})`);
  const s2 = sOverLambda * sOverLambda;
  // ITC Vol. C eq. 6.1.1.15.
  return c[0] * Math.exp(-c[1] * s2) + c[2] * Math.exp(-c[3] * s2) + c[4] * Math.exp(-c[5] * s2) + c[6] * Math.exp(-c[7] * s2) + c[8];
}

/** f′, f″ (electrons) of one element. */
export interface Dispersion {
  readonly fPrime: number;
  readonly fDoublePrime: number;
}

/** ITC Vol. C Table 4.2.6.8: f′, f″ at Cu Kα1 and Mo Kα1 (per element). */
export const DISPERSION_TABLES: Readonly<Record<'CuKa' | 'MoKa', Readonly<Record<string, Dispersion>>>> = {
  CuKa: {
    Li: { fPrime: 0.0008, fDoublePrime: 0.0003 },
    B: { fPrime: 0.0013, fDoublePrime: 0.0007 },
    C: { fPrime: 0.0181, fDoublePrime: 0.0091 },
    O: { fPrime: 0.0492, fDoublePrime: 0.0322 },
    Al: { fPrime: 0.213, fDoublePrime: 0.2455 },
    Si: { fPrime: 0.2541, fDoublePrime: 0.3302 },
    Mn: { fPrime: -0.5299, fDoublePrime: 2.8052 },
    Fe: { fPrime: -1.1336, fDoublePrime: 3.1974 },
    Co: { fPrime: -2.3653, fDoublePrime: 3.6143 },
    Ni: { fPrime: -3.0029, fDoublePrime: 0.5091 },
    Cu: { fPrime: -1.9646, fDoublePrime: 0.5888 },
  },
  MoKa: {
    Li: { fPrime: -0.0003, fDoublePrime: 0.0001 },
    C: { fPrime: 0.0035, fDoublePrime: 0.0016 },
    O: { fPrime: 0.0106, fDoublePrime: 0.006 },
    Al: { fPrime: 0.0645, fDoublePrime: 0.0514 },
    Si: { fPrime: 0.0817, fDoublePrime: 0.0704 },
    Mn: { fPrime: 0.3368, fDoublePrime: 0.7283 },
    Fe: { fPrime: 0.3463, fDoublePrime: 0.8444 },
    Co: { fPrime: 0.3494, fDoublePrime: 0.9721 },
    Ni: { fPrime: 0.3393, fDoublePrime: 1.1124 },
    Cu: { fPrime: 0.3201, fDoublePrime: 1.2651 },
    La: { fPrime: -0.2871, fDoublePrime: 2.4523 },
    Ce: { fPrime: -0.2486, fDoublePrime: 2.6331 },
  },
};

/**
 * f′, f″ for an element at a wavelength: `overrides` when they name the element; the ITC table when λ is within
 * 0.01 Å of Cu Kα1 or Mo Kα1 and the element is in it; else the Kissel & Pratt curve interpolated linearly in ln E
 * between 4 and 100 keV; else 0.
 */
export function dispersion(element: string, wavelengthAngstrom: number, overrides?: Readonly<Record<string, Dispersion>>): Dispersion {
  const given = overrides?.[element];
  if (given) return given;
  const table = Math.abs(wavelengthAngstrom - 1.5406) < 0.01 ? DISPERSION_TABLES.CuKa : Math.abs(wavelengthAngstrom - 0.7093) < 0.01 ? DISPERSION_TABLES.MoKa : undefined;
  const tabulated = table?.[element];
  if (tabulated) return tabulated;
  return dispersionAtEnergy(element, HC_KEV_ANGSTROM / wavelengthAngstrom) ?? { fPrime: 0, fDoublePrime: 0 };
}

/** f′, f″ from the Kissel & Pratt curve at an energy in keV; undefined outside 4–100 keV or for an element it lacks. */
export function dispersionAtEnergy(element: string, energyKeV: number): Dispersion | undefined {
  const curve = DISPERSION_BY_ENERGY[element];
  if (!curve || !(energyKeV >= curve.energyKeV[0] && energyKeV <= curve.energyKeV[curve.energyKeV.length - 1])) return undefined;
  const e = curve.energyKeV;
  let lo = 0;
  let hi = e.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (e[mid] <= energyKeV) lo = mid;
    else hi = mid;
  }
  const t = e[hi] > e[lo] ? Math.log(energyKeV / e[lo]) / Math.log(e[hi] / e[lo]) : 0;
  return {
    fPrime: curve.fPrime[lo] + t * (curve.fPrime[hi] - curve.fPrime[lo]),
    fDoublePrime: curve.fDoublePrime[lo] + t * (curve.fDoublePrime[hi] - curve.fDoublePrime[lo]),
  };
}
