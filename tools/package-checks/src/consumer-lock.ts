import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { PackedTarball } from './pack.js';

/** An entry of package-lock.json (lockfileVersion 3) `packages`. */
export interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  name: string;
  version: string;
  lockfileVersion: 3;
  requires: true;
  packages: Record<string, LockEntry>;
}

export interface ConsumerInput {
  /** The folder the consumer project is installed in. */
  readonly dir: string;
  /** The workspace's package-lock.json. */
  readonly workspaceLock: Lockfile;
  /** The packed packages, each with the folder it was packed from (relative to the workspace root). */
  readonly tarballs: ReadonlyArray<PackedTarball & { readonly workspacePath: string }>;
  /** Third-party packages the consumer itself depends on (such as @types/node), at the workspace's versions. */
  readonly extra: readonly string[];
  /** The registry the workspace's lock was resolved from (its entries may omit `resolved`). */
  readonly registry?: string;
}

function sha512(file: string): string {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

function requiredPeers(entry: LockEntry): string[] {
  return Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
}

/**
 * The package.json dependencies and package-lock.json of a project that installs the packed tarballs and, for their
 * third-party dependencies, exactly what the workspace's lock resolved. With a lock naming every version and
 * integrity, `npm ci --offline` installs from the npm cache the workspace install filled, with no registry request
 * (a lockless `npm install --offline` would need the registry's package documents, which `npm ci` never caches).
 */
export function consumerLockfile(input: ConsumerInput): { dependencies: Record<string, string>; lock: Lockfile } {
  const registry = (input.registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
  const workspace = input.workspaceLock.packages;
  const published = new Map(input.tarballs.map((tarball) => [tarball.name, tarball]));
  const packages: Record<string, LockEntry> = {};
  const dependencies: Record<string, string> = {};

  /** Where Node would find `name` from the workspace lock path `from` (nearest node_modules upwards). */
  function resolveInWorkspace(from: string, name: string): string | undefined {
    let base = from;
    for (;;) {
      const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
      if (workspace[candidate] !== undefined) return candidate;
      if (base === '') return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut >= 0 ? base.slice(0, cut) : '';
    }
  }

  /** The consumer path of a workspace lock path: a workspace folder becomes the installed package's folder. */
  function consumerPath(workspacePath: string): string {
    for (const tarball of published.values()) {
      if (workspacePath === tarball.workspacePath || workspacePath.startsWith(`${tarball.workspacePath}/`)) {
        return `node_modules/${tarball.name}${workspacePath.slice(tarball.workspacePath.length)}`;
      }
    }
    return workspacePath;
  }

  function addThirdParty(from: string, name: string, optional: boolean): void {
    const path = resolveInWorkspace(from, name);
    if (path === undefined) {
      if (optional) return;
      throw new Error(`${from || 'the workspace root'}: ${name} is not in the workspace's package-lock.json`);
    }
    const target = consumerPath(path);
    if (packages[target] !== undefined) return;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...entry } = workspace[path] as LockEntry;
    if (entry.link === true) throw new Error(`${from}: ${name} is a workspace link, not a published package`);
    const version = entry.version ?? '';
    const file = `${name.split('/').pop()}-${version}.tgz`;
    packages[target] = { ...entry, resolved: entry.resolved ?? `${registry}${name}/-/${file}` };
    addDependenciesOf(path, entry);
  }

  function addDependenciesOf(path: string, entry: LockEntry): void {
    for (const name of [...Object.keys(entry.dependencies ?? {}), ...requiredPeers(entry)]) {
      if (!published.has(name)) addThirdParty(path, name, false);
    }
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      if (!published.has(name)) addThirdParty(path, name, true);
    }
  }

  for (const tarball of published.values()) {
    const source = workspace[tarball.workspacePath];
    if (source === undefined) throw new Error(`${tarball.workspacePath}: not in the workspace's package-lock.json`);
    const { devDependencies: _devDependencies, name: _name, ...entry } = source;
    const spec = `file:${relative(input.dir, tarball.tarball).split('\\').join('/')}`;
    dependencies[tarball.name] = spec;
    packages[`node_modules/${tarball.name}`] = { ...entry, resolved: spec, integrity: sha512(tarball.tarball) };
    addDependenciesOf(tarball.workspacePath, entry);
  }
  for (const name of input.extra) {
    addThirdParty('', name, false);
    dependencies[name] = packages[`node_modules/${name}`]?.version ?? '';
  }

  const root: LockEntry = { name: 'consumer', version: '0.0.0', dependencies };
  const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => a.localeCompare(b)));
  return {
    dependencies,
    lock: { name: 'consumer', version: '0.0.0', lockfileVersion: 3, requires: true, packages: { '': root, ...sorted } },
  };
}
