import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { loadPackageGraph } from '../src/load/package-graph.js';
import { loadWorkspaceSpecs, type WorkspaceSpecs } from '../src/load/workspace-specs.js';
import { formatInventory } from '../src/inventory-report.js';

// The real NHS and HL7 packages, served by the spec sync from the mirror (../shared/specs) as the lock pins them.
let specs: WorkspaceSpecs;
beforeAll(async () => {
  const paths = defaultSpecPaths();
  expect(paths.mirror, 'the real specs mirror (../shared/specs or SPECS_MIRROR) must be present').toBeDefined();
  specs = await loadWorkspaceSpecs(paths, 'frozen');
}, 120_000);

const inventory = (key: string) => {
  const found = specs.packages.find((pkg) => pkg.key === key);
  expect(found, key).toBeDefined();
  return found!;
};

describe('the real spec mirror', () => {
  test("every package's .index.json says of each file what the file says (the loader indexes from it)", async () => {
    const disagreements: string[] = [];
    for (const { key } of specs.packages) {
      const loaded = await specs.store.load(key);
      for (const resource of [...loaded.resources, ...loaded.examples]) {
        try {
          void resource.json;
        } catch (error) {
          disagreements.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);

  test('all seven FHIR packages and both OpenAPI descriptions load', () => {
    expect(specs.packages.map((pkg) => pkg.key)).toEqual([
      'hl7.fhir.r4.core#4.0.1',
      'hl7.fhir.r3.core#3.0.1',
      'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release',
      'fhir.r4.nhsengland.stu1#1.3.0',
      'uk.nhsengland.r4#0.0.1',
      'uk.hl7.careconnect.stu3#0.0.0-assembled.20201125',
      'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05',
    ]);
    expect(specs.openapi.map((api) => [api.key, api.operations.length])).toEqual([
      ['openapi:personal-demographics-service#f57f5839', 7],
      ['openapi:reasonable-adjustment-flag#0.3.4-beta+691f007', 14],
    ]);
  });

  test('UK Core: 70 profiles, 83 extensions, 133 value sets, 88 code systems, 162 examples', () => {
    expect(inventory('fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release')).toMatchObject({
      fhirVersion: '4.0.1',
      profiles: 70,
      extensions: 83,
      valueSets: 133,
      codeSystems: 88,
      examples: 162,
      closure: ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release', 'hl7.fhir.r4.core#4.0.1'],
    });
  });

  test(
    'NHS England: 37 profiles, 3 extensions, the CP-IS and Patient Flag CapabilityStatements, ' +
      'and the left-out dependencies',
    async () => {
      const nhse = inventory('uk.nhsengland.r4#0.0.1');
      expect(nhse).toMatchObject({
        profiles: 37,
        extensions: 3,
        valueSets: 24,
        codeSystems: 16,
        capabilityStatements: 11,
        examples: 18,
      });
      expect(nhse.omitted.map((omitted) => omitted.id)).toEqual([
        'fhir.tx.support.r4',
        'hl7.fhir.uv.sdc',
        'hl7.fhir.uv.ipa',
        'hl7.fhir.eu.laboratory',
      ]);
      const { index } = await loadPackageGraph(specs.store, 'uk.nhsengland.r4#0.0.1');
      for (const name of ['CPIS-FHIR-API-Consumer', 'CPIS-FHIR-API-Producer']) {
        expect(index.resolve(`https://fhir.nhs.uk/CapabilityStatement/${name}`)?.resourceType).toBe(
          'CapabilityStatement',
        );
      }
      // The flag removal reason extension comes from fhir.r4.nhsengland.stu1, through the closure.
      expect(
        index.resolve('https://fhir.nhs.uk/England/StructureDefinition/Extension-England-FlagRemovalReason')
          ?.packageKey,
      ).toBe('fhir.r4.nhsengland.stu1#1.3.0');
    },
  );

  test('Reasonable Adjustments STU3: the six profiles, and CodeSystems that share an id resolved by url', async () => {
    expect(inventory('nhsconnect.stu3.rarecord#0.0.0-develop.4543c05')).toMatchObject({
      fhirVersion: '3.0.1',
      profiles: 6,
      extensions: 6,
      valueSets: 22,
      codeSystems: 16,
      examples: 12,
    });
    const { index, root } = await loadPackageGraph(specs.store, 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05');
    const profileNames = root.resources
      .filter((resource) => resource.resourceType === 'StructureDefinition' && resource.json['type'] !== 'Extension')
      .map((resource) => resource.json['name'])
      .sort();
    expect(profileNames).toEqual([
      'CareConnect-RARecord-Condition-1',
      'CareConnect-RARecord-List-1',
      'RARecord-Consent-1',
      'RARecord-Flag-1',
      'RARecord-Provenance-1',
      'Spine-OperationOutcome-1',
    ]);
    const removalReasons = ['EntireRecord', 'IndividualAdjustment', 'IndividualImpairment', 'UnderlyingCondition'].map(
      (kind) => index.resolve(`https://fhir.nhs.uk/STU3/CodeSystem/RARecord-RemovalReason${kind}-1`),
    );
    expect(removalReasons.map((resource) => resource?.id)).toEqual(Array(4).fill('RARecord-RemovalReason-1'));
    expect(new Set(removalReasons.map((resource) => resource?.file)).size).toBe(4);
  });

  test('a CodeSystem in two STU3 packages resolves within each package own closure', async () => {
    const url = 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1';
    expect(
      (await loadPackageGraph(specs.store, 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05')).index.resolve(url)
        ?.version,
    ).toBe('1.0.0');
    expect(
      (await loadPackageGraph(specs.store, 'uk.hl7.careconnect.stu3#0.0.0-assembled.20201125')).index.resolve(url)
        ?.version,
    ).toBe('1.1.0');
  });

  test('R4 and STU3 core share URLs but never mix', async () => {
    const patient = 'http://hl7.org/fhir/StructureDefinition/Patient';
    expect(
      (await loadPackageGraph(specs.store, 'uk.nhsengland.r4#0.0.1')).index.resolve(patient)?.json['fhirVersion'],
    ).toBe('4.0.1');
    expect(
      (await loadPackageGraph(specs.store, 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05')).index.resolve(patient)
        ?.json['fhirVersion'],
    ).toBe('3.0.1');
  });

  test('the known unresolved references are reported by name', () => {
    const unresolved = inventory('nhsconnect.stu3.rarecord#0.0.0-develop.4543c05').unresolved.map(
      (ref) => ref.canonical,
    );
    for (const name of ['Patient', 'Practitioner', 'Organization', 'Observation', 'Encounter']) {
      expect(unresolved).toContain(`https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-${name}-1`);
    }
    expect(
      inventory('uk.hl7.careconnect.stu3#0.0.0-assembled.20201125').unresolved.map((ref) => ref.canonical),
    ).toContain('https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-ProcedureRequest-1');
  });

  test('the printed inventory names every package with its counts', () => {
    const printed = formatInventory(specs);
    expect(printed).toContain('fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release  FHIR 4.0.1  377 resources');
    expect(printed).toContain('profiles 70, extensions 83');
    expect(printed).toContain('left out: hl7.fhir.uv.sdc#3.0.0 (');
    expect(printed).toContain('"Personal Demographics Service (FHIR) API" OpenAPI 3.0.0, 85 files, 7 operations');
  });
});
