import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError, parseJsonText } from './errors.js';
import { exists, makeStagingDir, swapDirIntoPlace, withDirLock } from './atomic-fs.js';
import { hashFiles, listFiles } from './content-hash.js';
import { resolveDeclaredDependencies } from './dependencies.js';
import { fetchBytes } from './http-fetch.js';
import { readLock, writeLock, type LockEntry, type SpecLock } from './lock.js';
import {
  fhirPackageKey,
  isRecord,
  openApiKey,
  readManifest,
  type FhirPackageInput,
  type OpenApiInput,
  type SpecManifest,
} from './manifest.js';
import { collectOpenApiFiles } from './openapi-files.js';
import { checkPackageFiles } from './package-check.js';
import { fhirPackageCacheDir, openApiCacheDir, type SpecPaths } from './paths.js';
import { copyFromMirror, fetchFromUpstream } from './sources/fhir-package-sources.js';

/** Written beside each cache entry: what the entry holds, so a warm sync needs no re-hashing. */
const STAMP_FILE = '.nhs-fhir-sync.json';

export interface SyncOptions {
  paths: SpecPaths;
  /**
   * `sync` serves what the lock pins and fails on different bytes; `update` re-pins on purpose.
   * `frozen` is `sync` that also refuses to add inputs the lock does not have yet.
   */
  mode?: 'sync' | 'update' | 'frozen';
  /** Limit the run to these inputs (lock keys, or bare ids). */
  only?: string[];
  /**
   * Called in `update` mode when an input's cache entry is about to be replaced by other bytes, while
   * both folders exist: `previousDir` is the entry in the cache, `nextDir` the checked staging folder.
   */
  beforeReplace?: (replacement: CacheReplacement) => Promise<void>;
}

/** An input whose cache entry `update` replaces with other bytes. */
export interface CacheReplacement {
  input: string;
  kind: LockEntry['kind'];
  previousDir: string;
  nextDir: string;
}

export interface SyncedInput {
  input: string;
  kind: LockEntry['kind'];
  status: 'cached' | 'fetched' | 'pinned' | 're-pinned';
  source: string;
  hash: string;
  files: number;
  dir: string;
}

export interface SyncResult {
  manifest: SpecManifest;
  inputs: SyncedInput[];
  lockChanged: boolean;
}

/**
 * Resolves every input of the manifest into the package cache: from the mirror first, upstream
 * second; checks the bytes against the lock. Each cache entry is staged in a temporary folder and
 * renamed into place only when whole and checked; the lock is written only when every input succeeded.
 */
export async function syncSpecs(options: SyncOptions): Promise<SyncResult> {
  const { paths } = options;
  const mode = options.mode ?? 'sync';
  const manifest = await readManifest(paths.manifest);
  const wanted = (key: string, id: string): boolean =>
    options.only === undefined || options.only.length === 0 || options.only.includes(key) || options.only.includes(id);

  return withDirLock(paths.cache, async () => {
    // Read under the lock: another process may have pinned inputs while this one waited.
    const lock = await readLock(paths.lock);
    const inputs: SyncedInput[] = [];
    let lockChanged = false;
    for (const input of manifest.fhirPackages) {
      const key = fhirPackageKey(input);
      if (!wanted(key, input.id)) continue;
      const dir = fhirPackageCacheDir(paths.cache, input.id, input.version);
      const before = JSON.stringify(lock.inputs[key]);
      const synced = await syncOne(
        key,
        'fhir-package',
        dir,
        lock,
        mode,
        paths,
        input.upstreamDiffers,
        (staging) => stageFhirPackage(manifest, input, paths.mirror, staging),
        options.beforeReplace,
      );
      // An update that fetched the same bytes may still change what the lock says of them.
      lockChanged ||= JSON.stringify(lock.inputs[key]) !== before;
      inputs.push(synced);
    }
    for (const input of manifest.openapi) {
      const key = openApiKey(input);
      if (!wanted(key, input.id)) continue;
      const dir = openApiCacheDir(paths.cache, input.id, input.version);
      const before = JSON.stringify(lock.inputs[key]);
      const synced = await syncOne(
        key,
        'openapi',
        dir,
        lock,
        mode,
        paths,
        input.upstreamDiffers,
        (staging) => stageOpenApi(input, paths.mirror, staging),
        options.beforeReplace,
      );
      lockChanged ||= JSON.stringify(lock.inputs[key]) !== before;
      inputs.push(synced);
    }
    if (lockChanged) {
      const order = [...manifest.fhirPackages.map(fhirPackageKey), ...manifest.openapi.map(openApiKey)];
      await writeLock(paths.lock, lock, order);
    }
    return { manifest, inputs, lockChanged };
  });
}

interface Stamp {
  input: string;
  hash: string;
  source: string;
  files: number;
}

