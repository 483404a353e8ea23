import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dominantWavelengthAngstrom } from '../../../../src/core/data/scan.ts';

test('dominantWavelengthAngstrom picks the line with the largest ratio', () => {
  const wavelengths = [
    { angstrom: 1.544427, ratio: 0.5, source: 'default' as const },
    { angstrom: 1.540593, ratio: 1, source: 'default' as const },
  ];
  assert.equal(dominantWavelengthAngstrom({ wavelengths }), 1.540593);
  assert.equal(dominantWavelengthAngstrom({ wavelengths: [] }), undefined);
});
