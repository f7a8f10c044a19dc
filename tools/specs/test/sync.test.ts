import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SpecError } from '../src/errors.js';
import { readLock } from '../src/lock.js';
import { syncSpecs } from '../src/sync.js';
import {
  FixtureServer,
  FixtureWorkspace,
  fixturePackageFiles,
  fixtureResources,
  makeTarball,
  type FixturePackage,
} from '../src/testing/index.js';

const core: FixturePackage = {
  id: 'fixture.core',
  version: '1.0.0',
  files: { 'CodeSystem-a.json': fixtureResources.codeSystem('a', 'https://example.org/fixture/CodeSystem/a') },
};
const profiles: FixturePackage = {
  id: 'fixture.profiles',
  version: '2.0.0',
  dependencies: { 'fixture.core': '1.0.0' },
  files: { 'StructureDefinition-FixturePatient.json': fixtureResources.patientProfile() },
};

const manifestFor = (
  packages: Array<FixturePackage & { upstream?: unknown[]; decisions?: unknown }>,
  openapi: unknown[] = [],
) => ({
  fhirPackages: packages.map((pkg) => ({
    id: pkg.id,
    version: pkg.version,
    mirrorPath: `fhir/${pkg.id}#${pkg.version}`,
    upstream: pkg.upstream ?? [],
    ...(pkg.decisions !== undefined ? { dependencies: pkg.decisions } : {}),
  })),
  openapi,
});

async function syncError(promise: Promise<unknown>): Promise<SpecError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

/** Every file and folder under the cache, so a test can assert that a failure left it as it was. */
async function cacheListing(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [] as string[])).sort();
}

let workspace: FixtureWorkspace;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
});
afterEach(async () => {
  await workspace.remove();
});

