import {
  isRecord,
  cloneJson,
  type ElementDefinition,
  snapshotOf,
  treeFromElements,
  type ElementNode,
  type Snapshot,
} from '../fhir/index.js';
import type { CanonicalIndex } from '../load/canonical-index.js';
import { releaseName } from '../load/package-graph.js';
import type { PackageResource } from '../load/package-store.js';
import { applyDifferential } from './apply-differential.js';
import type { SnapshotContext } from './snapshot-context.js';
import { unfoldChildren } from './unfold-type.js';
import { SnapshotError, profileLabel, type SnapshotPlace, type SnapshotWarning } from './snapshot-issue.js';

export interface SnapshotOptions {
  /**
   * Rebuild every constraint StructureDefinition from its differential, even when it ships a snapshot
   * (the oracle tests do this to compare with what HL7 and NHS shipped). Default: a shipped snapshot is used.
   */
  ignoreShippedSnapshots?: boolean;
}

/**
 * The snapshot elements, in order, as plain JSON the caller owns, and the tree they were written from (its nodes hold
 * the same element objects): the model reads children and slices from the tree, the change report the list.
 */
export interface SnapshotResult extends Snapshot {
  /** Upstream defects met while building this profile (not its bases), for the caller to print. */
  warnings: SnapshotWarning[];
}

/** A profile to build: a resource from the index (with its package), or a bare StructureDefinition. */
export type ProfileInput = PackageResource | Record<string, unknown>;

const isPackageResource = (input: ProfileInput): input is PackageResource =>
  typeof input['packageKey'] === 'string' && isRecord(input['json']);

/**
 * Builds snapshots within one package's dependency closure, each once: bases (which may be profiles
 * themselves), extension definitions and datatype profiles are built on first use and kept.
 */
export class SnapshotBuilder {
  private readonly trees = new Map<Record<string, unknown>, { tree: ElementNode; warnings: SnapshotWarning[] }>();
  private readonly building = new Set<Record<string, unknown>>();
  /** A definition that failed fails the same way for every profile built on it: one error object, reported once. */
  private readonly failures = new Map<Record<string, unknown>, SnapshotError>();

  constructor(
    readonly index: CanonicalIndex,
    readonly options: SnapshotOptions = {},
  ) {}

  /** The snapshot of a profile; a SnapshotError when its differential cannot be applied to its base. */
  build(profile: ProfileInput): SnapshotResult {
    const built = this.treeOf(profile);
    return { ...snapshotOf(built.tree, cloneJson), warnings: built.warnings };
  }

  /**
   * The tree the builder keeps for a definition, shared with every profile built on it: read it, never change it.
   * Names and nesting are the snapshot's; an element's `path` and `id` are written only when flattened (`build`).
   */
  tree(profile: ProfileInput): ElementNode {
    return this.treeOf(profile).tree;
  }

  /** The snapshot tree (as `tree`) of a canonical within the closure; undefined when the closure lacks it. */
  treeOfCanonical(canonical: string): ElementNode | undefined {
    const resource = this.index.resolve(canonical);
    if (resource === undefined || resource.resourceType !== 'StructureDefinition') return undefined;
    return this.treeOf(resource).tree;
  }

  private treeOf(profile: ProfileInput): { tree: ElementNode; warnings: SnapshotWarning[] } {
    const json = isPackageResource(profile) ? profile.json : profile;
    const known = this.trees.get(json);
    if (known !== undefined) return known;
    const failed = this.failures.get(json);
    if (failed !== undefined) throw failed;
    const place: SnapshotPlace = {
      input: isPackageResource(profile) ? profile.packageKey : String(json['url'] ?? 'StructureDefinition'),
      profile: profileLabel(json),
    };
    if (this.building.has(json)) throw new SnapshotError('CIRCULAR_BASE', place, 'its base chain leads back to itself');
    this.building.add(json);
    try {
      const built = this.buildTree(json, place);
      this.trees.set(json, built);
      return built;
    } catch (error) {
      if (error instanceof SnapshotError) this.failures.set(json, error);
      throw error;
    } finally {
      this.building.delete(json);
    }
  }

  private buildTree(
    json: Record<string, unknown>,
    place: SnapshotPlace,
  ): { tree: ElementNode; warnings: SnapshotWarning[] } {
    const shipped = shippedSnapshot(json);
    const rebuild =
      json['derivation'] === 'constraint' && (this.options.ignoreShippedSnapshots === true || shipped === undefined);
    if (!rebuild && shipped !== undefined) return { tree: shippedTree(shipped, place), warnings: [] };
    const differential =
      isRecord(json['differential']) && Array.isArray(json['differential']['element'])
        ? json['differential']['element'].filter(isRecord)
        : undefined;
    if (differential === undefined)
      throw new SnapshotError('NO_DIFFERENTIAL', place, 'no snapshot and no differential');
    const baseUrl = json['baseDefinition'];
    const base = typeof baseUrl === 'string' ? this.treeOfCanonical(baseUrl) : undefined;
    if (base === undefined)
      throw new SnapshotError('BASE_UNRESOLVED', place, `base ${String(baseUrl)} not found in the package closure`);
    const warnings: SnapshotWarning[] = [];
    return { tree: applyDifferential(base, differential, this.contextFor(json, place, warnings)), warnings };
  }