async function syncOne(
  key: string,
  kind: LockEntry['kind'],
  dir: string,
  lock: SpecLock,
  mode: NonNullable<SyncOptions['mode']>,
  paths: SpecPaths,
  upstreamDiffers: string | undefined,
  stage: (staging: string) => Promise<string>,
  beforeReplace?: SyncOptions['beforeReplace'],
): Promise<SyncedInput> {
  const pinned = lock.inputs[key];
  const stamp = await readStamp(dir);
  if (mode !== 'update' && pinned !== undefined && stamp?.hash === pinned.hash && stamp.source === pinned.source) {
    return { input: key, kind, status: 'cached', source: stamp.source, hash: stamp.hash, files: stamp.files, dir };
  }
  if (mode === 'frozen' && pinned === undefined) {
    throw new SpecError(
      'NOT_PINNED',
      { input: key, file: paths.lock },
      'the lock does not pin this input; run `npm run specs -- update` and commit the lock',
    );
  }
  await mkdir(paths.cache, { recursive: true });
  const staging = await makeStagingDir(paths.cache);
  try {
    const source = await stage(staging);
    const files = await listFiles(staging);
    const hash = await hashFiles(staging, files);
    if (mode !== 'update' && pinned !== undefined && (pinned.hash !== hash || pinned.source !== source)) {
      const what =
        pinned.source !== source
          ? `was served by ${source}, but the lock pins ${pinned.source}`
          : `bytes from ${source} hash to ${hash}, but the lock pins ${pinned.hash}`;
      throw new SpecError(
        'HASH_MISMATCH',
        { input: key, file: paths.lock },
        `${what}; run \`npm run specs -- update ${key}\` to re-pin on purpose`,
      );
    }
    const entry: LockEntry = {
      kind,
      source,
      hash,
      files: files.length,
      ...(upstreamDiffers !== undefined ? { upstreamDiffers } : {}),
    };
    await writeFile(
      join(staging, STAMP_FILE),
      `${JSON.stringify({ input: key, hash, source, files: files.length } satisfies Stamp, null, 2)}\n`,
    );
    if (beforeReplace !== undefined && stamp !== undefined && stamp.hash !== hash && (await exists(dir)))
      await beforeReplace({ input: key, kind, previousDir: dir, nextDir: staging });
    await swapDirIntoPlace(staging, dir);
    const status =
      pinned === undefined ? 'pinned' : pinned.hash === hash && pinned.source === source ? 'fetched' : 're-pinned';
    lock.inputs[key] = entry;
    return { input: key, kind, status, source, hash, files: files.length, dir };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function readStamp(dir: string): Promise<Stamp | undefined> {
  try {
    const raw: unknown = JSON.parse(await readFile(join(dir, STAMP_FILE), 'utf8'));
    return isRecord(raw) && typeof raw['hash'] === 'string' && typeof raw['source'] === 'string'
      ? (raw as unknown as Stamp)
      : undefined;
  } catch {
    return undefined;
  }
}

async function stageFhirPackage(
  manifest: SpecManifest,
  input: FhirPackageInput,
  mirror: string | undefined,
  staging: string,
): Promise<string> {
  const key = fhirPackageKey(input);
  const source = (await copyFromMirror(input, mirror, staging)) ?? (await fetchFromUpstream(input, staging));
  const files = await listFiles(staging);
  await checkPackageFiles(key, staging, files);
  const packageJson = parseJsonText(await readFile(join(staging, 'package', 'package.json'), 'utf8'), {
    input: key,
    file: 'package/package.json',
  });
  if (!isRecord(packageJson) || packageJson['name'] !== input.id || packageJson['version'] !== input.version) {
    throw new SpecError(
      'INPUT_NOT_FOUND',
      { input: key, file: 'package/package.json', jsonPath: '$.name' },
      `the package served by ${source} is not ${key}`,
    );
  }
  const declared = isRecord(packageJson['dependencies']) ? (packageJson['dependencies'] as Record<string, string>) : {};
  resolveDeclaredDependencies(manifest, input, declared);
  return source;
}

async function stageOpenApi(input: OpenApiInput, mirror: string | undefined, staging: string): Promise<string> {
  const mirrorRoot = mirror === undefined ? undefined : join(mirror, input.mirrorPath);
  const fromMirror = mirrorRoot !== undefined && (await exists(join(mirrorRoot, input.root)));
  const key = openApiKey(input);
  const set = await collectOpenApiFiles(input, async (relativePath, remoteUrl) => {
    if (fromMirror) return readFile(join(mirrorRoot, relativePath)).catch(() => undefined);
    const url =
      remoteUrl ??
      new URL(relativePath, input.upstream.base.endsWith('/') ? input.upstream.base : `${input.upstream.base}/`).href;
    return fetchBytes(url, key).catch((error: unknown) => {
      if (error instanceof SpecError && /HTTP 404/.test(error.message)) return undefined;
      throw error;
    });
  });
  for (const [relativePath, bytes] of set.bytes) {
    const target = join(staging, relativePath);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, bytes);
  }
  return fromMirror ? 'mirror' : input.upstream.base;
}