describe('syncSpecs from the mirror', () => {
  test('pins each package on first sync and serves it from the cache afterwards', async () => {
    await workspace.mirrorPackage(core);
    await workspace.mirrorPackage(profiles);
    await workspace.writeManifest(manifestFor([core, profiles]));

    const first = await syncSpecs({ paths: workspace.paths });
    expect(first.inputs.map((input) => [input.input, input.status, input.source])).toEqual([
      ['fixture.core#1.0.0', 'pinned', 'mirror'],
      ['fixture.profiles#2.0.0', 'pinned', 'mirror'],
    ]);
    const cached = JSON.parse(
      await readFile(
        join(workspace.paths.cache, 'fixture.profiles#2.0.0', 'package', 'StructureDefinition-FixturePatient.json'),
        'utf8',
      ),
    );
    expect(cached.url).toBe('https://example.org/fixture/StructureDefinition/FixturePatient');
    const lock = await readLock(workspace.paths.lock);
    expect(lock.inputs['fixture.core#1.0.0']).toMatchObject({ kind: 'fhir-package', source: 'mirror', files: 2 });
    expect(lock.inputs['fixture.core#1.0.0']?.hash).toMatch(/^sha256-[0-9a-f]{64}$/);

    const second = await syncSpecs({ paths: workspace.paths });
    expect(second.inputs.map((input) => input.status)).toEqual(['cached', 'cached']);
    expect(second.lockChanged).toBe(false);
  });

  test('the same bytes give the same hash in another workspace', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    const [first] = (await syncSpecs({ paths: workspace.paths })).inputs;
    const other = await FixtureWorkspace.create();
    try {
      await other.mirrorPackage(core);
      await other.writeManifest(manifestFor([core]));
      const [second] = (await syncSpecs({ paths: other.paths })).inputs;
      expect(second?.hash).toBe(first?.hash);
    } finally {
      await other.remove();
    }
  });

  test('different bytes than the lock pins fail, naming the input, and leave cache and lock alone', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    await syncSpecs({ paths: workspace.paths });
    const lockBefore = await readFile(workspace.paths.lock, 'utf8');
    await rm(join(workspace.paths.cache, 'fixture.core#1.0.0'), { recursive: true });
    await workspace.mirrorPackage({
      ...core,
      files: {
        'CodeSystem-a.json': fixtureResources.codeSystem('a', 'https://example.org/fixture/CodeSystem/a', '1.0.1'),
      },
    });

    const error = await syncError(syncSpecs({ paths: workspace.paths }));
    expect(error.code).toBe('HASH_MISMATCH');
    expect(error.message).toMatch(
      new RegExp(
        '^fixture\\.core#1\\.0\\.0: .*specs\\.lock\\.json: bytes from mirror hash to sha256-\\w+, ' +
          'but the lock pins sha256-\\w+; run `npm run specs -- update fixture\\.core#1\\.0\\.0`',
      ),
    );
    expect(error.message).not.toContain('\n');
    expect(await readFile(workspace.paths.lock, 'utf8')).toBe(lockBefore);
    expect(await cacheListing(workspace.paths.cache)).toEqual([]);
  });

  test('update re-pins on purpose', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    const [before] = (await syncSpecs({ paths: workspace.paths })).inputs;
    await workspace.mirrorPackage({
      ...core,
      files: {
        'CodeSystem-a.json': fixtureResources.codeSystem('a', 'https://example.org/fixture/CodeSystem/a', '1.0.1'),
      },
    });
    const [after] = (await syncSpecs({ paths: workspace.paths, mode: 'update' })).inputs;
    expect(after?.status).toBe('re-pinned');
    expect(after?.hash).not.toBe(before?.hash);
    expect((await readLock(workspace.paths.lock)).inputs['fixture.core#1.0.0']?.hash).toBe(after?.hash);
  });

  test('update with the same bytes still rewrites what the lock says of them (upstreamDiffers)', async () => {
    await workspace.mirrorPackage(core);
    const manifest = manifestFor([core]);
    await workspace.writeManifest(manifest);
    await syncSpecs({ paths: workspace.paths });
    const entry = manifest.fhirPackages[0]!;
    await workspace.writeManifest({ ...manifest, fhirPackages: [{ ...entry, upstreamDiffers: 'assembled by hand' }] });
    const synced = await syncSpecs({ paths: workspace.paths, mode: 'update' });
    expect(synced.inputs[0]?.status).toBe('fetched');
    expect(synced.lockChanged).toBe(true);
    expect((await readLock(workspace.paths.lock)).inputs['fixture.core#1.0.0']?.upstreamDiffers).toBe(
      'assembled by hand',
    );
  });

  test('frozen mode refuses an input the lock does not pin', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    const error = await syncError(syncSpecs({ paths: workspace.paths, mode: 'frozen' }));
    expect(error.code).toBe('NOT_PINNED');
    expect(error.message).toContain('fixture.core#1.0.0');
  });

  test('malformed JSON is named with the file, line and column; nothing enters the cache', async () => {
    await workspace.mirrorPackage({
      ...core,
      files: { 'CodeSystem-a.json': '{\n  "resourceType": "CodeSystem",\n  "url": }\n' },
    });
    await workspace.writeManifest(manifestFor([core]));
    const error = await syncError(syncSpecs({ paths: workspace.paths }));
    expect(error.code).toBe('JSON_MALFORMED');
    expect(error.message).toMatch(
      /^fixture\.core#1\.0\.0: package\/CodeSystem-a\.json: malformed JSON at line 3 column 10/,
    );
    expect(await cacheListing(workspace.paths.cache)).toEqual([]);
    await expect(readFile(workspace.paths.lock)).rejects.toThrow();
  });

  test('a resource without resourceType is named with its file and JSON path', async () => {
    await workspace.mirrorPackage({
      ...core,
      files: { 'CodeSystem-a.json': { id: 'a', url: 'https://example.org/x' } },
    });
    await workspace.writeManifest(manifestFor([core]));
    const error = await syncError(syncSpecs({ paths: workspace.paths }));
    expect(error.code).toBe('RESOURCE_TYPE_MISSING');
    expect(error.message).toBe(
      'fixture.core#1.0.0: package/CodeSystem-a.json: $.resourceType: ' +
        'a resource in a FHIR package must name its resourceType',
    );
  });

  test('a declared dependency that the manifest neither pins nor decides is an error', async () => {
    const needsMore = { ...profiles, dependencies: { 'fixture.core': '1.0.0', 'fixture.absent': '9.9.9' } };
    await workspace.mirrorPackage(core);
    await workspace.mirrorPackage(needsMore);
    await workspace.writeManifest(manifestFor([core, needsMore]));
    const error = await syncError(syncSpecs({ paths: workspace.paths }));
    expect(error.code).toBe('DEPENDENCY_MISSING');
    expect(error.message).toMatch(
      /^fixture\.profiles#2\.0\.0: package\/package\.json: \$\.dependencies\["fixture\.absent"\]: declares /,
    );
    expect(await cacheListing(join(workspace.paths.cache))).not.toContain('fixture.profiles#2.0.0');
  });

  test('a dependency left out with a reason, or served by another pinned version, is accepted', async () => {
    const decided = {
      ...profiles,
      dependencies: { 'fixture.core': '0.0.1', 'fixture.absent': '9.9.9' },
      decisions: {
        'fixture.core': { use: 'fixture.core#1.0.0', reason: '0.0.1 is not available' },
        'fixture.absent': { omit: 'not needed by any profile' },
      },
    };
    await workspace.mirrorPackage(core);
    await workspace.mirrorPackage(decided);
    await workspace.writeManifest(manifestFor([core, decided]));
    const result = await syncSpecs({ paths: workspace.paths });
    expect(result.inputs.map((input) => input.status)).toEqual(['pinned', 'pinned']);
  });

  test('a package in neither the mirror nor upstream is named with what was tried', async () => {
    const server = await FixtureServer.start({});
    try {
      await workspace.writeManifest(
        manifestFor([{ ...core, upstream: [{ kind: 'fhir-registry', registry: server.origin }] }]),
      );
      const error = await syncError(syncSpecs({ paths: workspace.paths }));
      expect(error.code).toBe('INPUT_NOT_FOUND');
      expect(error.message).toContain('fixture.core#1.0.0: not in the mirror and no upstream served it');
      expect(error.message).toContain(`${server.origin}/fixture.core/1.0.0: upstream answered HTTP 404`);
      expect(server.requests).toEqual(['/fixture.core/1.0.0']);
    } finally {
      await server.stop();
    }
  });

  test('a failed update leaves the cached package and the lock exactly as they were', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    await syncSpecs({ paths: workspace.paths });
    const listing = await cacheListing(workspace.paths.cache);
    const cachedFile = join(workspace.paths.cache, 'fixture.core#1.0.0', 'package', 'CodeSystem-a.json');
    const cachedBefore = await readFile(cachedFile, 'utf8');
    const lockBefore = await readFile(workspace.paths.lock, 'utf8');
    await writeFile(
      join(workspace.root, 'mirror', 'fhir', 'fixture.core#1.0.0', 'package', 'CodeSystem-a.json'),
      '{ broken',
    );

    const error = await syncError(syncSpecs({ paths: workspace.paths, mode: 'update' }));
    expect(error.code).toBe('JSON_MALFORMED');
    expect(await cacheListing(workspace.paths.cache)).toEqual(listing);
    expect(await readFile(cachedFile, 'utf8')).toBe(cachedBefore);
    expect(await readFile(workspace.paths.lock, 'utf8')).toBe(lockBefore);
  });
});

