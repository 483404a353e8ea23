import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv1a64, fnv1a64Hex, fnv1a64Init, fnv1a64Update } from '../../../../src/core/operando/hash.ts';

test('fnv1a64 matches the published FNV-1a 64 test vectors', () => {
  assert.equal(fnv1a64(''), 'cbf29ce484222325');
  assert.equal(fnv1a64('a'), 'af63dc4c8601ec8c');
  assert.equal(fnv1a64('foobar'), '85944171f73967e8');
});

test('hashing in pieces equals hashing at once', () => {
  const bytes = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
  const s = fnv1a64Init();
  fnv1a64Update(s, bytes.subarray(0, 333));
  fnv1a64Update(s, bytes.subarray(333));
  assert.equal(fnv1a64Hex(s), fnv1a64(bytes));
});

test('one changed byte changes the hash', () => {
  const a = new Uint8Array(4096);
  const b = a.slice();
  b[2048] = 1;
  assert.notEqual(fnv1a64(a), fnv1a64(b));
});

test('strings hash as their UTF-8 bytes, astral characters included', () => {
  for (const s of ['2θ (Å)', 'ε₀₀₁ 🔋', 'plain']) assert.equal(fnv1a64(s), fnv1a64(new TextEncoder().encode(s)));
});
