import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equivalents, laueOperations, spaceGroup } from '../../../../src/core/diffraction/spaceGroups.ts';
import { generateReflections } from '../../../../src/core/diffraction/reflections.ts';
import type { Cell } from '../../../../src/core/diffraction/cell.ts';

// A symmetry operation x' = R x + t (R row-major 3×3 acting on column vectors of fractional coordinates).
type Op = { r: number[]; t: number[] };

const frac = (v: number): number => {
  const f = v - Math.floor(v);
  return Math.abs(f - 1) < 1e-9 ? 0 : f;
};

function compose(a: Op, b: Op): Op {
  const r = new Array<number>(9).fill(0);
  const t = [0, 0, 0];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j] += a.r[i * 3 + k] * b.r[k * 3 + j];
    t[i] = frac(a.r[i * 3] * b.t[0] + a.r[i * 3 + 1] * b.t[1] + a.r[i * 3 + 2] * b.t[2] + a.t[i]);
  }
  return { r, t };
}

/** Closure of generators (ITA Vol. A general positions), translations reduced mod 1. */
function closure(generators: Op[]): Op[] {
  const key = (o: Op): string => o.r.join(',') + '|' + o.t.map((v) => v.toFixed(6)).join(',');
  const ops: Op[] = [{ r: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] }];
  const seen = new Set(ops.map(key));
  for (let i = 0; i < ops.length; i++) {
    for (const g of generators) {
      const p = compose(ops[i], g);
      if (!seen.has(key(p))) {
        seen.add(key(p));
        ops.push(p);
      }
    }
  }
  return ops;
}

const op = (r: number[], t: number[] = [0, 0, 0]): Op => ({ r, t });
const inversion = op([-1, 0, 0, 0, -1, 0, 0, 0, -1]);
const cubicPoint = [op([0, -1, 0, 1, 0, 0, 0, 0, 1]), op([0, 0, 1, 1, 0, 0, 0, 1, 0]), inversion];
const centring = (...ts: number[][]): Op[] => ts.map((t) => op([1, 0, 0, 0, 1, 0, 0, 0, 1], t));

// Generators transcribed from ITA Vol. A (general positions).
const generators: Record<string, { ops: Op[]; order: number }> = {
  'R-3m': {
    ops: [op([0, -1, 0, 1, -1, 0, 0, 0, 1]), op([0, 1, 0, 1, 0, 0, 0, 0, -1]), inversion, ...centring([2 / 3, 1 / 3, 1 / 3])],
    order: 36,
  },
  'C2/m': { ops: [op([-1, 0, 0, 0, 1, 0, 0, 0, -1]), inversion, ...centring([0.5, 0.5, 0])], order: 8 },
  'P6_3/mmc': {
    ops: [op([1, -1, 0, 1, 0, 0, 0, 0, 1], [0, 0, 0.5]), op([0, 1, 0, 1, 0, 0, 0, 0, -1]), inversion],
    order: 24,
  },
  'Fm-3m': { ops: [...cubicPoint, ...centring([0, 0.5, 0.5], [0.5, 0, 0.5])], order: 192 },
  'Im-3m': { ops: [...cubicPoint, ...centring([0.5, 0.5, 0.5])], order: 96 },
  'Fd-3m': {
    // Origin choice 2: (2) −x+¾, −y+¼, z+½; (3) −x+¼, y+½, −z+¾; (5) z, x, y; (13) y+¾, x+¼, −z+½; (25) −x, −y, −z.
    ops: [
      op([-1, 0, 0, 0, -1, 0, 0, 0, 1], [0.75, 0.25, 0.5]),
      op([-1, 0, 0, 0, 1, 0, 0, 0, -1], [0.25, 0.5, 0.75]),
      op([0, 0, 1, 1, 0, 0, 0, 1, 0]),
      op([0, 1, 0, 1, 0, 0, 0, 0, -1], [0.75, 0.25, 0.5]),
      inversion,
      ...centring([0, 0.5, 0.5], [0.5, 0, 0.5]),
    ],
    order: 192,
  },
  Pnma: {
    ops: [op([-1, 0, 0, 0, -1, 0, 0, 0, 1], [0.5, 0, 0.5]), op([-1, 0, 0, 0, 1, 0, 0, 0, -1], [0, 0.5, 0]), inversion],
    order: 8,
  },
};

