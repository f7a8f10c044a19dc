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

const CORE = ['hl7.fhir.r3.core', '3.0.1'] as const;

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

describe('exports of @nhs-fhir/stu3', () => {
  it('resource types are exactly the concrete resource StructureDefinitions of hl7.fhir.r3.core#3.0.1 (117)', async () => {
    const concrete = (await coreDefinitions())
      .filter((sd) => sd.kind === 'resource' && !sd.abstract)
      .map((sd) => sd.type);
    expect([...resourceTypes]).toEqual([...concrete].sort());
    expect(resourceTypes).toHaveLength(117);
    expect(resourceTypes).not.toContain('SubscriptionStatus');
    expect(fhirVersion).toBe('3.0.1');
  });

  it('one generated file per resource and complex datatype (35 datatypes, Element and BackboneElement included; the abstract Resource and DomainResource, which the resources extend)', async () => {
    const types = (await coreDefinitions())
      .filter((sd) => sd.kind === 'resource' || sd.kind === 'complex-type')
      .map((sd) => `${sd.type}.ts`);
    const files = (await readdir(join(import.meta.dirname, '..', 'src', 'generated'))).filter(
      (name) => name !== 'index.ts' && name !== 'resources.ts' && name !== 'validation-tables.ts',
    );
    expect(files.sort()).toEqual(types.sort());
    expect(types).toHaveLength(117 + 2 + 35);
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
