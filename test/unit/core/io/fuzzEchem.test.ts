// Mutation fuzzing of every reader: each mutated input must either give a well-formed result (equal-length
// columns of finite-or-NaN numbers) or throw ParseError, nothing else. Seeded, so every run is the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMATS, READERS } from '../../../../src/core/io/index.ts';
import { ParseError } from '../../../../src/core/io/parseError.ts';
import type { EchemRecord } from '../../../../src/core/data/echem.ts';
import type { ScanFile } from '../../../../src/core/data/scan.ts';
import { checkResult, mutate, prng, SEEDS } from './mutate.ts';

const PER_FORMAT = 10_000;

// Electrochemistry readers here; diffraction readers and detection in fuzz.test.ts.
const KIND = 'electrochemistry';
for (const [format, seeds] of Object.entries(SEEDS).filter(([id]) => FORMATS.find((f) => f.id === id)?.kind === KIND)) {
  test(`${format}: ${PER_FORMAT} mutations of real fixtures give a well-formed result or a ParseError`, () => {
    const rnd = prng(0x5eed + format.length * 7919 + format.charCodeAt(0));
    const reader = READERS[format];
    let parsed = 0;
    for (let k = 0; k < PER_FORMAT; k++) {
      const src = seeds[k % seeds.length];
      const input = mutate(src, rnd, seeds[(k + 1) % seeds.length]);
      let result: ScanFile | EchemRecord | undefined;
      try {
        result = reader(input);
      } catch (e) {
        if (!(e instanceof ParseError)) {
          assert.fail(`mutation ${k} of ${format} threw ${e instanceof Error ? e.stack : String(e)}`);
        }
        assert.ok(e.format && e.expected && e.found !== undefined, 'ParseError names format, expected and found');
        assert.ok(e.offset !== undefined || e.line !== undefined || /zip|entry|RawData|format|scan/i.test(e.message));
        continue;
      }
      checkResult(result);
      parsed++;
    }
    // The fuzzing must exercise the success path too, not only the first-byte checks.
    assert.ok(parsed > PER_FORMAT / 20, `only ${parsed} mutations parsed`);
  });
}
