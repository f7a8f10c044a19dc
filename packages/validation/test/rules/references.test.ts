import { expect, test } from 'vitest';
import { checkReference, type ReferenceContext } from '../../src/rules/references.js';
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
