/**
 * Composition of the active material → molar mass and theoretical capacity (science.md §2, §6).
 */

/** Faraday constant in C/mol (CODATA 2018, exact value rounded as in science.md §6). */
export const FARADAY_C_PER_MOL = 96485.332;

/**
 * Standard atomic weights in g/mol. Li, Ni, Mn, Co, O are the values of science.md §2 so that molar
 * masses
 * match the reference paper (NMC811 97.28 g/mol); the others are IUPAC conventional values.
 */
export const ATOMIC_MASS_G_PER_MOL: Readonly<Record<string, number>> = {
  H: 1.008,
  Li: 6.941,
  B: 10.81,
  C: 12.011,
  O: 15.999,
  F: 18.998,
  Na: 22.99,
  Mg: 24.305,
  Al: 26.982,
  Si: 28.085,
  P: 30.974,
  S: 32.06,
  Ti: 47.867,
  V: 50.942,
  Cr: 51.996,
  Mn: 54.938,
  Fe: 55.845,
  Co: 58.933,
  Ni: 58.693,
  Cu: 63.546,
  Zn: 65.38,
  Zr: 91.224,
  Nb: 92.906,
  Mo: 95.95,
  Sn: 118.71,
  La: 138.905,
  Ta: 180.948,
  W: 183.84,
};

/** Short names understood besides NMCxyz (e.g. NMC811, NMC622, NMC111, NMC532). */
export const NAMED_COMPOSITIONS: Readonly<Record<string, string>> = {
  LNO: 'LiNiO2',
  LCO: 'LiCoO2',
  LMO: 'LiMn2O4',
  LFP: 'LiFePO4',
  NCA: 'LiNi0.8Co0.15Al0.05O2',
};

/**
 * A parsed composition: the formula it stands for, its element amounts per formula unit and its
 * molar mass.
 */
export interface Composition {
  /** What the user wrote, e.g. 'NMC811'. */
  readonly input: string;
  /** Chemical formula, e.g. 'LiNi0.8Mn0.1Co0.1O2'. */
  readonly formula: string;
  /** Moles of each element per formula unit. */
  readonly elements: Readonly<Record<string, number>>;
  /** Molar mass in g/mol. */
  readonly molarMassGPerMol: number;
}

/**
 * Parses 'NMC811' (any NMCxyz: fractions x/(x+y+z)), 'LNO', 'LCO', 'NCA', 'LFP', 'LMO', or a
 * chemical formula such as
 * 'LiNi0.8Mn0.1Co0.1O2' (parentheses allowed), and computes the molar mass in g/mol (science.md
 * §2).
 * @throws RangeError on an unknown element or an unreadable formula.
 */
export function parseComposition(input: string): Composition {
  const text = input.trim();
  const upper = text.toUpperCase();
  let formula: string;
  const nmc = /^NMC[-_ ]?(\d)(\d)(\d)$/.exec(upper);
  if (nmc) {
    const parts = [Number(nmc[1]), Number(nmc[2]), Number(nmc[3])];
    const sum = parts[0] + parts[1] + parts[2];
    if (sum === 0) throw new RangeError(`composition '${input}': NMC fractions sum to zero`);
    const f = parts.map((p) => round6(p / sum));
    formula = `LiNi${f[0]}Mn${f[1]}Co${f[2]}O2`;
    // Exact thirds for NMC111 and the like: use the fractions, not their rounded text, for the
    // mass.
    const elements = { Li: 1, Ni: parts[0] / sum, Mn: parts[1] / sum, Co: parts[2] / sum, O: 2 };
    return { input, formula, elements, molarMassGPerMol: molarMass(elements, input) };
  }
  formula = NAMED_COMPOSITIONS[upper] ?? text;
  const elements = parseFormula(formula, input);
  return { input, formula, elements, molarMassGPerMol: molarMass(elements, input) };
}

/**
 * Theoretical specific capacity in mAh/g for one electron per formula unit: F / (3.6 M) (science.md
 * §2: NMC811 275.5).
 */
export function theoreticalCapacityMahPerG(molarMassGPerMol: number): number {
  if (!(molarMassGPerMol > 0)) throw new RangeError('molar mass must be positive');
  return FARADAY_C_PER_MOL / (3.6 * molarMassGPerMol);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function molarMass(elements: Readonly<Record<string, number>>, input: string): number {
  let m = 0;
  for (const [el, n] of Object.entries(elements)) {
    const w = ATOMIC_MASS_G_PER_MOL[el];
    if (w === undefined) throw new RangeError(`composition '${input}': unknown element '${el}'`);
    m += w * n;
  }
  return m;
}

function parseFormula(formula: string, input: string): Record<string, number> {
  let pos = 0;
  const readNumber = (): number => {
    const m = /^\d*\.?\d+(?:[eE][-+]?\d+)?/.exec(formula.slice(pos));
    if (!m) return 1;
    pos += m[0].length;
    return Number(m[0]);
  };
  const readGroup = (closing: string | undefined): Record<string, number> => {
    const acc: Record<string, number> = {};
    const add = (el: string, n: number): void => {
      acc[el] = (acc[el] ?? 0) + n;
    };
    while (pos < formula.length) {
      const ch = formula[pos];
      if (ch === closing) {
        pos++;
        return acc;
      }
      if (ch === '(' || ch === '[') {
        pos++;
        const inner = readGroup(ch === '(' ? ')' : ']');
        const k = readNumber();
        for (const [el, n] of Object.entries(inner)) add(el, n * k);
        continue;
      }
      const m = /^[A-Z][a-z]?/.exec(formula.slice(pos));
      if (!m) throw new RangeError(`composition '${input}': cannot read '${formula.slice(pos)}'`);
      pos += m[0].length;
      add(m[0], readNumber());
    }
    if (closing !== undefined) throw new RangeError(`composition '${input}': missing '${closing}'`);
    return acc;
  };
  const elements = readGroup(undefined);
  if (Object.keys(elements).length === 0) throw new RangeError(`composition '${input}': empty formula`);
  return elements;
}
