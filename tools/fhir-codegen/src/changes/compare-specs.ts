import { CanonicalIndex } from '../load/canonical-index.js';
import { fhirRelease } from '../load/package-graph.js';
import type { LoadedPackage, PackageResource } from '../load/package-store.js';
import { SnapshotBuilder } from '../snapshot/build-snapshot.js';
import { SnapshotError } from '../snapshot/snapshot-issue.js';
import { capabilityStatementModel, compareApiModels, openApiModel } from './api-changes.js';
import { suggestBump, type ChangeReport, type NotCompared, type SpecChange } from './change-model.js';
import { compareProfiles, type BuiltProfile } from './profile-changes.js';
import {
  SpecChangesError,
  findDependency,
  loadPackageFolder,
  readSpecSide,
  type PackageFolder,
  type SpecSide,
} from './spec-folders.js';

export interface CompareSpecsOptions {
  /** The old version: a FHIR package folder, a package cache, or an OpenAPI description folder. */
  old: string;
  /** The new version, of the same form. */
  new: string;
  /**
   * Package caches to find dependencies in (e.g. hl7.fhir.r4.core for UK Core), after the side's own
   * folder when it is a cache. The spec sync's cache is the usual one.
   */
  dependencyCaches?: readonly string[];
  /** The id to report two single OpenAPI description folders under (default: the new folder's name). */
  apiId?: string;
}

const isStructureDefinition = (json: Record<string, unknown>): boolean =>
  json['resourceType'] === 'StructureDefinition';

/** Loads a package and its dependency closure (dependencies' StructureDefinitions only) from the caches. */
async function loadClosure(
  folder: PackageFolder,
  caches: readonly string[],
  loaded: Map<string, Promise<LoadedPackage>>,
): Promise<{ closure: LoadedPackage[]; missing: string[] }> {
  const root = await loadPackageFolder(folder);
  const closure: LoadedPackage[] = [root];
  const missing: string[] = [];
  const queue: PackageFolder[] = [folder];
  const seen = new Set([folder.id]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [id, version] of Object.entries(current.dependencies)) {
      if (seen.has(id)) continue;
      seen.add(id);
      const found = await findDependency(caches, id, version);
      if (found === undefined || fhirRelease(found.fhirVersion) !== fhirRelease(folder.fhirVersion)) {
        missing.push(`${id}#${version}`);
        continue;
      }
      let pending = loaded.get(found.packageDir);
      if (pending === undefined) {
        pending = loadPackageFolder(found, isStructureDefinition);
        loaded.set(found.packageDir, pending);
      }
      closure.push(await pending);
      queue.push(found);
    }
  }
  return { closure, missing };
}

interface BuiltPackage {
  profiles: Map<string, BuiltProfile>;
  capabilityStatements: Map<string, Record<string, unknown>>;
  notCompared: NotCompared[];
}

async function buildPackage(
  folder: PackageFolder,
  side: 'old' | 'new',
  caches: readonly string[],
  loaded: Map<string, Promise<LoadedPackage>>,
): Promise<BuiltPackage> {
  const { closure, missing } = await loadClosure(folder, caches, loaded);
  const builder = new SnapshotBuilder(new CanonicalIndex(closure));
  const out: BuiltPackage = { profiles: new Map(), capabilityStatements: new Map(), notCompared: [] };
  const root = closure[0]!;
  for (const resource of root.resources) {
    const key = resource.url ?? resource.file;
    if (resource.resourceType === 'CapabilityStatement') out.capabilityStatements.set(key, resource.json);
    if (resource.resourceType !== 'StructureDefinition') continue;
    try {
      out.profiles.set(key, { profile: resource, elements: builder.build(resource).elements, builder });
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      const because = missing.length > 0 ? ` (not found: ${missing.join(', ')})` : '';
      out.notCompared.push({ subject: key, side, reason: `${error.message}${because}` });
    }
  }
  return out;
}

const profileLabel = (resource: PackageResource): string => String(resource.json['name'] ?? resource.id ?? '');

function comparePackages(before: BuiltPackage, after: BuiltPackage): SpecChange[] {
  const changes: SpecChange[] = [];
  const skipped = new Set([...before.notCompared, ...after.notCompared].map((entry) => entry.subject));
  for (const [url, old] of before.profiles) {
    if (!after.profiles.has(url) && !skipped.has(url))
      changes.push({
        subject: url,
        kind: 'profile-removed',
        breaking: true,
        detail: `${profileLabel(old.profile)} removed`,
      });
  }
  for (const [url, next] of after.profiles) {
    const old = before.profiles.get(url);
    if (old === undefined) {
      if (!skipped.has(url))
        changes.push({
          subject: url,
          kind: 'profile-added',
          breaking: false,
          detail: `${profileLabel(next.profile)} added`,
        });
      continue;
    }
    changes.push(...compareProfiles(old, next));
  }
  for (const [url, old] of before.capabilityStatements) {
    const next = after.capabilityStatements.get(url);
    if (next === undefined)
      changes.push({ subject: url, kind: 'api-removed', breaking: true, detail: 'CapabilityStatement removed' });
    else changes.push(...compareApiModels(capabilityStatementModel(old), capabilityStatementModel(next)));
  }
  for (const url of after.capabilityStatements.keys())
    if (!before.capabilityStatements.has(url))
      changes.push({ subject: url, kind: 'api-added', breaking: false, detail: 'CapabilityStatement added' });
  return changes;
}

