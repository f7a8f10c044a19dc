import { expect, test } from 'vitest';
import { lazyValidator, mergeTables, type ValidationTables } from '../src/index.js';
import { fixtureTables, PROFILE } from './fixture-tables.js';

/** The fixture tables split as the packages ship them: base types in one layer, the profiles in another. */
function layers(): [ValidationTables, ValidationTables] {
  const base: ValidationTables = { ...fixtureTables, structures: {} };
  const profiles: ValidationTables = { ...fixtureTables, structures: {}, baseTypes: {}, primitives: {} };
  const baseUrls = new Set(Object.values(fixtureTables.baseTypes));
  for (const [url, structure] of Object.entries(fixtureTables.structures))
    (baseUrls.has(url) ? base : profiles).structures[url] = structure;
  return [base, profiles];
}

test('mergeTables gives back the tables a layer was split from, a later layer winning', () => {
  const [base, profiles] = layers();
  expect(Object.keys(profiles.structures)).toContain(PROFILE);
  expect(mergeTables([base, profiles])).toEqual(fixtureTables);
  const renamed = { ...profiles, structures: { [PROFILE]: { ...profiles.structures[PROFILE]!, name: 'Renamed' } } };
  expect(mergeTables([fixtureTables, renamed]).structures[PROFILE]!.name).toBe('Renamed');
  expect(mergeTables([base]).structures).toBe(base.structures);
});

test('mergeTables refuses layers of two FHIR versions, naming the layer', () => {
  const [base, profiles] = layers();
  expect(() => mergeTables([base, { ...profiles, fhirVersion: 'STU3' }])).toThrow(
    'mergeTables: layer 1 is STU3 tables, layer 0 is R4 tables',
  );
  expect(() => mergeTables([])).toThrow('no tables given');
});

test('lazyValidator combines the layers: a profile of the second is checked over the base types of the first', () => {
  const [base, profiles] = layers();
  const validate = lazyValidator([JSON.stringify(base), JSON.stringify(profiles)]);
  const profiled = { resourceType: 'Patient', meta: { profile: [PROFILE] } };
  const issues = validate(profiled).issue;
  expect(issues.some((issue) => issue.code === 'not-found')).toBe(false);
  expect(issues.some((issue) => issue.severity === 'error')).toBe(true);
  const baseOnly = lazyValidator([JSON.stringify(base)])(profiled).issue;
  expect(baseOnly.some((issue) => issue.code === 'not-found' && issue.severity === 'warning')).toBe(true);
});
