import { describe, expect, test } from 'vitest';
import { primitiveChecks } from '../../src/primitives.js';
import {
  checkChoice,
  checkNullItem,
  checkObject,
  checkPrimitive,
  checkResourceShape,
  primitiveExtensionItems,
  unknownElement,
} from '../../src/rules/types.js';
import { element, issuesOf } from './rule-support.js';

const checks = primitiveChecks({
  date: { json: 'string', regex: '[0-9]{4}(-(0[1-9]|1[0-2]))?' },
  boolean: { json: 'boolean' },
  string: { json: 'string' },
});

describe('checkPrimitive', () => {
  test.each([
    ['a date in its format', 'date', '2000-01', []],
    ['a date out of its format: a value issue', 'date', '2000-13', ['error value Patient.birthDate']],
    ['a boolean given as a string: a structure issue', 'boolean', 'true', ['error structure Patient.birthDate']],
    ['a type without a check takes a string', 'xhtml-like', 'text', []],
    ['a type without a check refuses an object', 'xhtml-like', {}, ['error structure Patient.birthDate']],
  ] as const)('%s', (_title, code, value, want) => {
    expect(issuesOf((issues) => checkPrimitive(code, checks.get(code), value, 'Patient.birthDate', issues))).toEqual(
      want,
    );
  });
});

describe('choice types', () => {
  const deceased = element('Patient.deceased[x]', 0, 1);
  test('the first variant met is remembered; a second is an error at its key', () => {
    let choices: (number | string)[] | undefined;
    expect(
      issuesOf((issues) => (choices = checkChoice(undefined, 7, 'deceasedBoolean', deceased, 'Patient', issues))),
    ).toEqual([]);
    expect(choices).toEqual([7, 'deceasedBoolean']);
    expect(issuesOf((issues) => checkChoice(choices, 7, 'deceasedDateTime', deceased, 'Patient', issues))).toEqual([
      'error structure Patient.deceasedDateTime',
    ]);
    expect(issuesOf((issues) => checkChoice(choices, 8, 'multipleBirthBoolean', deceased, 'Patient', issues))).toEqual(
      [],
    );
  });
});

describe('objects, resources, unknown elements', () => {
  test.each<[string, unknown, string[]]>([
    ['an object where a complex type is', {}, []],
    ['a string where a complex type is', 'x', ['error structure Patient.name[0]']],
  ])('checkObject: %s', (_title, value, want) => {
    expect(issuesOf((issues) => checkObject(value, 'HumanName', 'Patient.name[0]', issues))).toEqual(want);
  });
  test('checkResourceShape: an object with a resourceType, not one without', () => {
    expect(
      issuesOf((issues) => checkResourceShape({ resourceType: 'Patient' }, 'Bundle.entry[0].resource', issues)),
    ).toEqual([]);
    expect(issuesOf((issues) => checkResourceShape({ id: '1' }, 'Bundle.entry[0].resource', issues))).toEqual([
      'error structure Bundle.entry[0].resource',
    ]);
  });
  test('unknownElement names the key under the path', () => {
    expect(issuesOf((issues) => unknownElement('colour', element('Patient', 0, -1), 'Patient', issues))).toEqual([
      'error structure Patient.colour',
    ]);
  });
});

describe('primitive extensions (`_name`)', () => {
  const given = element('Patient.name.given', 0, -1);
  const birthDate = element('Patient.birthDate', 0, 1);
  test.each([
    ['an array beside a repeating primitive', [{ id: 'a' }, null], given, true, [], 2],
    ['an object beside a repeating primitive', { id: 'a' }, given, true, ['error structure Patient._x'], 0],
    ['an object beside a single primitive', { id: 'a' }, birthDate, true, [], 1],
    ['beside a complex type', { id: 'a' }, birthDate, false, ['error structure Patient._x'], 0],
  ] as const)('%s', (_title, value, definition, primitive, want, count) => {
    let items: unknown[] = [];
    expect(
      issuesOf((issues) => (items = primitiveExtensionItems(value, primitive, definition, 'Patient._x', issues))),
    ).toEqual(want);
    expect(items.length).toBe(count);
  });
  test('checkNullItem: null only where the `_` array has an entry in a primitive array', () => {
    expect(issuesOf((issues) => checkNullItem(true, { id: 'a' }, 'Patient.name[0].given[1]', issues))).toEqual([]);
    expect(issuesOf((issues) => checkNullItem(true, null, 'Patient.name[0].given[1]', issues))).toEqual([
      'error structure Patient.name[0].given[1]',
    ]);
    expect(issuesOf((issues) => checkNullItem(false, { id: 'a' }, 'Patient.identifier[0]', issues))).toEqual([
      'error structure Patient.identifier[0]',
    ]);
  });
});
