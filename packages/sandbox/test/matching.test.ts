// The search matching and JSON Patch rules on their own, for the cases the HTTP tests do not reach.
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, PatchError } from '../src/patch.js';
import { dateRange, matches, pathsFor } from '../src/search.js';

const param = (type: string, ...expressions: string[]) => ({
  name: 'p',
  in: 'query',
  required: false,
  search: { type, expressions },
});
const patient = {
  resourceType: 'Patient',
  active: true,
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }],
  name: [{ family: 'Müller', given: ['Zoë'] }],
  birthDate: '2010-10-22',
  managingOrganization: { reference: 'https://example.org/fhir/Organization/Y12345' },
  meta: { lastUpdated: '2024-05-01T10:30:00+01:00' },
};

describe('search matching', () => {
  it('keeps only the paths of the resource type, through unions and Resource', () => {
    expect(pathsFor(['Flag.subject | Patient.link.other', 'Resource.id'], 'Patient')).toEqual([
      ['link', 'other'],
      ['id'],
    ]);
    expect(pathsFor(['Observation.value[x]'], 'Observation')).toEqual([['value']]);
  });

  it('tokens: system| matches any code of the system; booleans match true and false', () => {
    const identifier = param('token', 'Patient.identifier');
    expect(matches(patient, identifier, 'identifier', 'https://fhir.nhs.uk/Id/nhs-number|')).toBe(true);
    expect(matches(patient, identifier, 'identifier', 'https://other|')).toBe(false);
    expect(matches(patient, param('token', 'Patient.active'), 'active', 'true')).toBe(true);
    expect(matches(patient, param('token', 'Patient.active'), 'active', 'false')).toBe(false);
  });

  it('references: Type/id matches an absolute reference of that type only', () => {
    const org = param('reference', 'Patient.managingOrganization');
    expect(matches(patient, org, 'organization', 'Organization/Y12345')).toBe(true);
    expect(matches(patient, org, 'organization', 'Y12345')).toBe(true);
    expect(matches(patient, org, 'organization', 'Location/Y12345')).toBe(false);
    expect(matches(patient, org, 'organization', 'Y1234')).toBe(false);
  });

  it('strings: accents and case folded for starts-with, kept for :exact', () => {
    const name = param('string', 'Patient.name');
    expect(matches(patient, name, 'name', 'mull')).toBe(true);
    expect(matches(patient, name, 'name', 'zoe')).toBe(true);
    expect(matches(patient, name, 'name:exact', 'Müller')).toBe(true);
    expect(matches(patient, name, 'name:exact', 'muller')).toBe(false);
  });

  it('dates: ne, gt, lt and date-times with a zone', () => {
    const birth = param('date', 'Patient.birthDate');
    expect(matches(patient, birth, 'birthdate', 'ne2010-10-22')).toBe(false);
    expect(matches(patient, birth, 'birthdate', 'gt2010-10-21')).toBe(true);
    expect(matches(patient, birth, 'birthdate', 'lt2010-10-22')).toBe(false);
    expect(matches(patient, birth, 'birthdate', 'le2010-10')).toBe(true);
    const updated = param('date', 'Patient.meta.lastUpdated');
    expect(matches(patient, updated, '_lastUpdated', '2024-05-01')).toBe(true);
    expect(matches(patient, updated, '_lastUpdated', 'ge2024-05-01T09:30:00Z')).toBe(true);
    expect(matches(patient, updated, '_lastUpdated', 'gt2024-05-01T09:31:00Z')).toBe(false);
    expect(dateRange('2024-02')).toEqual([Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)]);
    expect(dateRange('22/10/2010')).toBeUndefined();
  });
});

describe('JSON Patch', () => {
  const doc = { resourceType: 'Patient', id: '1', name: [{ family: 'Smith', given: ['Jane'] }], 'a/b': 1 };

  it('adds, appends, removes, moves, copies and tests, leaving the input alone', () => {
    const patched = applyJsonPatch(doc, [
      { op: 'test', path: '/name/0/family', value: 'Smith' },
      { op: 'add', path: '/name/0/given/-', value: 'Anne' },
      { op: 'add', path: '/gender', value: 'female' },
      { op: 'copy', from: '/name/0', path: '/name/1' },
      { op: 'move', from: '/a~1b', path: '/c' },
      { op: 'remove', path: '/name/1/given/0' },
    ]);
    expect(patched).toEqual({
      resourceType: 'Patient',
      id: '1',
      name: [
        { family: 'Smith', given: ['Jane', 'Anne'] },
        { family: 'Smith', given: ['Anne'] },
      ],
      gender: 'female',
      c: 1,
    });
    expect(doc.name[0]?.given).toEqual(['Jane']);
  });

  it.each([
    [{ patches: [] }, /array of operations/],
    [[{ op: 'test', path: '/name/0/family', value: 'Jones' }], /test failed/],
    [[{ op: 'remove', path: '/telecom/0' }], /no such path/],
    [[{ op: 'replace', path: '/name/5', value: {} }], /out of range/],
    [[{ op: 'add', path: 'name', value: 1 }], /JSON pointer/],
    [[{ op: 'replace', path: '', value: {} }], /whole resource/],
    [[{ op: 'increment', path: '/id' }], /unknown op/],
  ])('refuses %j', (patch, message) => {
    expect(() => applyJsonPatch(doc, patch)).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, patch)).toThrow(message);
  });
});
