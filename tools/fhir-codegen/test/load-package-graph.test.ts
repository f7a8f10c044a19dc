import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SpecError, syncSpecs } from '@nhs-fhir/specs';
import { FixtureWorkspace, fixtureResources, type FixturePackage } from '@nhs-fhir/specs/testing';
import { loadPackageGraph } from '../src/load/package-graph.js';
import { inventoryPackage } from '../src/load/package-inventory.js';
import { PackageStore } from '../src/load/package-store.js';

const SHARED_CS = 'https://example.org/fixture/CodeSystem/shared';

const core: FixturePackage = {
  id: 'fixture.r4.core',
  version: '4.0.1',
  files: {
    'StructureDefinition-Patient.json': {
      resourceType: 'StructureDefinition',
      id: 'Patient',
      url: 'http://hl7.org/fhir/StructureDefinition/Patient',
      kind: 'resource',
      derivation: 'specialization',
      type: 'Patient',
    },
  },
};
const stu3Core: FixturePackage = {
  id: 'fixture.r3.core',
  version: '3.0.1',
  fhirVersion: '3.0.1',
  files: {
    'StructureDefinition-Patient.json': {
      resourceType: 'StructureDefinition',
      id: 'Patient',
      url: 'http://hl7.org/fhir/StructureDefinition/Patient',
      kind: 'resource',
      derivation: 'specialization',
      type: 'Patient',
      fhirVersion: '3.0.1',
    },
  },
};
const base: FixturePackage = {
  id: 'fixture.base',
  version: '1.0.0',
  dependencies: { 'fixture.r4.core': '4.0.1' },
  files: { 'CodeSystem-shared.json': fixtureResources.codeSystem('shared', SHARED_CS, '1.1.0') },
};
const ig: FixturePackage = {
  id: 'fixture.ig',
  version: '0.1.0',
  dependencies: { 'fixture.r4.core': '4.0.1', 'fixture.base': '1.0.0', 'fixture.unneeded': '2.0.0' },
  files: {
    // Two CodeSystems with the same id and different URLs, as upstream packages really have.
    'CodeSystem-RemovalReasonA.json': fixtureResources.codeSystem(
      'RemovalReason',
      'https://example.org/fixture/CodeSystem/RemovalReasonA',
    ),
    'CodeSystem-RemovalReasonB.json': fixtureResources.codeSystem(
      'RemovalReason',
      'https://example.org/fixture/CodeSystem/RemovalReasonB',
    ),
    'CodeSystem-shared.json': fixtureResources.codeSystem('shared', SHARED_CS, '1.0.0'),
    'StructureDefinition-no-id.json': {
      ...fixtureResources.patientProfile('https://example.org/fixture/StructureDefinition/NoId'),
      id: undefined,
    },
    'StructureDefinition-FixturePatient.json': {
      ...fixtureResources.patientProfile(),
      differential: {
        element: [
          {
            id: 'Patient.gender',
            path: 'Patient.gender',
            binding: { strength: 'required', valueSet: 'https://example.org/fixture/ValueSet/missing' },
          },
          {
            id: 'Patient.generalPractitioner',
            path: 'Patient.generalPractitioner',
            type: [
              {
                code: 'Reference',
                targetProfile: [
                  'https://example.org/fixture/StructureDefinition/Missing',
                  'http://hl7.org/fhir/StructureDefinition/Patient',
                ],
              },
            ],
          },
        ],
      },
    },
  },
};

const entry = (pkg: FixturePackage, extra: Record<string, unknown> = {}) => ({
  id: pkg.id,
  version: pkg.version,
  mirrorPath: `fhir/${pkg.id}#${pkg.version}`,
  upstream: [],
  ...extra,
});

let workspace: FixtureWorkspace;
let store: PackageStore;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
  for (const pkg of [core, stu3Core, base, ig]) await workspace.mirrorPackage(pkg);
  await workspace.writeManifest({
    fhirPackages: [
      entry(core),
      entry(stu3Core),
      entry(base),
      entry(ig, { dependencies: { 'fixture.unneeded': { omit: 'no profile here uses it' } } }),
    ],
    openapi: [],
  });
  const { manifest } = await syncSpecs({ paths: workspace.paths });
  store = new PackageStore(workspace.paths.cache, manifest);
});
afterEach(async () => workspace.remove());

