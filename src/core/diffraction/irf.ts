/**
 * FullProf instrumental resolution files (`.irf`, keyword form of `Res = 4`, constant wavelength), read and written.
 * Conventions are converted here and nowhere else (science.md §3):
 * - FullProf U, V, W (and IG) give the Gaussian FWHM in degrees: H_G² = U tan²θ + V tanθ + W + IG/cos²θ, the same
 *   unit as ours (deg²); no 8 ln 2 · 10⁻⁴ factor (that is GSAS-II's σ² in centideg²);
 * - FullProf's Lorentzian is H_L = X tanθ + Y/cosθ (deg): its X is our Y (tanθ, strain-like) and its Y our X
 *   (1/cosθ, size-like) — the letters swap;
 * - S_L, D_L are the Finger–Cox–Jephcoat sample and detector half-heights over the radius: our sOverL, hOverL;
 * - ZERO is in degrees of 2θ (FullProf's Zero), as ours;
 * - WAVE λ1 λ2 ratio = I(λ2)/I(λ1).
 * Keywords (one per line, `!` starts a comment): JOBT (0 or XRAY: X-ray constant wavelength; 1 or NEUT: neutron CW;
 * time-of-flight is refused), PROF (profile function number, informative: 7 is TCH pseudo-Voigt), WAVE, UVWXY,
 * SL_DL (alias ASYM), ZERO.
 */
import type { WavelengthLine } from '../data/scan.ts';
import type { InstrumentFile } from './instprm.ts';
import type { InstrumentProfile } from './patternModel.ts';

/** Parse a FullProf `.irf` (constant wavelength). RangeError on a time-of-flight file or a malformed line. */
export function parseIrf(text: string): InstrumentFile & { readonly jobType: 'xray' | 'neutron'; readonly profileFunction?: number } {
  const instrument: { -readonly [K in keyof InstrumentProfile]?: InstrumentProfile[K] } = {};
  const wavelengths: WavelengthLine[] = [];
  const ignored: string[] = [];
  let jobType: 'xray' | 'neutron' = 'xray';
  let profileFunction: number | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/!.*$/, '').trim();
    if (!line) return;
    const [keyRaw, ...rest] = line.split(/\s+/);
    const key = keyRaw.toUpperCase();
    const nums = rest.map(Number);
    const need = (n: number): void => {
      if (nums.length < n || nums.slice(0, n).some((v) => !Number.isFinite(v))) {
        throw new RangeError(`parseIrf: line ${i + 1}: ${key} needs ${n} numbers, found "${rest.join(' ')}"`);
      }
    };
    switch (key) {
      case 'JOBT': {
        const v = (rest[0] ?? '').toUpperCase();
        if (v === '0' || v === '2' || v.startsWith('X')) jobType = 'xray';
        else if (v === '1' || v === '3' || v.startsWith('N')) jobType = 'neutron';
        else throw new RangeError(`parseIrf: line ${i + 1}: JOBT ${rest[0]} (time of flight?) is not supported: constant wavelength only`);
        break;
      }
      case 'PROF':
      case 'NPROF':
        need(1);
        profileFunction = nums[0];
        break;
      case 'WAVE':
        need(1);
        wavelengths.push({ angstrom: nums[0], ratio: 1, source: 'file', label: nums.length >= 3 && nums[1] > 0 ? 'Kα1' : undefined });
        if (nums.length >= 3 && nums[1] > 0 && nums[2] > 0) wavelengths.push({ angstrom: nums[1], ratio: nums[2], source: 'file', label: 'Kα2' });
        break;
      case 'UVWXY':
        need(5);
        instrument.U = nums[0];
        instrument.V = nums[1];
        instrument.W = nums[2];
        // FullProf X·tanθ + Y/cosθ → ours X/cosθ + Y·tanθ.
        instrument.Y = nums[3];
        instrument.X = nums[4];
        if (nums.length >= 6 && Number.isFinite(nums[5])) instrument.P = nums[5];
        break;
      case 'SL_DL':
      case 'ASYM':
        need(2);
        instrument.sOverL = nums[0];
        instrument.hOverL = nums[1];
        break;
      case 'ZERO':
        need(1);
        instrument.zeroDeg = nums[0];
        break;
      default:
        ignored.push(keyRaw);
    }
  });
  return { instrument, wavelengths, ignored, jobType, ...(profileFunction !== undefined ? { profileFunction } : {}) };
}

/** Write a FullProf `.irf` (X-ray, constant wavelength, TCH pseudo-Voigt) from our profile and lines. */
export function formatIrf(instrument: InstrumentProfile, wavelengths: readonly WavelengthLine[], title = 'operando-xrd instrument'): string {
  if (!wavelengths.length) throw new RangeError('formatIrf: at least one wavelength is needed');
  const sorted = [...wavelengths].sort((a, b) => b.ratio - a.ratio);
  const wave =
    sorted.length === 1
      ? `WAVE ${sorted[0].angstrom} ${sorted[0].angstrom} 0`
      : `WAVE ${sorted[0].angstrom} ${sorted[1].angstrom} ${sorted[1].ratio / sorted[0].ratio}`;
  return [
    `! ${title.replace(/[\r\n]+/g, ' ')}`,
    '! FullProf instrumental resolution function (Res = 4), constant wavelength; widths in degrees of 2theta',
    'JOBT 0',
    'PROF 7',
    '!     lambda1   lambda2   ratio',
    wave,
    '!      U   V   W   X(tan)   Y(1/cos)   IG',
    // Ours X/cosθ + Y·tanθ → FullProf X·tanθ + Y/cosθ.
    `UVWXY ${instrument.U} ${instrument.V} ${instrument.W} ${instrument.Y} ${instrument.X} ${instrument.P}`,
    '!      S_L   D_L',
    `SL_DL ${instrument.sOverL} ${instrument.hOverL}`,
    `ZERO ${instrument.zeroDeg}`,
    '',
  ].join('\n');
}

/** Parse an instrument file by its name: `.irf` (FullProf) or otherwise GSAS-II `.instprm`. */
export function isIrfFile(name: string): boolean {
  return /\.irf$/i.test(name);
}
