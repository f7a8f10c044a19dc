import { expect, test } from 'vitest';
import { checkFixedPattern } from '../../src/rules/fixed-pattern.js';
import { issuesOf } from './rule-support.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

test.each([
  ['a fixed value met exactly', NHS, NHS, undefined, []],
  ['a fixed value not met', 'https://example.org', NHS, undefined, ['error value $']],
  [
    'a fixed object with a property more is not exact',
    { system: NHS, id: '1' },
    { system: NHS },
    undefined,
    ['error value $'],
  ],
  ['a pattern met with properties more', { system: NHS, value: '9' }, undefined, { system: NHS }, []],
  ['a pattern not met', { value: '9' }, undefined, { system: NHS }, ['error value $']],
  [
    'a pattern array item matched by some item',
    { coding: [{ code: 'a' }, { system: 's', code: 'b' }] },
    undefined,
    { coding: [{ code: 'b' }] },
    [],
  ],
  [
    'a pattern array item matched by none',
    { coding: [{ code: 'a' }] },
    undefined,
    { coding: [{ code: 'b' }] },
    ['error value $'],
  ],
  ['neither', 'anything', undefined, undefined, []],
] as const)('%s', (_title, item, fixed, pattern, want) => {
  expect(issuesOf((issues) => checkFixedPattern(item, fixed, pattern, '$', issues))).toEqual(want);
});
