import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The workspace root: the nearest folder above `from` that holds `specs/specs.json`. */
export function findWorkspaceRoot(from = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'specs', 'specs.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no specs/specs.json found in ${from} or any folder above it`);
    dir = parent;
  }
}

export interface SpecPaths {
  manifest: string;
  lock: string;
  /** The package cache (`FHIR_PACKAGE_CACHE`, default `.fhir-packages` in the workspace). */
  cache: string;
  /** The mirror (`SPECS_MIRROR`, default `../shared/specs` when it exists); undefined means upstream only. */
  mirror: string | undefined;
}

export function defaultSpecPaths(root = findWorkspaceRoot(), env: NodeJS.ProcessEnv = process.env): SpecPaths {
  const sharedMirror = resolve(root, '..', 'shared', 'specs');
  const mirrorSetting = env['SPECS_MIRROR'];
  return {
    manifest: join(root, 'specs', 'specs.json'),
    lock: join(root, 'specs', 'specs.lock.json'),
    cache: resolve(env['FHIR_PACKAGE_CACHE'] || join(root, '.fhir-packages')),
    mirror:
      mirrorSetting !== undefined
        ? mirrorSetting === ''
          ? undefined
          : resolve(mirrorSetting)
        : existsSync(sharedMirror)
          ? sharedMirror
          : undefined,
  };
}

/** Where a FHIR package lives in the cache (the standard `<id>#<version>` layout). */
export const fhirPackageCacheDir = (cache: string, id: string, version: string): string =>
  join(cache, `${id}#${version}`);
/** Where an OpenAPI description lives in the cache. */
export const openApiCacheDir = (cache: string, id: string, version: string): string =>
  join(cache, 'openapi', `${id}#${version}`);
