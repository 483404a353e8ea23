/**
 * Phases for whole-pattern fits without structures: a name, a space group, a cell (and optionally an explicit
 * hkl list). Presets cover what sits in a battery's beam path.
 */
import type { Cell } from './cell.ts';
import { type CrystalSystem, spaceGroup } from './spaceGroups.ts';

/** A phase to fit. `hkl` overrides the generated reflection list (each [h, k, l] or [h, k, l, multiplicity]). */
export interface Phase {
  readonly name: string;
  /** Hermann–Mauguin symbol understood by `spaceGroup` (e.g. 'R-3m', hexagonal axes for R groups). */
  readonly spaceGroup: string;
  readonly cell: Cell;
  readonly hkl?: readonly (readonly [number, number, number] | readonly [number, number, number, number])[];
  /**
   * An internal standard: the cell is held at its reference value (e.g. the Al current collector at 4.0495 Å), so
   * that its peaks fix the 2θ scale (detector distance, λ) for the other phases instead of being fitted themselves.
   */
  readonly fixedCell?: boolean;
}

const hex = (a: number, c: number): Cell => ({ a, b: a, c, alphaDeg: 90, betaDeg: 90, gammaDeg: 120 });
const cubic = (a: number): Cell => ({ a, b: a, c: a, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 });

/**
 * Monoclinic (C2/m) cell of a layered oxide from its hexagonal one (science.md §2):
 * a_m = √3 a_h, b_m = a_h, c_m = √(a_h²/3 + c_h²/9), β = 180° − arccos(a_m / (3 c_m)).
 */
export function monoclinicFromHexagonal(aHex: number, cHex: number): Cell {
  const am = Math.sqrt(3) * aHex;
  const cm = Math.sqrt((aHex * aHex) / 3 + (cHex * cHex) / 9);
  const betaDeg = 180 - (Math.acos(am / (3 * cm)) * 180) / Math.PI;
  return { a: am, b: aHex, c: cm, alphaDeg: 90, betaDeg, gammaDeg: 90 };
}

/**
 * Preset cells (Å, room temperature): layered NMC811 from the reference paper's Table 1; LiNiO2 M phase derived
 * from LNO's hexagonal cell; graphite 2H (2.464, 6.711); LiC12 (4.288, 7.025) and LiC6 (4.305, 3.706), P6/mmm;
 * Al 4.0495, Cu 3.6149, Li 3.5093 (bcc), austenitic steel 3.59 (fcc Fe), spinel LiMn2O4 8.245.
 */
export const PHASE_PRESETS: Readonly<Record<string, Phase>> = {
  layered: { name: 'layered', spaceGroup: 'R-3m', cell: hex(2.8727, 14.2127) },
  monoclinic: { name: 'monoclinic', spaceGroup: 'C2/m', cell: monoclinicFromHexagonal(2.8747, 14.1775) },
  graphite: { name: 'graphite', spaceGroup: 'P6_3/mmc', cell: hex(2.464, 6.711) },
  lic12: { name: 'LiC12', spaceGroup: 'P6/mmm', cell: hex(4.288, 7.025) },
  lic6: { name: 'LiC6', spaceGroup: 'P6/mmm', cell: hex(4.305, 3.706) },
  al: { name: 'Al', spaceGroup: 'Fm-3m', cell: cubic(4.0495) },
  cu: { name: 'Cu', spaceGroup: 'Fm-3m', cell: cubic(3.6149) },
  li: { name: 'Li', spaceGroup: 'Im-3m', cell: cubic(3.5093) },
  steel: { name: 'steel', spaceGroup: 'Fm-3m', cell: cubic(3.59) },
  spinel: { name: 'spinel', spaceGroup: 'Fd-3m', cell: cubic(8.245) },
};

/**
 * A preset phase by name (case-insensitive: layered, monoclinic, graphite, lic12, lic6, al, cu, li, steel,
 * spinel), with cell edges/angles or the name overridden. For cubic and hexagonal cells, overriding `a` also sets
 * `b` (and `c` for cubic) unless those are given.
 */
export function phasePreset(name: string, overrides: Partial<Cell> & { readonly name?: string } = {}): Phase {
  const base = PHASE_PRESETS[name.toLowerCase()];
  if (!base) throw new RangeError(`phasePreset: unknown preset '${name}' (${Object.keys(PHASE_PRESETS).join(', ')})`);
  const system = spaceGroup(base.spaceGroup).system;
  const a = overrides.a ?? base.cell.a;
  const tied = system === 'cubic' || system === 'hexagonal' || system === 'tetragonal';
  const cell: Cell = {
    a,
    b: overrides.b ?? (tied ? a : base.cell.b),
    c: overrides.c ?? (system === 'cubic' ? a : base.cell.c),
    alphaDeg: overrides.alphaDeg ?? base.cell.alphaDeg,
    betaDeg: overrides.betaDeg ?? base.cell.betaDeg,
    gammaDeg: overrides.gammaDeg ?? base.cell.gammaDeg,
  };
  return { name: overrides.name ?? base.name, spaceGroup: base.spaceGroup, cell };
}

/** Names of the free cell parameters of a crystal system, in the order the fit uses them. */
export function freeCellParameters(system: CrystalSystem): readonly ('a' | 'b' | 'c' | 'alphaDeg' | 'betaDeg' | 'gammaDeg')[] {
  switch (system) {
    case 'cubic':
      return ['a'];
    case 'hexagonal':
    case 'tetragonal':
      return ['a', 'c'];
    case 'orthorhombic':
      return ['a', 'b', 'c'];
    case 'monoclinic':
      return ['a', 'b', 'c', 'betaDeg'];
    default:
      return ['a', 'b', 'c', 'alphaDeg', 'betaDeg', 'gammaDeg'];
  }
}

/** Rebuild a cell from the free parameters of its system (tied edges and fixed angles follow). */
export function cellFromFree(system: CrystalSystem, free: ArrayLike<number>): Cell {
  switch (system) {
    case 'cubic':
      return { a: free[0], b: free[0], c: free[0], alphaDeg: 90, betaDeg: 90, gammaDeg: 90 };
    case 'hexagonal':
      return { a: free[0], b: free[0], c: free[1], alphaDeg: 90, betaDeg: 90, gammaDeg: 120 };
    case 'tetragonal':
      return { a: free[0], b: free[0], c: free[1], alphaDeg: 90, betaDeg: 90, gammaDeg: 90 };
    case 'orthorhombic':
      return { a: free[0], b: free[1], c: free[2], alphaDeg: 90, betaDeg: 90, gammaDeg: 90 };
    case 'monoclinic':
      return { a: free[0], b: free[1], c: free[2], alphaDeg: 90, betaDeg: free[3], gammaDeg: 90 };
    default:
      return { a: free[0], b: free[1], c: free[2], alphaDeg: free[3], betaDeg: free[4], gammaDeg: free[5] };
  }
}
