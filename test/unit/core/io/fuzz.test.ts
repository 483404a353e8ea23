// Mutation fuzzing of every reader: each mutated input must either give a well-formed result (equal-length
// columns of finite-or-NaN numbers) or throw ParseError, nothing else. Seeded, so every run is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readData } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import { checkResult, fuzzFormats, mutate, prng, SEEDS } from './mutate.ts';

// Diffraction readers here; electrochemistry readers in fuzzEchem.test.ts (a second file, so both run in parallel).
fuzzFormats('diffraction');

test('readData with detection: 3000 mutations across all seeds give a result or a ParseError', () => {
  const rnd = prng(42);
  const all = Object.values(SEEDS).flat();
  for (let k = 0; k < 3000; k++) {
    const input = mutate(all[k % all.length], rnd, all[(k * 7 + 3) % all.length]);
    try {
      checkResult(readData(input, 'fuzz.bin'));
    } catch (e) {
      if (!(e instanceof ParseError)) assert.fail(`mutation ${k} threw ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
});
