import { readFileSync } from 'node:fs';
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
  /** A StructureDefinition's `kind` and `derivation` (undefined for other resources): readable without `json`. */
  kind: string | undefined;
  derivation: string | undefined;
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

/** What a package's `.index.json` says of one file: enough to index it without reading it. */
interface IndexEntry {
  resourceType: string;
  url: string | undefined;
  version: string | undefined;
  id: string | undefined;
  kind: string | undefined;
  derivation: string | undefined;
}

/** The fields of a resource the index gives, checked against the file when it is parsed. */
const INDEXED_FIELDS = ['resourceType', 'url', 'version', 'id', 'kind', 'derivation'] as const;

/**
 * Reads the resources of one package folder. A file the folder's `.index.json` describes is indexed from that entry
 * and parsed on first use of its `json` (most of R4 core's 4,500 files are never read: the search parameters, the
 * concept maps, most value sets); a file it does not describe is parsed now. A file that, once parsed, does not say
 * what the index said about it is an error naming both.
 */
async function readResources(key: string, dir: string, prefix: string): Promise<PackageResource[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((name) => name.endsWith('.json') && !PACKAGE_METADATA_FILES.has(name)).sort();
  const index = names.includes('.index.json') ? await readPackageIndex(key, dir, prefix) : new Map();
  return Promise.all(
    files.map(async (name): Promise<PackageResource> => {
      const file = `${prefix}/${name}`;
      const entry = index.get(name);
      if (entry !== undefined) return lazyResource(key, join(dir, name), file, entry);
      return resourceOf(key, file, parseJsonText(await readFile(join(dir, name), 'utf8'), { input: key, file }));
    }),
  );
}

function resourceOf(key: string, file: string, json: unknown): PackageResource {
  if (!isRecord(json) || typeof json['resourceType'] !== 'string') {
    throw new SpecError(
      'RESOURCE_TYPE_MISSING',
      { input: key, file, jsonPath: '$.resourceType' },
      'a resource in a FHIR package must name its resourceType',
    );
  }
  return {
    resourceType: json['resourceType'],
    url: textField(json, 'url'),
    version: textField(json, 'version'),
    id: textField(json, 'id'),
    file,
    packageKey: key,
    ...structureFields(json),
    json,
  };
}

/** A StructureDefinition's `kind` and `derivation`, as a PackageResource carries them (undefined for others). */
export function structureFields(json: Record<string, unknown>): Pick<PackageResource, 'kind' | 'derivation'> {
  const structure = json['resourceType'] === 'StructureDefinition';
  return {
    kind: structure ? textField(json, 'kind') : undefined,
    derivation: structure ? textField(json, 'derivation') : undefined,
  };
}

const textField = (json: Record<string, unknown>, field: string): string | undefined =>
  typeof json[field] === 'string' ? (json[field] as string) : undefined;

/** A resource indexed from its `.index.json` entry; `json` reads and parses the file once, when first asked. */
function lazyResource(key: string, path: string, file: string, entry: IndexEntry): PackageResource {
  const resource = { ...entry, file, packageKey: key } as PackageResource;
  let json: Record<string, unknown> | undefined;
  Object.defineProperty(resource, 'json', {
    enumerable: true,
    get(): Record<string, unknown> {
      if (json !== undefined) return json;
      const read = resourceOf(key, file, parseJsonText(readFileSync(path, 'utf8'), { input: key, file }));
      for (const field of INDEXED_FIELDS) {
        if (read[field] !== entry[field])
          throw new SpecError(
            'INDEX_MISMATCH',
            { input: key, file, jsonPath: `$.${field}` },
            `the file holds ${field} ${String(read[field])}, ` +
              `but the package's .index.json says ${String(entry[field])}`,
          );
      }
      json = read.json;
      return json;
    },
  });
  return resource;
}

/** The entries of a folder's `.index.json` by file name; an entry without a file name or resourceType is left out. */
async function readPackageIndex(key: string, dir: string, prefix: string): Promise<Map<string, IndexEntry>> {
  const file = `${prefix}/.index.json`;
  const json = parseJsonText(await readFile(join(dir, '.index.json'), 'utf8'), { input: key, file });
  const entries = new Map<string, IndexEntry>();
  const list = isRecord(json) && Array.isArray(json['files']) ? (json['files'] as unknown[]) : [];
  for (const item of list) {
    if (!isRecord(item) || typeof item['filename'] !== 'string' || typeof item['resourceType'] !== 'string') continue;
    entries.set(item['filename'], {
      resourceType: item['resourceType'],
      url: textField(item, 'url'),
      version: textField(item, 'version'),
      id: textField(item, 'id'),
      ...structureFields(item),
    });
  }
  return entries;
}
