import { expect, test } from 'vitest';
import { checkBinding } from '../../src/rules/bindings.js';
import { issuesOf } from './rule-support.js';

const GENDER = 'http://hl7.org/fhir/ValueSet/administrative-gender';
const codes = new Set(['male', 'female', 'other', 'unknown']);

test.each([
  ['a code in the value set', 'code', 'female', []],
  ['a code outside it', 'code', 'f', ['error code-invalid $']],
  ['a Coding in it', 'Coding', { system: 'x', code: 'male' }, []],
  ['a Coding without a code', 'Coding', { system: 'x' }, ['error code-invalid $']],
  ['a CodeableConcept with some coding in it', 'CodeableConcept', { coding: [{ code: 'f' }, { code: 'other' }] }, []],
  ['a CodeableConcept with none in it', 'CodeableConcept', { coding: [{ code: 'f' }] }, ['error code-invalid $']],
  ['a CodeableConcept with text only', 'CodeableConcept', { text: 'woman' }, ['error code-invalid $']],
  [
    'a CodeableConcept whose codings are not objects',
    'CodeableConcept',
    { coding: [null, 'male'] },
    ['error code-invalid $'],
  ],
  [
    'a CodeableConcept with a code that is no string',
    'CodeableConcept',
    { coding: [{ code: 1 }, { code: 'male' }] },
    [],
  ],
  ['a Quantity with its unit code in it', 'Quantity', { value: 1, code: 'unknown' }, []],
] as const)('%s', (_title, code, item, want) => {
  expect(issuesOf((issues) => checkBinding(GENDER, codes, code, item, '$', issues))).toEqual(want);
});

test('a value set that cannot be expanded offline: information, never an error', () => {
  expect(issuesOf((issues) => checkBinding('urn:ietf:bcp:47', null, 'code', 'xx', '$', issues))).toEqual([
    'information not-supported $',
  ]);
});