  /**
   * The same snapshot with the elements `wanted` picks (by id) unfolded into their type's children, as
   * tools that unfold every datatype element write it; unfolding adds no constraint, so both forms mean the same.
   */
  unfoldElements(
    profile: ProfileInput,
    elements: readonly ElementDefinition[],
    wanted: (id: string) => boolean,
  ): ElementDefinition[] {
    const json = isPackageResource(profile) ? profile.json : profile;
    const place: SnapshotPlace = {
      input: isPackageResource(profile) ? profile.packageKey : String(json['url'] ?? 'StructureDefinition'),
      profile: profileLabel(json),
    };
    const context = this.contextFor(json, place, []);
    const root = treeFromElements(cloneJson(elements));
    const visit = (node: ElementNode, parentId: string | undefined): void => {
      const sliceName = typeof node.element['sliceName'] === 'string' ? `:${node.element['sliceName']}` : '';
      const id = `${parentId === undefined ? '' : `${parentId}.`}${node.idSegment ?? `${node.name}${sliceName}`}`;
      if (node.children.length === 0 && wanted(id)) unfoldChildren(node, root.name, id, context);
      for (const child of node.children) visit(child, id);
      for (const slice of node.slices) visit(slice, parentId);
    };
    visit(root, undefined);
    return snapshotOf(root).elements;
  }

  private contextFor(
    json: Record<string, unknown>,
    place: SnapshotPlace,
    warnings: SnapshotWarning[],
  ): SnapshotContext {
    const url = String(json['url'] ?? '');
    return {
      release: this.releaseOf(json),
      place,
      treeOf: (canonical) => this.treeOfCanonical(canonical),
      kindOf: (canonical) => {
        const kind = this.index.resolve(canonical)?.json['kind'];
        return typeof kind === 'string' ? kind : undefined;
      },
      warn: (code, element, message) =>
        warnings.push({
          input: place.input,
          profile: place.profile,
          url,
          ...(element === undefined ? {} : { element }),
          code,
          message,
        }),
    };
  }

  private releaseOf(json: Record<string, unknown>): 'R4' | 'STU3' {
    const version = typeof json['fhirVersion'] === 'string' ? json['fhirVersion'] : this.index.closure[0]?.fhirVersion;
    return version === undefined ? 'R4' : releaseName(version);
  }
}

const shippedSnapshot = (json: Record<string, unknown>): ElementDefinition[] | undefined => {
  const snapshot = json['snapshot'];
  if (!isRecord(snapshot) || !Array.isArray(snapshot['element']) || snapshot['element'].length === 0) return undefined;
  return snapshot['element'].filter(isRecord);
};

/**
 * A shipped snapshot as a tree; one whose elements do not nest (an element before its parent) is an error naming it.
 */
function shippedTree(elements: ElementDefinition[], place: SnapshotPlace): ElementNode {
  try {
    return treeFromElements(elements);
  } catch (error) {
    throw new SnapshotError(
      'SNAPSHOT_MALFORMED',
      place,
      `shipped snapshot: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const builders = new WeakMap<CanonicalIndex, Map<string, SnapshotBuilder>>();

/** The memoised builder of a closure (one per options), so bases are built once however many profiles share them. */
export function snapshotBuilder(index: CanonicalIndex, options: SnapshotOptions = {}): SnapshotBuilder {
  const key = JSON.stringify({ ignoreShippedSnapshots: options.ignoreShippedSnapshots === true });
  let byOptions = builders.get(index);
  if (byOptions === undefined) builders.set(index, (byOptions = new Map()));
  let builder = byOptions.get(key);
  if (builder === undefined) byOptions.set(key, (builder = new SnapshotBuilder(index, options)));
  return builder;
}

/** Expands a StructureDefinition's differential against its base's snapshot (the base built first when it has none). */
export function buildSnapshot(
  profile: ProfileInput,
  index: CanonicalIndex,
  options: SnapshotOptions = {},
): SnapshotResult {
  return snapshotBuilder(index, options).build(profile);
}

export interface SnapshotBatch {
  snapshots: Map<string, ElementDefinition[]>;
  warnings: SnapshotWarning[];
  /**
   * Why profiles could not be built, each error once (a broken base fails every profile on it; those are absent from
   * `snapshots`).
   */
  errors: SnapshotError[];
}

/** Builds every profile given, collecting warnings and per-profile errors instead of stopping at the first. */
export function buildSnapshots(
  profiles: readonly PackageResource[],
  index: CanonicalIndex,
  options: SnapshotOptions = {},
): SnapshotBatch {
  const batch: SnapshotBatch = { snapshots: new Map(), warnings: [], errors: [] };
  for (const profile of profiles) {
    try {
      const result = buildSnapshot(profile, index, options);
      batch.snapshots.set(profile.url ?? profile.file, result.elements);
      batch.warnings.push(...result.warnings);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      if (!batch.errors.includes(error)) batch.errors.push(error);
    }
  }
  return batch;
}
