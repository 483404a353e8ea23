// fityk's cfityk as a peer for the single-peak fits: one script and one process per pattern, the same windows, start
// values, model (pseudo-Voigt + straight line, σ = √y, Levenberg–Marquardt) as ours and lmfit's.
import fs from 'node:fs';
import path from 'node:path';

const num = (v) => Number(v).toPrecision(10);

/** fityk's PseudoVoigt is parameterised by height and HWHM (shape = Lorentzian fraction, started at 0.5). */
function peak(height, center, fwhm) {
  return `PseudoVoigt(height=~${num(height)}, center=~${num(center)}, hwhm=~${num(fwhm / 2)}, shape=~0.5)`;
}

/** The script fitting 003 in @0 and the 018/110 pair in @1 (a copy of @0, so the file is parsed once). */
export function cfitykScript(start) {
  const file = start.file.replace(/'/g, "\\'");
  const lines = [
    'set verbosity = -1',
    "set numeric_format = '%.12g'",
    `@0 < '${file}'`,
    '@+ = @0',
    `@0: A = (x > ${num(start.w003[0])} and x < ${num(start.w003[1])})`,
    `@0: F += Linear(a0=~${num(start.b003)}, a1=~0)`,
    `@0: F += ${peak(start.h003[0], start.p003[0], start.fwhm)}`,
    '@0: fit',
    `@1: A = (x > ${num(start.wPair[0])} and x < ${num(start.wPair[1])})`,
    `@1: F += Linear(a0=~${num(start.bPair)}, a1=~0)`,
    `@1: F += ${peak(start.hPair[0], start.pPair[0], start.fwhm)}`,
    `@1: F += ${peak(start.hPair[1], start.pPair[1], start.fwhm)}`,
    '@1: fit',
    "print 'RESULT', @0.F[1].center, @1.F[1].center, @1.F[2].center",
  ];
  return lines.join('\n') + '\n';
}

/** Write one script per pattern into `dir`; returns their paths. */
export function writeCfitykScripts(starts, dir) {
  return starts.map((s, k) => {
    const p = path.join(dir, `pattern_${String(k).padStart(3, '0')}.fit`);
    fs.writeFileSync(p, cfitykScript(s));
    return p;
  });
}

/** Positions (deg) of 003, 018 and 110 from a script's output, or undefined. */
export function parseCfityk(stdout) {
  const m = /RESULT\s+(\S+)\s+(\S+)\s+(\S+)/.exec(stdout);
  if (!m) return undefined;
  const [p003, p018, p110] = m.slice(1, 4).map(Number);
  return [p003, p018, p110].every(Number.isFinite) ? { p003, p018, p110 } : undefined;
}

export const CFITYK_ARGS = ['-I', '-n', '-q'];
