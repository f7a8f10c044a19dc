import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultSpecPaths, fhirPackageCacheDir, syncSpecs } from '@nhs-fhir/specs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_PACKAGES, type BaseModule } from './generated-packages.js';

const root = join(import.meta.dirname, '..', '..', '..');

/** The base StructureDefinitions of a core package, read straight from the package cache. */
async function coreDefinitions(
  core: readonly [id: string, version: string],
): Promise<{ kind: string; type: string; abstract: boolean }[]> {
  const paths = defaultSpecPaths();
  await syncSpecs({ paths, only: [core.join('#')] });
  const dir = join(fhirPackageCacheDir(paths.cache, ...core), 'package');
  const files = (await readdir(dir)).filter((name) => name.startsWith('StructureDefinition-'));
  const definitions = await Promise.all(
    files.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as Record<string, unknown>),
  );
  return definitions
    .filter((sd) => sd['derivation'] !== 'constraint')
    .map((sd) => ({ kind: String(sd['kind']), type: String(sd['type']), abstract: sd['abstract'] === true }));
}

describe.each(BASE_PACKAGES)('$name: exports', ({ name, base, dir, exports, fhirVersion }) => {
  const core = base.core.join('#');
  let module: BaseModule;
  beforeAll(async () => {
    module = await base.load();
  });

  const resourceTypesTitle = `resource types are exactly the concrete resource StructureDefinitions of ${core}`;
  it(`${resourceTypesTitle} (${exports.resources})`, async () => {
    const concrete = (await coreDefinitions(base.core))
      .filter((sd) => sd.kind === 'resource' && !sd.abstract)
      .map((sd) => sd.type);
    expect([...module.resourceTypes]).toEqual([...concrete].sort());
    expect(module.resourceTypes).toHaveLength(exports.resources);
    expect(module.resourceTypes).not.toContain('SubscriptionStatus');
    expect(module.fhirVersion).toBe(fhirVersion);
  });

  it(
    `one generated file per resource and complex datatype (${exports.datatypes} datatypes, Element and ` +
      'BackboneElement included; the abstract Resource and DomainResource, which the resources extend)',
    async () => {
      const types = (await coreDefinitions(base.core))
        .filter((sd) => sd.kind === 'resource' || sd.kind === 'complex-type')
        .map((sd) => `${sd.type}.ts`);
      const files = (await readdir(join(root, dir, 'src', 'generated'))).filter(
        (name) => name !== 'index.ts' && name !== 'resources.ts' && name !== 'validation-tables.ts',
      );
      expect(files.sort()).toEqual(types.sort());
      expect(types).toHaveLength(exports.resources + 2 + exports.datatypes);
    },
  );

  it("the validation-tables entry holds the base types' validator tables: every resource, no profile", async () => {
    const { validationTablesJson } = (await import(`${name}/validation-tables`)) as { validationTablesJson: string };
    const tables = JSON.parse(validationTablesJson) as {
      fhirVersion: string;
      baseTypes: Record<string, string>;
      structures: Record<string, { url: string }>;
    };
    expect(tables.fhirVersion).toBe(fhirVersion === '4.0.1' ? 'R4' : 'STU3');
    expect(Object.keys(tables.baseTypes)).toEqual(expect.arrayContaining([...module.resourceTypes]));
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
      isResource: module.isResource(given),
      isPatient: module.isPatient(given),
      isObservation: module.isObservation(given),
      isBundle: module.isBundle(given),
    }).toEqual(want);
  });

  it('isResourceType names', () => {
    expect([
      module.isResourceType('Observation'),
      module.isResourceType('Resource'),
      module.isResourceType('DomainResource'),
      module.isResourceType(42),
    ]).toEqual([true, false, false, false]);
  });
});