describe('loadPackageGraph', () => {
  test('loads the closure breadth-first, root first, each package once', async () => {
    const graph = await loadPackageGraph(store, 'fixture.ig#0.1.0');
    expect(graph.closure.map((pkg) => pkg.key)).toEqual([
      'fixture.ig#0.1.0',
      'fixture.r4.core#4.0.1',
      'fixture.base#1.0.0',
    ]);
    expect(graph.omitted).toEqual([
      { by: 'fixture.ig#0.1.0', id: 'fixture.unneeded', declared: '2.0.0', reason: 'no profile here uses it' },
    ]);
    expect(await store.load('fixture.r4.core')).toBe(graph.closure[1]);
  });

  test('resolves resources that share an id, or have none, by url', async () => {
    const { index } = await loadPackageGraph(store, 'fixture.ig#0.1.0');
    expect(index.resolve('https://example.org/fixture/CodeSystem/RemovalReasonA')?.file).toBe(
      'package/CodeSystem-RemovalReasonA.json',
    );
    expect(index.resolve('https://example.org/fixture/CodeSystem/RemovalReasonB')?.file).toBe(
      'package/CodeSystem-RemovalReasonB.json',
    );
    expect(index.resolve('https://example.org/fixture/StructureDefinition/NoId')?.id).toBeUndefined();
  });

  test('a URL held by two packages resolves to the nearest; url|version picks the exact one', async () => {
    const fromIg = (await loadPackageGraph(store, 'fixture.ig#0.1.0')).index;
    expect(fromIg.resolve(SHARED_CS)?.version).toBe('1.0.0');
    expect(fromIg.resolve(`${SHARED_CS}|1.1.0`)?.packageKey).toBe('fixture.base#1.0.0');
    expect(fromIg.resolve(`${SHARED_CS}|9.9.9`)).toBeUndefined();
    expect(fromIg.all(SHARED_CS).map((resource) => resource.packageKey)).toEqual([
      'fixture.ig#0.1.0',
      'fixture.base#1.0.0',
    ]);
    const fromBase = (await loadPackageGraph(store, 'fixture.base#1.0.0')).index;
    expect(fromBase.resolve(SHARED_CS)?.version).toBe('1.1.0');
  });

  test('R4 and STU3 packages with the same URLs stay apart', async () => {
    const r4 = (await loadPackageGraph(store, 'fixture.r4.core')).index;
    const stu3 = (await loadPackageGraph(store, 'fixture.r3.core')).index;
    expect(r4.resolve('http://hl7.org/fhir/StructureDefinition/Patient')?.packageKey).toBe('fixture.r4.core#4.0.1');
    expect(stu3.resolve('http://hl7.org/fhir/StructureDefinition/Patient')?.packageKey).toBe('fixture.r3.core#3.0.1');
  });

  test('references that resolve nowhere are reported by name, not thrown', async () => {
    const inventory = inventoryPackage(await loadPackageGraph(store, 'fixture.ig#0.1.0'));
    expect(inventory.unresolved.map((ref) => [ref.canonical, ref.count])).toEqual([
      ['https://example.org/fixture/StructureDefinition/Missing', 1],
      ['https://example.org/fixture/ValueSet/missing', 1],
    ]);
    expect(inventory.unresolved[1]?.firstReferrer).toBe(
      'https://example.org/fixture/StructureDefinition/FixturePatient Patient.gender.binding.valueSet',
    );
    expect(inventory).toMatchObject({ profiles: 2, extensions: 0, codeSystems: 3, valueSets: 0, examples: 0 });
  });
});

