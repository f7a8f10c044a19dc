import { describe, expect, test } from 'vitest';
import {
  extensionsOf,
  hasProfile,
  inSlice,
  lazyValidator,
  matchesValue,
  runtimeProfileOf,
  sliceItems,
  valuesAt,
  withExtension,
  type RuntimeRegistry,
} from '../src/index.js';
import { fixtureTables } from './fixture-tables.js';

// The runtime the generated profile packages import (their getExtension, getSlices and validate call these).

const URL = 'https://example.org/StructureDefinition/Patient';
const ETHNIC = 'https://example.org/StructureDefinition/Ethnic';
const NHS_NUMBER = [{ path: 'system', value: 'https://fhir.nhs.uk/Id/nhs-number', pattern: false }];
const registry: RuntimeRegistry = {
  [URL]: { type: 'Patient', extensions: { ethnic: ETHNIC }, slices: { identifier: { nhsNumber: NHS_NUMBER } } },
};
const patient = () => ({
  resourceType: 'Patient',
  meta: { profile: [`${URL}|1.0.0`] },
  extension: [
    { url: 'https://example.org/other', valueString: 'x' },
    { url: ETHNIC, valueString: 'A' },
  ],
  identifier: [
    { system: 'local', value: '1' },
    { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' },
  ],
});

describe('guards and matching', () => {
  test('hasProfile: the resource type and the url, with or without a version', () => {
    expect(hasProfile(patient(), 'Patient', URL)).toBe(true);
    expect(hasProfile(patient(), 'Observation', URL)).toBe(false);
    expect(hasProfile({ resourceType: 'Patient', meta: { profile: [`${URL}x`] } }, 'Patient', URL)).toBe(false);
    expect(hasProfile(null, 'Patient', URL)).toBe(false);
  });

  test('valuesAt flattens arrays along a dot path', () => {
    expect(valuesAt({ a: [{ b: 1 }, { b: [2, 3] }, {}] }, 'a.b')).toEqual([1, 2, 3]);
    expect(valuesAt('x', '')).toEqual(['x']);
  });

  test('matchesValue: equality for fixed values, containment for patterns', () => {
    expect(matchesValue({ a: 1 }, { a: 1 }, false)).toBe(true);
    expect(matchesValue({ a: 1, b: 2 }, { a: 1 }, false)).toBe(false);
    expect(matchesValue({ a: 1, b: 2 }, { a: 1 }, true)).toBe(true);
    expect(matchesValue([{ a: 1 }, { a: 2 }], [{ a: 2 }], true)).toBe(true);
    expect(matchesValue([{ a: 1 }, { a: 2 }], [{ a: 2 }], false)).toBe(false);
  });

  test('inSlice: every discriminator value found at its path', () => {
    expect(inSlice({ system: 'https://fhir.nhs.uk/Id/nhs-number' }, NHS_NUMBER)).toBe(true);
    expect(inSlice({ system: 'local' }, NHS_NUMBER)).toBe(false);
  });
});

describe('the helpers, bound to a registry', () => {
  test('runtimeProfileOf reads meta.profile, ignoring a version', () => {
    expect(runtimeProfileOf(registry, patient())?.type).toBe('Patient');
    expect(runtimeProfileOf(registry, { resourceType: 'Patient' })).toBeUndefined();
  });

  test('extensionsOf and withExtension use the url of the named slice', () => {
    const resource = patient();
    expect(extensionsOf(registry, resource, 'ethnic')).toEqual([{ url: ETHNIC, valueString: 'A' }]);
    expect(withExtension(registry, resource, 'ethnic', { valueString: 'B' })).toBe(resource);
    expect(resource.extension).toEqual([
      { url: 'https://example.org/other', valueString: 'x' },
      { url: ETHNIC, valueString: 'B' },
    ]);
    expect(() => extensionsOf(registry, resource, 'nope')).toThrow('no extension slice nope');
  });

  test('sliceItems keeps the items of the named slice', () => {
    expect(sliceItems(registry, patient(), 'identifier', 'nhsNumber')).toEqual([
      { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' },
    ]);
    expect(() => sliceItems(registry, patient(), 'identifier', 'nope')).toThrow('no slice identifier:nope');
  });
});

test('lazyValidator parses the tables on the first call, not before', () => {
  expect(() => lazyValidator('not JSON')).not.toThrow();
  const validate = lazyValidator(JSON.stringify(fixtureTables));
  expect(validate({ resourceType: 'Patient', colour: 'blue' }).issue.some((issue) => issue.severity === 'error')).toBe(
    true,
  );
});
