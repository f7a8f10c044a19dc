import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PACKAGE_METADATA_FILES, isRecord, parseJsonText, parseSpecDocument } from '@nhs-fhir/specs';
import { type LoadedPackage, type PackageResource, structureFields } from '../load/package-store.js';

/** A folder that cannot be compared: its message is one line naming the folder. */
export class SpecChangesError extends Error {
  override readonly name = 'SpecChangesError';
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`${dir}: ${detail}`);
  }
}

/** A FHIR package folder as found on disk: its `package/` folder and what its package.json says. */
export interface PackageFolder {
  id: string;
  version: string;
  fhirVersion: string;
  dependencies: Record<string, string>;
  /** The folder holding package.json and the resources. */
  packageDir: string;
}

/** An OpenAPI description folder: every JSON or YAML file in it, parsed, and the root document. */
export interface OpenApiFolder {
  id: string;
  dir: string;
  root: string;
  documents: Map<string, unknown>;
}

/** One side of a comparison: a package folder, or a cache of several packages and OpenAPI descriptions. */
export interface SpecSide {
  dir: string;
  /** Whether `dir` is a package cache (so it may also hold the packages' dependencies). */
  cache: boolean;
  packages: PackageFolder[];
  apis: OpenApiFolder[];
}

const isDir = (path: string): Promise<boolean> =>
  stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
const isFile = (path: string): Promise<boolean> =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

async function readPackageFolder(dir: string, packageDir: string): Promise<PackageFolder> {
  const file = join(packageDir, 'package.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new SpecChangesError(dir, 'not a FHIR package: package.json is not JSON');
  }
  if (!isRecord(raw) || typeof raw['name'] !== 'string' || typeof raw['version'] !== 'string')
    throw new SpecChangesError(dir, 'not a FHIR package: package.json has no name and version');
  const versions = raw['fhirVersions'] ?? raw['fhir-version-list'];
  const fhirVersion = Array.isArray(versions) && typeof versions[0] === 'string' ? versions[0] : undefined;
  if (fhirVersion === undefined)
    throw new SpecChangesError(dir, `not a FHIR package: ${raw['name']}'s package.json declares no fhirVersions`);
  const dependencies: Record<string, string> = {};
  if (isRecord(raw['dependencies']))
    for (const [id, version] of Object.entries(raw['dependencies']))
      if (typeof version === 'string') dependencies[id] = version;
  return { id: raw['name'], version: raw['version'], fhirVersion, dependencies, packageDir };
}

const OPENAPI_FILE = /\.(json|ya?ml)$/i;

async function readOpenApiFolder(dir: string, id: string): Promise<OpenApiFolder | undefined> {
  const documents = new Map<string, unknown>();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && OPENAPI_FILE.test(entry.name) && !entry.name.startsWith('.'))
        documents.set(path, parseSpecDocument(await readFile(join(dir, path), 'utf8'), { input: id, file: path }));
    }
  };
  await walk('');
  const roots = [...documents.keys()]
    .filter((path) => {
      const doc = documents.get(path);
      return isRecord(doc) && (typeof doc['openapi'] === 'string' || typeof doc['swagger'] === 'string');
    })
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  return roots[0] === undefined ? undefined : { id, dir, root: roots[0], documents };
}

/** `<id>#<version>` of a cache folder name. */
const cacheEntry = (name: string): { id: string; version: string } | undefined => {
  const hash = name.lastIndexOf('#');
  return hash > 0 && hash < name.length - 1 ? { id: name.slice(0, hash), version: name.slice(hash + 1) } : undefined;
};

/**
 * Reads one side: a FHIR package folder (holding `package/package.json`, or the `package/` folder
 * itself), a package cache (`<id>#<version>/package/...`, with OpenAPI descriptions under
 * `openapi/<id>#<version>/`), or one OpenAPI description folder. Anything else is a {@link SpecChangesError}.
 */
