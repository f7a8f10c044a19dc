import { expect, test } from 'vitest';
import { checkReference, referencedType, type ReferenceContext } from '../../src/rules/references.js';
import { issuesOf } from './rule-support.js';

const container = { resourceType: 'Flag', contained: [{ resourceType: 'Provenance', id: 'p1' }] };
const context: ReferenceContext = {
  scope: { container, resource: container },
  fullUrls: new Map([['urn:uuid:1', 'Practitioner']]),
  resourceTypes: new Set(['Patient', 'Practitioner', 'Provenance', 'Organization']),
};

test.each([
  ['a relative reference to an allowed type', { reference: 'Patient/1' }, []],
  ['a relative reference to another type', { reference: 'Organization/1' }, ['error value $']],
  ['an absolute URL with a version', { reference: 'https://h/fhir/Patient/1/_history/2' }, []],
  ['a conditional reference', { reference: 'Organization?identifier=x' }, ['error value $']],
  ['a contained resource, by #id', { reference: '#p1' }, ['error value $']],
  ['a Bundle fullUrl', { reference: 'urn:uuid:1' }, []],
  ['only Reference.type', { type: 'Organization' }, ['error value $']],
  ['a bare id: the type cannot be read, not checked', { reference: '123' }, []],
] as const)('%s', (_title, item, want) => {
  expect(issuesOf((issues) => checkReference(['Patient', 'Practitioner'], item, '$', context, issues))).toEqual(want);
});

// The relative form read without a counted repeat must read every reference as the one regex did.
const RELATIVE_TYPE = /^([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL_TYPE = /^([A-Z][A-Za-z]+)\?/;
const byRegex = (reference: string): string | undefined => {
  const type = (RELATIVE_TYPE.exec(reference) ?? CONDITIONAL_TYPE.exec(reference))?.[1];
  return type !== undefined && context.resourceTypes.has(type) ? type : context.fullUrls?.get(reference);
};

test('relative references: the type read as the regex with counted ids reads it', () => {
  const ids = ['', '1', 'a'.repeat(64), 'a'.repeat(65), 'a-b.C9', 'a_b', 'a b', 'a/b'];
  const types = ['Patient', 'Organization', 'P', 'patient', 'Unknown', 'Pat1ent', ''];
  const references: string[] = [];
  for (const type of types)
    for (const id of ids) {
      references.push(`${type}/${id}`, `${type}?${id}`, `${type}/${id}/`, `${type}//${id}`);
      for (const version of ids)
        references.push(`${type}/${id}/_history/${version}`, `${type}/${id}/history/${version}`);
    }
  const read = references.map((reference) => [reference, referencedType(reference, context)]);
  expect(read).toEqual(references.map((reference) => [reference, byRegex(reference)]));
  expect(read.filter(([, type]) => type !== undefined).length).toBeGreaterThan(20);
});

test('a relative reference to an allowed type is allowed only as the regex reads it (known type, ids 1 to 64)', () => {
  const check = (reference: string, targets: string[]) =>
    issuesOf((issues) => checkReference(targets, { reference, type: 'Organization' }, '$', context, issues));
  expect(check('Patient/1', ['Patient'])).toEqual([]);
  expect(check('Patient/1/_history/2', ['Organization', 'Patient'])).toEqual([]);
  // Not relative as FHIR writes it: the type is read from `type` (Organization), not allowed here.
  expect(check(`Patient/${'a'.repeat(65)}`, ['Patient'])).toEqual(['error value $']);
  expect(check('Patient/a b', ['Patient'])).toEqual(['error value $']);
  expect(check('Patient/', ['Patient'])).toEqual(['error value $']);
  // A target the tables do not know as a resource type: the reference names no type they know.
  expect(check('Patiens/1', ['Patiens'])).toEqual(['error value $']);
});
