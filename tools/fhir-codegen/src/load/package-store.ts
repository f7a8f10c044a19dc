import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  PACKAGE_METADATA_FILES,
  SpecError,
  fhirPackageCacheDir,
  fhirPackageKey,
  isRecord,
  parseJsonText,
  resolveDeclaredDependencies,
  type FhirPackageInput,
  type ResolvedDependency,
  type SpecManifest,
} from '@nhs-fhir/specs';

/** A resource as read from a package: its JSON, and where it came from. */
export interface PackageResource {
  resourceType: string;
  /** Canonical URL, for conformance resources that have one. */
  url: string | undefined;
  version: string | undefined;
  /** Present for reporting only: ids are not unique and some resources have none. */
  id: string | undefined;
  /** File name relative to the package folder (`package/...`). */
  file: string;
  /** The `id#version` of the package that holds it. */
  packageKey: string;
  json: Record<string, unknown>;
}

export interface LoadedPackage {
  id: string;
  version: string;
  key: string;
  /** FHIR version the package declares (`fhirVersions[0]`), e.g. `4.0.1`. */
  fhirVersion: string;
  resources: PackageResource[];
  examples: PackageResource[];
  dependencies: ResolvedDependency[];
}

/**
 * Reads packages from the package cache, each once, however many dependency closures include it.
 * The manifest decides how declared dependencies are served.
 */
export class PackageStore {
  private readonly loading = new Map<string, Promise<LoadedPackage>>();

  constructor(
    readonly cacheDir: string,
    readonly manifest: SpecManifest,
  ) {}

  input(key: string): FhirPackageInput {
    const input = this.manifest.fhirPackages.find(
      (candidate) => fhirPackageKey(candidate) === key || candidate.id === key,
    );
    if (input === undefined)
      throw new SpecError('INPUT_NOT_FOUND', { input: key }, 'not a FHIR package pinned in specs.json');
    return input;
  }

  load(key: string): Promise<LoadedPackage> {
    const input = this.input(key);
    const canonicalKey = fhirPackageKey(input);
    let pending = this.loading.get(canonicalKey);
    if (pending === undefined) {
      pending = readPackage(this.cacheDir, this.manifest, input);
      this.loading.set(canonicalKey, pending);
    }
    return pending;
  }
}

async function readPackage(cacheDir: string, manifest: SpecManifest, input: FhirPackageInput): Promise<LoadedPackage> {
  const key = fhirPackageKey(input);
  const packageDir = join(fhirPackageCacheDir(cacheDir, input.id, input.version), 'package');
  const manifestText = await readFile(join(packageDir, 'package.json'), 'utf8').catch(() => {
    throw new SpecError(
      'INPUT_NOT_FOUND',
      { input: key, file: join(packageDir, 'package.json') },
      'package not in the cache; run `npm run specs -- sync`',
    );
  });
  const packageJson = parseJsonText(manifestText, { input: key, file: 'package/package.json' });
  if (!isRecord(packageJson))
    throw new SpecError('INPUT_NOT_FOUND', { input: key, file: 'package/package.json' }, 'expected an object');
  const fhirVersions = packageJson['fhirVersions'] ?? packageJson['fhir-version-list'];
  const fhirVersion = Array.isArray(fhirVersions) && typeof fhirVersions[0] === 'string' ? fhirVersions[0] : undefined;
  if (fhirVersion === undefined) {
    throw new SpecError(
      'FHIR_VERSION_MISMATCH',
      { input: key, file: 'package/package.json', jsonPath: '$.fhirVersions' },
      'the package does not declare its FHIR version',
    );
  }
  const declared = isRecord(packageJson['dependencies']) ? (packageJson['dependencies'] as Record<string, string>) : {};
  return {
    id: input.id,
    version: input.version,
    key,
    fhirVersion,
    resources: await readResources(key, packageDir, 'package'),
    examples: await readResources(key, join(packageDir, 'example'), 'package/example'),
    dependencies: resolveDeclaredDependencies(manifest, input, declared),
  };
}

async function readResources(key: string, dir: string, prefix: string): Promise<PackageResource[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((name) => name.endsWith('.json') && !PACKAGE_METADATA_FILES.has(name)).sort();
  return Promise.all(
    files.map(async (name): Promise<PackageResource> => {
      const file = `${prefix}/${name}`;
      const json = parseJsonText(await readFile(join(dir, name), 'utf8'), { input: key, file });
      if (!isRecord(json) || typeof json['resourceType'] !== 'string') {
        throw new SpecError(
          'RESOURCE_TYPE_MISSING',
          { input: key, file, jsonPath: '$.resourceType' },
          'a resource in a FHIR package must name its resourceType',
        );
      }
      const text = (field: string): string | undefined =>
        typeof json[field] === 'string' ? (json[field] as string) : undefined;
      return {
        resourceType: json['resourceType'],
        url: text('url'),
        version: text('version'),
        id: text('id'),
        file,
        packageKey: key,
        json,
      };
    }),
  );
}