function checkReleases(before: SpecSide, after: SpecSide, oldArg: string, newArg: string): void {
  const release = (side: SpecSide) => {
    const releases = [...new Set(side.packages.map((pkg) => fhirRelease(pkg.fhirVersion)))];
    return { releases, versions: [...new Set(side.packages.map((pkg) => pkg.fhirVersion))] };
  };
  const [a, b] = [release(before), release(after)];
  if (a.releases.length === 0 || b.releases.length === 0) return;
  if (a.releases.length === 1 && b.releases.length === 1 && a.releases[0] === b.releases[0]) return;
  if (a.releases.length > 1 || b.releases.length > 1) {
    // Two caches may hold several releases; only packages compared by id must agree (checked per pair).
    return;
  }
  throw new SpecChangesError(
    newArg,
    `FHIR ${b.versions.join(', ')}, but ${oldArg} is FHIR ${a.versions.join(', ')}; ` +
      'compare packages of one FHIR release',
  );
}

/**
 * Compares two versions of the specs: per profile and element (on snapshots built by the snapshot
 * stage, so differential-only profiles compare with what they inherit), per CapabilityStatement, and
 * per OpenAPI description. Two single packages are compared whatever their ids; two caches pair
 * packages and descriptions by id. Throws {@link SpecChangesError} for folders that cannot be compared.
 */
export async function compareSpecs(options: CompareSpecsOptions): Promise<ChangeReport> {
  const before = await readSpecSide(options.old);
  const after = await readSpecSide(options.new);
  checkReleases(before, after, options.old, options.new);
  const loaded = new Map<string, Promise<LoadedPackage>>();
  const extra = options.dependencyCaches ?? [];
  const cachesOf = (side: SpecSide) => (side.cache ? [side.dir, ...extra] : [...extra]);

  const pairs: [PackageFolder, PackageFolder][] = [];
  const single = (side: SpecSide) => side.packages.length === 1 && side.apis.length === 0;
  if (single(before) && single(after)) pairs.push([before.packages[0]!, after.packages[0]!]);
  else
    for (const pkg of after.packages) {
      const old = before.packages.find((candidate) => candidate.id === pkg.id);
      if (old !== undefined) pairs.push([old, pkg]);
    }

  const changes: SpecChange[] = [];
  const notCompared: NotCompared[] = [];
  const compared: string[] = [];
  for (const [old, next] of pairs) {
    if (fhirRelease(old.fhirVersion) !== fhirRelease(next.fhirVersion))
      throw new SpecChangesError(
        options.new,
        `${next.id} is FHIR ${next.fhirVersion}, but in ${options.old} it is FHIR ${old.fhirVersion}; ` +
          'compare packages of one FHIR release',
      );
    compared.push(
      old.id === next.id
        ? `${next.id}: ${old.version} -> ${next.version}`
        : `${old.id}#${old.version} -> ${next.id}#${next.version}`,
    );
    const builtOld = await buildPackage(old, 'old', cachesOf(before), loaded);
    const builtNew = await buildPackage(next, 'new', cachesOf(after), loaded);
    notCompared.push(...builtOld.notCompared, ...builtNew.notCompared);
    changes.push(...comparePackages(builtOld, builtNew));
  }
  const singleApi = (side: SpecSide) => side.packages.length === 0 && side.apis.length === 1;
  const apiPairs =
    singleApi(before) && singleApi(after)
      ? [[before.apis[0]!, after.apis[0]!] as const]
      : after.apis.flatMap((api) => {
          const old = before.apis.find((candidate) => candidate.id === api.id);
          return old === undefined ? [] : [[old, api] as const];
        });
  for (const [old, next] of apiPairs) {
    const id = apiPairs.length === 1 && options.apiId !== undefined ? options.apiId : next.id;
    compared.push(`openapi:${id}`);
    const oldModel = openApiModel(old);
    const newModel = { ...openApiModel(next), subject: `openapi:${id}` };
    changes.push(...compareApiModels({ ...oldModel, subject: newModel.subject }, newModel));
  }
  if (pairs.length === 0 && apiPairs.length === 0)
    throw new SpecChangesError(options.new, `holds no package or OpenAPI description that ${options.old} also holds`);
  return { old: options.old, new: options.new, compared, changes, notCompared, bump: suggestBump(changes) };
}