describe("a package's .index.json", () => {
  const CS_URL = 'https://example.org/fixture/CodeSystem/indexed';
  const indexed: FixturePackage = {
    id: 'fixture.indexed',
    version: '1.0.0',
    files: {
      'CodeSystem-indexed.json': fixtureResources.codeSystem('indexed', CS_URL, '1.0.0'),
      'CodeSystem-unlisted.json': fixtureResources.codeSystem('unlisted', `${CS_URL}-unlisted`),
      '.index.json': {
        'index-version': 1,
        files: [
          {
            filename: 'CodeSystem-indexed.json',
            resourceType: 'CodeSystem',
            id: 'indexed',
            url: CS_URL,
            version: '1.0.0',
          },
        ],
      },
    },
  };
  const cachedFile = (name: string): string =>
    join(workspace.paths.cache, `${indexed.id}#${indexed.version}`, 'package', name);

  beforeEach(async () => {
    await workspace.mirrorPackage(indexed);
    await workspace.writeManifest({ fhirPackages: [entry(core), entry(indexed)], openapi: [] });
    const { manifest } = await syncSpecs({ paths: workspace.paths });
    store = new PackageStore(workspace.paths.cache, manifest);
  });

  test('indexes the files it lists without parsing them, and the others by parsing them', async () => {
    // a file the loader never parses may change under it: the index entry alone places it
    await chmod(cachedFile('CodeSystem-indexed.json'), 0o644);
    await writeFile(cachedFile('CodeSystem-indexed.json'), 'not JSON');
    const { index } = await loadPackageGraph(store, 'fixture.indexed#1.0.0');
    expect(index.resolve(`${CS_URL}|1.0.0`)).toMatchObject({ id: 'indexed', file: 'package/CodeSystem-indexed.json' });
    expect(index.resolve(`${CS_URL}-unlisted`)?.json['id']).toBe('unlisted');
    expect(() => index.resolve(CS_URL)?.json).toThrow(
      /^fixture\.indexed#1\.0\.0: package\/CodeSystem-indexed\.json: malformed JSON at line 1 column 2/,
    );
  });

  test('parses a listed file on first use, once', async () => {
    const resource = (await loadPackageGraph(store, 'fixture.indexed#1.0.0')).index.resolve(CS_URL)!;
    expect(resource.json['url']).toBe(CS_URL);
    expect(resource.json).toBe(resource.json);
  });

  test('a file that says otherwise than its index entry is an error naming both', async () => {
    await chmod(cachedFile('CodeSystem-indexed.json'), 0o644);
    await writeFile(
      cachedFile('CodeSystem-indexed.json'),
      JSON.stringify(fixtureResources.codeSystem('indexed', CS_URL, '2.0.0')),
    );
    const resource = (await loadPackageGraph(store, 'fixture.indexed#1.0.0')).index.resolve(CS_URL)!;
    expect(() => resource.json).toThrow(
      'fixture.indexed#1.0.0: package/CodeSystem-indexed.json: $.version: the file holds version 2.0.0, ' +
        "but the package's .index.json says 1.0.0",
    );
  });
});

describe('loadPackageGraph on bad input', () => {
  test('a dependency on another FHIR version is an error naming both', async () => {
    const mixed: FixturePackage = {
      id: 'fixture.mixed',
      version: '1.0.0',
      dependencies: { 'fixture.r3.core': '3.0.1' },
      files: {},
    };
    await workspace.mirrorPackage(mixed);
    await workspace.writeManifest({ fhirPackages: [entry(core), entry(stu3Core), entry(mixed)], openapi: [] });
    const { manifest } = await syncSpecs({ paths: workspace.paths });
    const error = await loadPackageGraph(
      new PackageStore(workspace.paths.cache, manifest),
      'fixture.mixed#1.0.0',
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toBe(
      'fixture.mixed#1.0.0: package/package.json: $.dependencies["fixture.r3.core"]: depends on ' +
        'fixture.r3.core#3.0.1 (FHIR 3.0.1), but fixture.mixed#1.0.0 is FHIR 4.0.1',
    );
  });

  test('a package missing from the cache says how to get it', async () => {
    const { manifest } = await syncSpecs({ paths: workspace.paths });
    const empty = new PackageStore(`${workspace.root}/no-cache`, manifest);
    await expect(empty.load('fixture.base')).rejects.toThrow(
      /^fixture\.base#1\.0\.0: .*package\.json: package not in the cache; run `npm run specs -- sync`$/,
    );
  });

  test('a package not in the manifest is named', () => {
    expect(() => store.input('fixture.nowhere')).toThrow('fixture.nowhere: not a FHIR package pinned in specs.json');
  });
});