/** |F|² of one atom on a general position, normalised by the number of operations squared. */
function intensity(ops: Op[], h: number, k: number, l: number): number {
  const x = [0.1234, 0.2871, 0.3719];
  let re = 0;
  let im = 0;
  for (const o of ops) {
    let phase = 0;
    for (let i = 0; i < 3; i++) {
      const xi = o.r[i * 3] * x[0] + o.r[i * 3 + 1] * x[1] + o.r[i * 3 + 2] * x[2] + o.t[i];
      phase += [h, k, l][i] * xi;
    }
    re += Math.cos(2 * Math.PI * phase);
    im += Math.sin(2 * Math.PI * phase);
  }
  return (re * re + im * im) / (ops.length * ops.length);
}

for (const [symbol, g] of Object.entries(generators)) {
  test(`${symbol} reflection conditions match the structure factor of an atom on a general position`, () => {
    const ops = closure(g.ops);
    assert.equal(ops.length, g.order, 'group order from the generators');
    const group = spaceGroup(symbol);
    for (let h = -6; h <= 6; h++) {
      for (let k = -6; k <= 6; k++) {
        for (let l = -6; l <= 6; l++) {
          if (h === 0 && k === 0 && l === 0) continue;
          // Systematic absence: |F|² = 0 to rounding (tolerance 1e-12 of the maximum).
          const absent = intensity(ops, h, k, l) < 1e-12;
          assert.equal(group.allowed(h, k, l), !absent, `${symbol} ${h} ${k} ${l}`);
        }
      }
    }
  });
}

test('Laue classes have the expected orders', () => {
  const order = (laue: Parameters<typeof laueOperations>[0]): number => laueOperations(laue).length / 9;
  assert.equal(order('-1'), 2);
  assert.equal(order('2/m'), 4);
  assert.equal(order('mmm'), 8);
  assert.equal(order('-3m1'), 12);
  assert.equal(order('6/mmm'), 24);
  assert.equal(order('m-3m'), 48);
});

test('multiplicities of common reflections are the textbook values', () => {
  assert.equal(equivalents('m-3m', 1, 1, 1).multiplicity, 8);
  assert.equal(equivalents('m-3m', 2, 0, 0).multiplicity, 6);
  assert.equal(equivalents('m-3m', 3, 2, 1).multiplicity, 48);
  assert.equal(equivalents('-3m1', 0, 0, 3).multiplicity, 2);
  assert.equal(equivalents('-3m1', 1, 0, 4).multiplicity, 6);
  assert.equal(equivalents('-3m1', 1, 1, 0).multiplicity, 6);
  assert.equal(equivalents('-3m1', 1, 0, 1).multiplicity, 6);
  assert.equal(equivalents('6/mmm', 1, 0, 0).multiplicity, 6);
  assert.equal(equivalents('6/mmm', 1, 2, 3).multiplicity, 24);
});

test('generateReflections lists the first Al (Fm-3m) reflections with multiplicities 8, 6, 12, 24', () => {
  const al: Cell = { a: 4.0495, b: 4.0495, c: 4.0495, alphaDeg: 90, betaDeg: 90, gammaDeg: 90 };
  const list = generateReflections(al, spaceGroup('Fm-3m'), 1.2);
  assert.deepEqual(
    list.slice(0, 4).map((r) => [Math.abs(r.h) + Math.abs(r.k) + Math.abs(r.l), r.multiplicity]),
    [
      [3, 8],
      [2, 6],
      [4, 12],
      [5, 24],
    ],
  );
});

test('generateReflections keeps R-3m 003, 101, 006, 012, 104 of a layered oxide in order of decreasing d', () => {
  const nmc: Cell = { a: 2.8727, b: 2.8727, c: 14.2127, alphaDeg: 90, betaDeg: 90, gammaDeg: 120 };
  const list = generateReflections(nmc, spaceGroup('R-3m'), 2.0);
  const names = list.map((r) => `${r.h}${r.k}${r.l}`);
  assert.deepEqual(names.slice(0, 5), ['003', '101', '006', '10-2', '104']);
});
