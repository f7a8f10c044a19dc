import { describe, expect, test } from 'vitest';
import {
  checkCount,
  checkRequired,
  checkSliceCounts,
  itemsOf,
  type RequiredChild,
} from '../../src/rules/cardinality.js';
import { element, issuesOf } from './rule-support.js';

const identifier = element('Patient.identifier', 1, 2);
const birthDate = element('Patient.birthDate', 0, 1);

describe('itemsOf', () => {
  test.each([
    ['an array where the element repeats', [{ value: 'a' }], identifier, [], 1],
    [
      'one value where the element repeats: an error, walked as one item',
      { value: 'a' },
      identifier,
      ['error structure Patient.identifier'],
      1,
    ],
    ['an empty array', [], identifier, ['error structure Patient.identifier'], 0],
    ['one value where one is expected', '2000-01-01', birthDate, [], 1],
    [
      'an array where one value is expected: nothing to walk',
      ['2000'],
      birthDate,
      ['error structure Patient.birthDate'],
      undefined,
    ],
  ] as const)('%s', (_title, value, definition, want, count) => {
    let items: unknown[] | undefined;
    expect(issuesOf((issues) => (items = itemsOf(value, definition, definition.path, issues)))).toEqual(want);
    expect(items?.length).toBe(count);
  });
});

describe('checkCount', () => {
  test.each([
    ['within min..max', 1, []],
    ['above max', 3, ['error structure Patient.identifier']],
    ["no items: absence is checkRequired's", 0, []],
  ] as const)('%s', (_title, count, want) => {
    expect(issuesOf((issues) => checkCount(count, identifier, 'Patient.identifier', issues))).toEqual(want);
  });
  test('below a min above 1', () => {
    const twoOrMore = element('Patient.name', 2, -1);
    expect(issuesOf((issues) => checkCount(1, twoOrMore, 'Patient.name', issues))).toEqual([
      'error required Patient.name',
    ]);
  });
});

describe('checkRequired', () => {
  const required: RequiredChild[] = [
    { index: 1, element: identifier, keys: ['identifier', '_identifier'], choice: false },
    { index: 4, element: element('Patient.deceased[x]', 1, 1), keys: ['_deceasedBoolean'], choice: true },
  ];
  test('a required child and a required choice, both present', () => {
    const present = { identifier: [{}], deceasedBoolean: false };
    expect(
      issuesOf((issues) => checkRequired(present, required, [4, 'deceasedBoolean'], 0, 'Patient', issues)),
    ).toEqual([]);
  });
  test('both absent: an error at each, the choice named without [x]', () => {
    expect(issuesOf((issues) => checkRequired({}, required, undefined, 0, 'Patient', issues))).toEqual([
      'error required Patient.identifier',
      'error required Patient.deceased',
    ]);
  });
  test('a child the object loop met (its bit in `met`) is not looked up again; the others are', () => {
    expect(issuesOf((issues) => checkRequired({}, required, undefined, 0b10, 'Patient', issues))).toEqual([
      'error required Patient.identifier',
    ]);
    expect(
      issuesOf((issues) => checkRequired({ identifier: [{}] }, required, undefined, 0b10, 'Patient', issues)),
    ).toEqual([]);
  });
  test('a primitive met by its extension alone (`_name`)', () => {
    expect(
      issuesOf((issues) => checkRequired({ _identifier: {} }, required.slice(0, 1), [], 0, 'Patient', issues)),
    ).toEqual([]);
  });
});

describe('checkSliceCounts', () => {
  const slices = [element('Patient.identifier', 1, 1, { id: 'Patient.identifier:nhsNumber', sliceName: 'nhsNumber' })];
  test.each([
    ['one item in a 1..1 slice', [1], []],
    ['none', [0], ['error required Patient.identifier']],
    ['two', [2], ['error structure Patient.identifier']],
  ] as const)('%s', (_title, counts, want) => {
    expect(issuesOf((issues) => checkSliceCounts(slices, counts, 'Patient.identifier', issues))).toEqual(want);
  });
});
