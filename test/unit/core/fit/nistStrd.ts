// Reader and models for the NIST StRD nonlinear-regression fixtures (test/fixtures/nist-strd, README there).
import fs from 'node:fs';
import path from 'node:path';

export interface NistProblem {
  readonly name: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly starts: readonly [Float64Array, Float64Array];
  readonly certified: Float64Array;
  readonly certifiedSigma: Float64Array;
  readonly residualSumOfSquares: number;
}

/** Parse the NIST layout: `bK = start1 start2 certified sd`, the RSS line, then `y x` rows after `Data:`. */
export function readNist(name: string): NistProblem {
  const text = fs.readFileSync(path.join('test', 'fixtures', 'nist-strd', `${name}.dat`), 'utf8');
  const s1: number[] = [];
  const s2: number[] = [];
  const cert: number[] = [];
  const sd: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  let rss = Number.NaN;
  let inData = false;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    const b = /^b\d+\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(t);
    if (b) {
      s1.push(Number(b[1]));
      s2.push(Number(b[2]));
      cert.push(Number(b[3]));
      sd.push(Number(b[4]));
      continue;
    }
    const r = /^Residual Sum of Squares:\s*(\S+)/.exec(t);
    if (r) rss = Number(r[1]);
    if (/^Data:\s+y\s+x/.test(t)) {
      inData = true;
      continue;
    }
    if (inData && t) {
      const [yv, xv] = t.split(/\s+/).map(Number);
      ys.push(yv);
      xs.push(xv);
    }
  }
  return {
    name,
    x: Float64Array.from(xs),
    y: Float64Array.from(ys),
    starts: [Float64Array.from(s1), Float64Array.from(s2)],
    certified: Float64Array.from(cert),
    certifiedSigma: Float64Array.from(sd),
    residualSumOfSquares: rss,
  };
}