export async function readSpecSide(dirArgument: string): Promise<SpecSide> {
  const dir = resolve(dirArgument);
  if (!(await isDir(dir))) throw new SpecChangesError(dirArgument, 'not a directory');
  if (await isFile(join(dir, 'package', 'package.json')))
    return { dir, cache: false, packages: [await readPackageFolder(dirArgument, join(dir, 'package'))], apis: [] };
  if (basename(dir) === 'package' && (await isFile(join(dir, 'package.json'))))
    return { dir, cache: false, packages: [await readPackageFolder(dirArgument, dir)], apis: [] };
  const packages: PackageFolder[] = [];
  const apis: OpenApiFolder[] = [];
  const names = (await readdir(dir)).sort();
  for (const name of names) {
    if (cacheEntry(name) === undefined || name.includes('.previous-')) continue;
    if (await isFile(join(dir, name, 'package', 'package.json')))
      packages.push(await readPackageFolder(join(dirArgument, name), join(dir, name, 'package')));
  }
  if (await isDir(join(dir, 'openapi'))) {
    for (const name of (await readdir(join(dir, 'openapi'))).sort()) {
      const entry = cacheEntry(name);
      if (entry === undefined) continue;
      const api = await readOpenApiFolder(join(dir, 'openapi', name), entry.id);
      if (api !== undefined) apis.push(api);
    }
  }
  if (packages.length === 0 && apis.length === 0) {
    const api = await readOpenApiFolder(dir, basename(dir).replace(/#[^#]*$/, '')).catch(() => undefined);
    if (api !== undefined) return { dir, cache: false, packages, apis: [api] };
    throw new SpecChangesError(
      dirArgument,
      'not a FHIR package (no package/package.json), a package cache or an OpenAPI description',
    );
  }
  return { dir, cache: true, packages, apis };
}

/** Reads a package's resources (the JSON files of `package/`) as the load stage does. */
export async function loadPackageFolder(folder: PackageFolder, keep?: (json: Record<string, unknown>) => boolean) {
  const key = `${folder.id}#${folder.version}`;
  const names = (await readdir(folder.packageDir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.json') && !PACKAGE_METADATA_FILES.has(name) && name !== 'package.json')
    .sort();
  const resources: PackageResource[] = [];
  for (const name of names) {
    const file = `package/${name}`;
    const json = parseJsonText(await readFile(join(folder.packageDir, name), 'utf8'), { input: key, file });
    if (!isRecord(json) || typeof json['resourceType'] !== 'string') continue;
    if (keep !== undefined && !keep(json)) continue;
    const text = (field: string): string | undefined =>
      typeof json[field] === 'string' ? (json[field] as string) : undefined;
    resources.push({
      resourceType: json['resourceType'],
      url: text('url'),
      version: text('version'),
      id: text('id'),
      file,
      packageKey: key,
      ...structureFields(json),
      json,
    });
  }
  const loaded: LoadedPackage = {
    id: folder.id,
    version: folder.version,
    key,
    fhirVersion: folder.fhirVersion,
    resources,
    examples: [],
    dependencies: [],
  };
  return loaded;
}

/**
 * Finds a dependency in the caches given: `<id>#<version>` first, else the same id at any version
 * of the same FHIR release (as specs.json may serve a declared dependency at another version).
 */
export async function findDependency(
  caches: readonly string[],
  id: string,
  version: string,
): Promise<PackageFolder | undefined> {
  for (const cache of caches) {
    const exact = join(cache, `${id}#${version}`, 'package');
    if (await isFile(join(exact, 'package.json'))) return readPackageFolder(exact, exact);
  }
  for (const cache of caches) {
    const names = await readdir(cache).catch(() => [] as string[]);
    const other = names.filter((name) => cacheEntry(name)?.id === id && !name.includes('.previous-')).sort();
    for (const name of other.reverse()) {
      const dir = join(cache, name, 'package');
      if (await isFile(join(dir, 'package.json'))) return readPackageFolder(dir, dir);
    }
  }
  return undefined;
}
