import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pivotedQr } from '../../../../src/core/linalg/pivotedQr.ts';
import { neumaierSum } from '../../../../src/core/linalg/neumaierSum.ts';

test('pivotedQr reproduces AᵀA = RᵀR through the permutation', () => {
  const rows = 7;
  const cols = 3;
  const a = Float64Array.from({ length: rows * cols }, (_, k) => Math.cos(0.7 * k + 0.3) * (1 + (k % 4)));
  const { r, permutation, rank } = pivotedQr(a, rows, cols);
  assert.equal(rank, 3);
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let ata = 0;
      for (let k = 0; k < rows; k++) ata += a[permutation[i] * rows + k] * a[permutation[j] * rows + k];
      let rtr = 0;
      for (let k = 0; k < cols; k++) rtr += r[k * cols + i] * r[k * cols + j];
      assert.ok(Math.abs(ata - rtr) < 1e-12 * Math.max(1, Math.abs(ata)), `(${i},${j})`);
    }
  }
  // Pivoting orders |R_kk| non-increasingly.
  assert.ok(Math.abs(r[0]) >= Math.abs(r[4]) && Math.abs(r[4]) >= Math.abs(r[8]));
});

test('pivotedQr reports rank 2 when one column is the sum of two others', () => {
  const rows = 5;
  const c0 = [1, 2, 3, 4, 5];
  const c1 = [2, -1, 0, 1, 3];
  const a = Float64Array.from([...c0, ...c1, ...c0.map((v, i) => v + c1[i])]);
  assert.equal(pivotedQr(a, rows, 3).rank, 2);
});

test('neumaierSum keeps the small terms that a naive sum drops', () => {
  assert.equal(neumaierSum([1, 1e100, 1, -1e100]), 2);
});