describe('syncSpecs from upstream', () => {
  test('falls back to the FHIR registry when the mirror lacks the package, and the lock names the source', async () => {
    const tarball = await makeTarball(fixturePackageFiles(core));
    const server = await FixtureServer.start({ '/fixture.core/1.0.0': tarball });
    try {
      await workspace.writeManifest(
        manifestFor([{ ...core, upstream: [{ kind: 'fhir-registry', registry: server.origin }] }]),
      );
      const [synced] = (await syncSpecs({ paths: workspace.paths })).inputs;
      expect(synced).toMatchObject({ status: 'pinned', source: `${server.origin}/fixture.core/1.0.0`, files: 2 });
      const resource = JSON.parse(
        await readFile(join(workspace.paths.cache, 'fixture.core#1.0.0', 'package', 'CodeSystem-a.json'), 'utf8'),
      );
      expect(resource.url).toBe('https://example.org/fixture/CodeSystem/a');
      expect((await readLock(workspace.paths.lock)).inputs['fixture.core#1.0.0']?.source).toBe(
        `${server.origin}/fixture.core/1.0.0`,
      );
      expect(server.requests).toEqual(['/fixture.core/1.0.0']);
    } finally {
      await server.stop();
    }
  });

  test('a package pinned from the mirror and served by upstream later fails until re-pinned', async () => {
    await workspace.mirrorPackage(core);
    const server = await FixtureServer.start({ '/fixture.core/1.0.0': await makeTarball(fixturePackageFiles(core)) });
    try {
      await workspace.writeManifest(
        manifestFor([{ ...core, upstream: [{ kind: 'fhir-registry', registry: server.origin }] }]),
      );
      await syncSpecs({ paths: workspace.paths });
      await rm(join(workspace.root, 'mirror'), { recursive: true });
      await rm(workspace.paths.cache, { recursive: true });
      const error = await syncError(syncSpecs({ paths: workspace.paths }));
      expect(error.code).toBe('HASH_MISMATCH');
      expect(error.message).toContain(`was served by ${server.origin}/fixture.core/1.0.0, but the lock pins mirror`);
    } finally {
      await server.stop();
    }
  });

  test('builds R4 core from npm definition bundles, leaving out resources of another FHIR version', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'StructureDefinition',
            id: 'Patient',
            url: 'http://hl7.org/fhir/StructureDefinition/Patient',
            fhirVersion: '4.0.1',
            kind: 'resource',
          },
        },
        {
          resource: {
            resourceType: 'StructureDefinition',
            id: 'SubscriptionStatus',
            url: 'http://hl7.org/fhir/StructureDefinition/SubscriptionStatus',
            fhirVersion: '4.3.0',
            kind: 'resource',
          },
        },
        {
          resource: {
            resourceType: 'ValueSet',
            id: 'administrative-gender',
            url: 'http://hl7.org/fhir/ValueSet/administrative-gender',
            status: 'active',
          },
        },
      ],
    };
    const tarball = await makeTarball({
      'package.json': { name: '@fixture/definitions', version: '1.0.0' },
      'dist/r4/profiles.json': bundle,
    });
    const server = await FixtureServer.start({ '/definitions-1.0.0.tgz': tarball });
    try {
      const r4 = { id: 'hl7.fhir.r4.core', version: '4.0.1', files: {} };
      await workspace.writeManifest(
        manifestFor([
          {
            ...r4,
            upstream: [
              { kind: 'fhir-registry', registry: server.origin },
              {
                kind: 'npm-bundles',
                tarball: `${server.origin}/definitions-1.0.0.tgz`,
                bundles: ['dist/r4/profiles.json'],
              },
            ],
          },
        ]),
      );
      const [synced] = (await syncSpecs({ paths: workspace.paths })).inputs;
      expect(synced?.source).toBe(`${server.origin}/definitions-1.0.0.tgz`);
      const files = (await readdir(join(workspace.paths.cache, 'hl7.fhir.r4.core#4.0.1', 'package'))).sort();
      expect(files).toEqual([
        'StructureDefinition-Patient.json',
        'ValueSet-administrative-gender.json',
        'package.json',
      ]);
      const packageJson = JSON.parse(
        await readFile(join(workspace.paths.cache, 'hl7.fhir.r4.core#4.0.1', 'package', 'package.json'), 'utf8'),
      );
      expect(packageJson).toMatchObject({ name: 'hl7.fhir.r4.core', version: '4.0.1', fhirVersions: ['4.0.1'] });
      expect(server.requests).toEqual(['/hl7.fhir.r4.core/4.0.1', '/definitions-1.0.0.tgz']);
    } finally {
      await server.stop();
    }
  });
});

describe('syncSpecs with other processes', () => {
  test('parallel syncs of one workspace fill each cache entry once and agree', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    const results = await Promise.all([syncSpecs({ paths: workspace.paths }), syncSpecs({ paths: workspace.paths })]);
    expect(results.map((result) => result.inputs[0]?.status).sort()).toEqual(['cached', 'pinned']);
    expect(results[0].inputs[0]?.hash).toBe(results[1].inputs[0]?.hash);
  });

  test('a lock left by a process that died does not block the next sync', async () => {
    await workspace.mirrorPackage(core);
    await workspace.writeManifest(manifestFor([core]));
    await mkdir(workspace.paths.cache, { recursive: true });
    await writeFile(join(workspace.paths.cache, '.sync.lock'), '2147483646');
    const [synced] = (await syncSpecs({ paths: workspace.paths })).inputs;
    expect(synced?.status).toBe('pinned');
  });
});
