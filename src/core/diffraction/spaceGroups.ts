/**
 * Space groups as far as powder diffraction without structures needs them: the crystal system (which cell
 * parameters are free), the Laue class (which reflections are equivalent, hence multiplicities) and the
 * reflection conditions of the general position (International Tables for Crystallography Vol. A, §2.2.13).
 */

/** Crystal systems, which fix the free cell parameters. Rhombohedral groups are used on hexagonal axes. */
export const CrystalSystem = {
  triclinic: 'triclinic',
  monoclinic: 'monoclinic',
  orthorhombic: 'orthorhombic',
  tetragonal: 'tetragonal',
  hexagonal: 'hexagonal',
  cubic: 'cubic',
} as const;
export type CrystalSystem = keyof typeof CrystalSystem;

/** Laue classes implemented (hexagonal-axis classes use indices h, k, l with i = −h − k). */
export const LaueClass = {
  '-1': '-1',
  '2/m': '2/m',
  mmm: 'mmm',
  '-3m1': '-3m1',
  '6/mmm': '6/mmm',
  'm-3m': 'm-3m',
} as const;
export type LaueClass = keyof typeof LaueClass;

/** A space group as used for reflection lists. */
export interface SpaceGroup {
  /** Hermann–Mauguin symbol, e.g. 'R-3m'. */
  readonly symbol: string;
  readonly number: number;
  readonly system: CrystalSystem;
  readonly laue: LaueClass;
  /** True when hkl is allowed by the reflection conditions of the general position. */
  allowed(h: number, k: number, l: number): boolean;
}

const mod = (n: number, m: number): number => ((n % m) + m) % m;

// Conditions follow ITA Vol. A tables; each is written so that it holds for every Laue-equivalent of hkl.
const groups: readonly SpaceGroup[] = [
  { symbol: 'P1', number: 1, system: 'triclinic', laue: '-1', allowed: () => true },
  { symbol: 'P-1', number: 2, system: 'triclinic', laue: '-1', allowed: () => true },
  // C2/m, unique axis b, cell choice 1: C-centring h + k = 2n (implies h0l: h = 2n, 0k0: k = 2n).
  { symbol: 'C2/m', number: 12, system: 'monoclinic', laue: '2/m', allowed: (h, k) => mod(h + k, 2) === 0 },
  {
    // Pnma: 0kl: k + l = 2n; hk0: h = 2n; h00: h = 2n; 0k0: k = 2n; 00l: l = 2n.
    symbol: 'Pnma',
    number: 62,
    system: 'orthorhombic',
    laue: 'mmm',
    allowed: (h, k, l) => {
      if (h === 0 && mod(k + l, 2) !== 0) return false;
      if (l === 0 && mod(h, 2) !== 0) return false;
      if (h === 0 && l === 0 && mod(k, 2) !== 0) return false;
      return true;
    },
  },
  // R-3m on hexagonal axes, obverse setting: −h + k + l = 3n (the rhombohedral centring; no glides).
  { symbol: 'R-3m', number: 166, system: 'hexagonal', laue: '-3m1', allowed: (h, k, l) => mod(-h + k + l, 3) === 0 },
  { symbol: 'P-3m1', number: 164, system: 'hexagonal', laue: '-3m1', allowed: () => true },
  {
    // P6₃/mmc: hh(−2h)l: l = 2n (and equivalents: any two of h, k, i equal), 000l: l = 2n (included).
    symbol: 'P6_3/mmc',
    number: 194,
    system: 'hexagonal',
    laue: '6/mmm',
    allowed: (h, k, l) => {
      if (mod(l, 2) === 0) return true;
      const i = -h - k;
      return !(h === k || h === i || k === i);
    },
  },
  { symbol: 'P6/mmm', number: 191, system: 'hexagonal', laue: '6/mmm', allowed: () => true },
  {
    // Fm-3m: h, k, l all even or all odd.
    symbol: 'Fm-3m',
    number: 225,
    system: 'cubic',
    laue: 'm-3m',
    allowed: (h, k, l) => mod(h, 2) === mod(k, 2) && mod(k, 2) === mod(l, 2),
  },
  {
    // Fd-3m origin choice 2: F conditions, plus 0kl: k + l = 4n and h00: h = 4n (hhl: h + l = 2n is implied by F).
    symbol: 'Fd-3m',
    number: 227,
    system: 'cubic',
    laue: 'm-3m',
    allowed: (h, k, l) => {
      if (!(mod(h, 2) === mod(k, 2) && mod(k, 2) === mod(l, 2))) return false;
      if (h === 0 && mod(k + l, 4) !== 0) return false;
      if (k === 0 && mod(h + l, 4) !== 0) return false;
      if (l === 0 && mod(h + k, 4) !== 0) return false;
      return true;
    },
  },
  { symbol: 'Im-3m', number: 229, system: 'cubic', laue: 'm-3m', allowed: (h, k, l) => mod(h + k + l, 2) === 0 },
  { symbol: 'Pm-3m', number: 221, system: 'cubic', laue: 'm-3m', allowed: () => true },
];

