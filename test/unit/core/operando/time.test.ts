import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIsoUtc, isKnownTimeZone, parseTimestampUnixS } from '../../../../src/core/operando/time.ts';
import { naturalCompare, naturalSort } from '../../../../src/core/operando/naturalSort.ts';

const T = Date.UTC(2025, 6, 2, 19, 5, 59) / 1000;

test('a local stamp without zone is refused unless a time zone is given', () => {
  assert.throws(() => parseTimestampUnixS('2025-07-02 19:05:59.614000'), /time zone/);
  assert.equal(parseTimestampUnixS('2025-07-02 19:05:59', { timeZone: 'UTC' }), T);
});

test('a fixed offset moves the instant: 19:05:59 at +01:00 is 18:05:59 UTC, microseconds kept (1e-6 s)', () => {
  const t = parseTimestampUnixS('2025-07-02 19:05:59.614000', { timeZone: '+01:00' });
  assert.ok(Math.abs(t - (T - 3600 + 0.614)) < 1e-6);
  assert.equal(parseTimestampUnixS('2025-07-02 19:05:59', { timeZone: '-0530' }), T + 5.5 * 3600);
  const micro = parseTimestampUnixS('2025-07-02 19:05:59.000001', { timeZone: 'UTC' });
  assert.ok(Math.abs(micro - T - 1e-6) < 1e-7);
});

test("a stamp's own offset wins over the option, and Z means UTC", () => {
  assert.equal(parseTimestampUnixS('2025-07-02T19:05:59+02:00', { timeZone: 'UTC' }), T - 7200);
  assert.equal(parseTimestampUnixS('2025-07-02T19:05:59Z'), T);
});

test('IANA zones follow daylight saving: Europe/London is UTC+1 in July and UTC+0 in January', () => {
  assert.equal(parseTimestampUnixS('2025-07-02 19:05:59', { timeZone: 'Europe/London' }), T - 3600);
  const jan = Date.UTC(2025, 0, 15, 12, 0, 0) / 1000;
  assert.equal(parseTimestampUnixS('2025-01-15 12:00:00', { timeZone: 'Europe/London' }), jan);
  assert.equal(parseTimestampUnixS('2025-01-15 12:00:00', { timeZone: 'America/New_York' }), jan + 5 * 3600);
  assert.equal(isKnownTimeZone('Nowhere/Atlantis'), false);
  assert.throws(() => parseTimestampUnixS('2025-01-15 12:00:00', { timeZone: 'Nowhere/Atlantis' }), RangeError);
});

test('the clock offset is added to every parsed time', () => {
  assert.equal(parseTimestampUnixS('2025-07-02T19:05:59Z', { clockOffsetS: -12.5 }), T - 12.5);
});

test('formatIsoUtc writes UTC with 3 (or the asked) fraction digits, rounding into the seconds, and an empty string for NaN', () => {
  assert.equal(formatIsoUtc(T + 0.614), '2025-07-02T19:05:59.614Z');
  assert.equal(formatIsoUtc(Number.NaN), '');
  assert.equal(formatIsoUtc(T + 0.1234567, 6), '2025-07-02T19:05:59.123457Z');
  assert.equal(formatIsoUtc(T + 0.9999996, 6), '2025-07-02T19:06:00.000000Z');
  assert.equal(formatIsoUtc(T, 0), '2025-07-02T19:05:59Z');
});

test('unreadable stamps throw a RangeError', () => {
  assert.throws(() => parseTimestampUnixS('02/07/2025 19:05', { timeZone: 'UTC' }), RangeError);
  assert.throws(() => parseTimestampUnixS('2025-13-02 19:05:59', { timeZone: 'UTC' }), RangeError);
});

test("naturalSort puts 'scan_2' before 'scan_10' and keeps numeric order across lengths", () => {
  assert.deepEqual(naturalSort(['scan_10.xy', 'scan_2.xy', 'scan_1.xy', 'Scan_3.xy']), [
    'scan_1.xy',
    'scan_2.xy',
    'Scan_3.xy',
    'scan_10.xy',
  ]);
  assert.ok(naturalCompare('a99999999999999999999', 'a100000000000000000000') < 0);
  assert.ok(naturalCompare('x_01', 'x_1') !== 0);
  assert.equal(naturalCompare('same', 'same'), 0);
});
