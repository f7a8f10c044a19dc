import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { describe, expect, it } from 'vitest';
import {
  fhirVersion,
  isBundle,
  isObservation,
  isPatient,
  isResource,
  isResourceType,
  resourceTypes,
} from '../src/index.js';

const CORE = ['hl7.fhir.r4.core', '4.0.1'] as const;

/** The base StructureDefinitions of the core package, read straight from the package cache. */
async function coreDefinitions(): Promise<{ kind: string; type: string; abstract: boolean }[]> {
  const paths = defaultSpecPaths();
  await syncSpecs({ paths, only: [CORE.join('#')] });
  const dir = join(fhirPackageCacheDir(paths.cache, ...CORE), 'package');
  const files = (await readdir(dir)).filter((name) => name.startsWith('StructureDefinition-'));
  const definitions = await Promise.all(
    files.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>),
  );
  return definitions
    .filter((sd) => sd['derivation'] !== 'constraint')
    .map((sd) => ({ kind: String(sd['kind']), type: String(sd['type']), abstract: sd['abstract'] === true }));
}

describe('exports of @nhs-fhir/r4', () => {
  it('resource types are exactly the concrete resource StructureDefinitions of hl7.fhir.r4.core#4.0.1 (146)', async () => {
    const concrete = (await coreDefinitions())
      .filter((sd) => sd.kind === 'resource' && !sd.abstract)
      .map((sd) => sd.type);
    expect([...resourceTypes]).toEqual([...concrete].sort());
    expect(resourceTypes).toHaveLength(146);
    expect(resourceTypes).not.toContain('SubscriptionStatus');
    expect(fhirVersion).toBe('4.0.1');
  });

  it('one generated file per resource and complex datatype (41 datatypes, Element and BackboneElement included; the abstract Resource and DomainResource, which the resources extend)', async () => {
    const types = (await coreDefinitions())
      .filter((sd) => sd.kind === 'resource' || sd.kind === 'complex-type')
      .map((sd) => `${sd.type}.ts`);
    const files = (await readdir(join(import.meta.dirname, '..', 'src', 'generated'))).filter(
      (name) => name !== 'index.ts' && name !== 'resources.ts' && name !== 'validation-tables.ts',
    );
    expect(files.sort()).toEqual(types.sort());
    expect(types).toHaveLength(146 + 2 + 41);
  });

  it("the validation-tables entry holds the base types' validator tables: every resource, no profile", async () => {
    const { validationTablesJson } = await import('@nhs-fhir/r4/validation-tables');
    const tables = JSON.parse(validationTablesJson) as {
      fhirVersion: string;
      baseTypes: Record<string, string>;
      structures: Record<string, { url: string }>;
    };
    expect(tables.fhirVersion).toBe('R4');
    expect(Object.keys(tables.baseTypes)).toEqual(expect.arrayContaining([...resourceTypes]));
    expect(Object.keys(tables.structures)).toContain('http://hl7.org/fhir/StructureDefinition/Patient');
    expect(Object.keys(tables.structures).filter((url) => !url.startsWith('http://hl7.org/fhir/'))).toEqual([]);
  });

  it.each([
    [
      'a Patient',
      { resourceType: 'Patient' },
      { isResource: true, isPatient: true, isObservation: false, isBundle: false },
    ],
    [
      'a Bundle',
      { resourceType: 'Bundle', type: 'collection' },
      { isResource: true, isPatient: false, isObservation: false, isBundle: true },
    ],
    [
      'a resource type of another FHIR version',
      { resourceType: 'SubscriptionStatus' },
      { isResource: false, isPatient: false, isObservation: false, isBundle: false },
    ],
    ['no resourceType', { id: 'x' }, { isResource: false, isPatient: false, isObservation: false, isBundle: false }],
    ['null', null, { isResource: false, isPatient: false, isObservation: false, isBundle: false }],
    ['a string', 'Patient', { isResource: false, isPatient: false, isObservation: false, isBundle: false }],
  ])('type guards check resourceType: %s', (_, given, want) => {
    expect({
      isResource: isResource(given),
      isPatient: isPatient(given),
      isObservation: isObservation(given),
      isBundle: isBundle(given),
    }).toEqual(want);
  });

  it('isResourceType names', () => {
    expect([
      isResourceType('Observation'),
      isResourceType('Resource'),
      isResourceType('DomainResource'),
      isResourceType(42),
    ]).toEqual([true, false, false, false]);
  });
});
