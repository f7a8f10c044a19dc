import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { SpecError, parseJsonText } from '../errors.js';
import { exists, makeStagingDir } from '../atomic-fs.js';
import { fetchBytes } from '../http-fetch.js';
import { fhirPackageKey, isRecord, type FhirPackageInput, type FhirPackageUpstream } from '../manifest.js';

/** Copies the mirror's `package/` folder into `staging`; answers false when the mirror lacks the package. */
export async function copyFromMirror(
  input: FhirPackageInput,
  mirrorDir: string | undefined,
  staging: string,
): Promise<'mirror' | undefined> {
  if (mirrorDir === undefined) return undefined;
  const from = join(mirrorDir, input.mirrorPath, 'package');
  if (!(await exists(join(from, 'package.json')))) return undefined;
  await cp(from, join(staging, 'package'), { recursive: true });
  return 'mirror';
}

/** Tries each upstream source in order; answers the one that served, or throws naming every attempt. */
export async function fetchFromUpstream(input: FhirPackageInput, staging: string): Promise<string> {
  const key = fhirPackageKey(input);
  const failures: string[] = [];
  for (const source of input.upstream) {
    try {
      return await fetchOneUpstream(input, source, staging);
    } catch (error) {
      failures.push(error instanceof Error ? error.message.replace(`${key}: `, '') : String(error));
      await rm(join(staging, 'package'), { recursive: true, force: true });
    }
  }
  const tried = failures.length === 0 ? 'no upstream source is listed' : failures.join('; ');
  throw new SpecError('INPUT_NOT_FOUND', { input: key }, `not in the mirror and no upstream served it (${tried})`);
}

async function fetchOneUpstream(
  input: FhirPackageInput,
  source: FhirPackageUpstream,
  staging: string,
): Promise<string> {
  const key = fhirPackageKey(input);
  if (source.kind === 'fhir-registry') {
    const url = `${source.registry.replace(/\/+$/, '')}/${input.id}/${input.version}`;
    await extractPackageTarball(await fetchBytes(url, key), staging, (path) => path.startsWith('package/'));
    if (!(await exists(join(staging, 'package', 'package.json')))) {
      throw new SpecError('INPUT_NOT_FOUND', { input: key, file: url }, 'the tarball has no package/package.json');
    }
    return url;
  }
  const unpacked = await makeStagingDir(staging);
  try {
    await extractPackageTarball(await fetchBytes(source.tarball, key), unpacked, () => true);
    await writeResourcesFromBundles(input, source, unpacked, join(staging, 'package'));
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
  return source.tarball;
}

async function extractPackageTarball(bytes: Buffer, into: string, keep: (path: string) => boolean): Promise<void> {
  await mkdir(into, { recursive: true });
  await pipeline(Readable.from([bytes]), tar.x({ cwd: into, strict: true, filter: (path) => keep(path) }));
}

/**
 * Turns the definition Bundles of an npm package into a FHIR package: one file per entry, without
 * the resources that declare another FHIR version than the package (additions back-ported from later
 * versions) and without the resource types the manifest excludes.
 */
async function writeResourcesFromBundles(
  input: FhirPackageInput,
  source: Extract<FhirPackageUpstream, { kind: 'npm-bundles' }>,
  unpacked: string,
  packageDir: string,
): Promise<void> {
  const key = fhirPackageKey(input);
  await mkdir(packageDir, { recursive: true });
  const excluded = new Set(source.excludeResourceTypes ?? []);
  const written = new Set<string>();
  for (const bundlePath of source.bundles) {
    const file = join(unpacked, 'package', bundlePath);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new SpecError(
        'INPUT_NOT_FOUND',
        { input: key, file: `${source.tarball}!${bundlePath}` },
        'bundle not found in the npm package',
      );
    });
    const bundle = parseJsonText(text, { input: key, file: bundlePath });
    const entries = isRecord(bundle) && Array.isArray(bundle['entry']) ? bundle['entry'] : [];
    for (const entry of entries) {
      const resource = isRecord(entry) ? entry['resource'] : undefined;
      if (!isRecord(resource) || typeof resource['resourceType'] !== 'string') continue;
      if (excluded.has(resource['resourceType'])) continue;
      if (typeof resource['fhirVersion'] === 'string' && resource['fhirVersion'] !== input.version) continue;
      const id = typeof resource['id'] === 'string' ? resource['id'] : `entry-${written.size}`;
      const name = `${resource['resourceType']}-${id}.json`;
      if (written.has(name)) continue;
      written.add(name);
      await writeFile(join(packageDir, name), JSON.stringify(resource));
    }
  }
  const manifest = {
    name: input.id,
    version: input.version,
    fhirVersions: [input.version],
    description: `Assembled by nhs-fhir spec sync from the definition bundles of ${source.tarball}`,
    dependencies: {},
  };
  await writeFile(join(packageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
