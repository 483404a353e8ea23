/**
 * Characteristic lines of laboratory anodes (Hölzer et al., Phys. Rev. A 1997, 56, 4554; science.md §1), used only
 * when a file names its anode but not its wavelengths; such lines carry source 'default'.
 */
import type { WavelengthLine } from '../data/scan.ts';

/** Kα1 and Kα2 wavelengths in Å of the common anodes, with I(Kα2)/I(Kα1) = 0.5. */
export const ANODE_LINES = {
  Cu: [1.540593, 1.544427],
  Mo: [0.709317, 0.713607],
  Co: [1.788996, 1.79285],
  Ag: [0.559422, 0.563813],
} as const;

/** Default Kα1/Kα2 lines (source 'default') for an anode name such as 'Cu' or 'CU'; empty when unknown. */
export function anodeWavelengths(anode: string | undefined): WavelengthLine[] {
  if (!anode) return [];
  const key = anode.trim().slice(0, 2).toLowerCase();
  const name = (Object.keys(ANODE_LINES) as (keyof typeof ANODE_LINES)[]).find((k) => k.toLowerCase() === key);
  if (!name) return [];
  const [a1, a2] = ANODE_LINES[name];
  return [
    { angstrom: a1, ratio: 1, source: 'default', label: `${name} Kα1` },
    { angstrom: a2, ratio: 0.5, source: 'default', label: `${name} Kα2` },
  ];
}

/**
 * Lines from values found in a file (source 'file'): Kα1, optional Kα2 with its ratio to Kα1. Invalid or
 * non-positive wavelengths are dropped; a missing or invalid ratio leaves Kα2 out rather than guessing.
 */
export function fileWavelengths(
  alpha1: number | undefined,
  alpha2?: number,
  ratio21?: number,
  label = 'Kα',
): WavelengthLine[] {
  const out: WavelengthLine[] = [];
  if (alpha1 !== undefined && Number.isFinite(alpha1) && alpha1 > 0) {
    out.push({ angstrom: alpha1, ratio: 1, source: 'file', label: `${label}1` });
  }
  const ok2 = alpha2 !== undefined && Number.isFinite(alpha2) && alpha2 > 0;
  if (out.length && ok2 && ratio21 !== undefined && Number.isFinite(ratio21) && ratio21 > 0) {
    out.push({ angstrom: alpha2, ratio: ratio21, source: 'file', label: `${label}2` });
  }
  return out;
}

/** A single monochromatic line read from a file (synchrotron, neutron), labelled 'λ'. */
export function monochromatic(angstrom: number | undefined): WavelengthLine[] {
  return angstrom !== undefined && Number.isFinite(angstrom) && angstrom > 0
    ? [{ angstrom, ratio: 1, source: 'file', label: 'λ' }]
    : [];
}