/** Names accepted by `spaceGroup` besides the symbols above. */
const aliases: Readonly<Record<string, string>> = {
  '166': 'R-3m',
  'R-3m:H': 'R-3m',
  '12': 'C2/m',
  '164': 'P-3m1',
  '194': 'P6_3/mmc',
  'P63/mmc': 'P6_3/mmc',
  'P6₃/mmc': 'P6_3/mmc',
  '191': 'P6/mmm',
  '225': 'Fm-3m',
  '227': 'Fd-3m',
  '229': 'Im-3m',
  '221': 'Pm-3m',
  '62': 'Pnma',
  '1': 'P1',
  '2': 'P-1',
};

/** Symbols of all implemented space groups. */
export const SPACE_GROUP_SYMBOLS: readonly string[] = groups.map((g) => g.symbol);

/** Look up a space group by Hermann–Mauguin symbol or number; throws RangeError for an unknown one. */
export function spaceGroup(symbolOrNumber: string | number): SpaceGroup {
  const key = String(symbolOrNumber).replace(/\s+/g, '');
  const symbol = aliases[key] ?? key;
  const g = groups.find((x) => x.symbol === symbol);
  if (!g) throw new RangeError(`spaceGroup: unknown or unsupported space group '${symbolOrNumber}'`);
  return g;
}

/** Generators of each Laue class as 3×3 integer matrices acting on row vectors (h k l) → (h k l)·R. */
const laueGenerators: Readonly<Record<LaueClass, readonly (readonly number[])[]>> = {
  '-1': [],
  // 2 along b: (h, k, l) → (−h, k, −l).
  '2/m': [[-1, 0, 0, 0, 1, 0, 0, 0, -1]],
  mmm: [
    [-1, 0, 0, 0, 1, 0, 0, 0, 1],
    [1, 0, 0, 0, -1, 0, 0, 0, 1],
  ],
  // 3 along c: (h, k, l) → (k, −h − k, l); 2 along a: (h, k, l) → (k, h, −l) (the −3m1 class of R-3m, P-3m1).
  '-3m1': [
    [0, -1, 0, 1, -1, 0, 0, 0, 1],
    [0, 1, 0, 1, 0, 0, 0, 0, -1],
  ],
  // 6 along c: (h, k, l) → (h + k, −h, l); plus the same 2-fold.
  '6/mmm': [
    [1, -1, 0, 1, 0, 0, 0, 0, 1],
    [0, 1, 0, 1, 0, 0, 0, 0, -1],
  ],
  // 4 along c: (h, k, l) → (−k, h, l); 3 along [111]: (h, k, l) → (l, h, k).
  'm-3m': [
    [0, 1, 0, -1, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 0, 1, 1, 0, 0],
  ],
};

const laueCache = new Map<LaueClass, Int32Array>();

/** All operations of a Laue class (including −1), flat: 9 integers per operation, row-vector convention. */
export function laueOperations(laue: LaueClass): Int32Array {
  const cached = laueCache.get(laue);
  if (cached) return cached;
  const ops: number[][] = [
    [1, 0, 0, 0, 1, 0, 0, 0, 1],
    [-1, 0, 0, 0, -1, 0, 0, 0, -1],
  ];
  const key = (m: readonly number[]): string => m.join(',');
  const seen = new Set(ops.map(key));
  // Closure under multiplication by the generators (groups are small: at most 48 elements).
  for (let i = 0; i < ops.length; i++) {
    for (const g of laueGenerators[laue]) {
      const a = ops[i];
      const p = new Array<number>(9);
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) p[r * 3 + c] = a[r * 3] * g[c] + a[r * 3 + 1] * g[3 + c] + a[r * 3 + 2] * g[6 + c];
      const k = key(p);
      if (!seen.has(k)) {
        seen.add(k);
        ops.push(p);
      }
    }
  }
  const flat = Int32Array.from(ops.flat());
  laueCache.set(laue, flat);
  return flat;
}

/**
 * The Laue-equivalents of hkl: returns the multiplicity and whether hkl is the canonical representative
 * (the lexicographically largest member of its orbit), so that reflection lists keep one member per orbit.
 */
export function equivalents(laue: LaueClass, h: number, k: number, l: number): { multiplicity: number; canonical: boolean } {
  const ops = laueOperations(laue);
  const seen = new Set<number>();
  let canonical = true;
  for (let o = 0; o < ops.length; o += 9) {
    const hh = h * ops[o] + k * ops[o + 3] + l * ops[o + 6];
    const kk = h * ops[o + 1] + k * ops[o + 4] + l * ops[o + 7];
    const ll = h * ops[o + 2] + k * ops[o + 5] + l * ops[o + 8];
    // A numeric key: indices stay far below ±2¹⁵ for any cell and range used in powder diffraction.
    seen.add((hh + 32768) * 4294967296 + (kk + 32768) * 65536 + (ll + 32768));
    if (hh > h || (hh === h && (kk > k || (kk === k && ll > l)))) canonical = false;
  }
  return { multiplicity: seen.size, canonical };
}
