import { randomUUID } from 'node:crypto';
import type { SandboxStore, StoredResource } from './model.js';

const UNPACKED_BUNDLES = new Set(['collection', 'searchset', 'transaction']);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The next version after `current`: one more when it is a number, else a fresh opaque one. */
export function nextVersion(current: string | undefined): string {
  if (current === undefined) return '1';
  return /^\d{1,15}$/.test(current) ? String(Number(current) + 1) : randomUUID();
}

/** Resources by type and id, in memory. Every value in and out is a structured clone. */
export class MemoryStore implements SandboxStore {
  readonly #byType = new Map<string, Map<string, StoredResource>>();

  /** Loads the seed: ids kept, a missing id made, `meta.versionId` '1' when absent. TypeError for a non-resource. */
  seed(resources: readonly object[]): void {
    if (!Array.isArray(resources)) throw new TypeError('sandbox: seed must be an array of FHIR resources');
    resources.forEach((resource, index) => {
      this.#seedOne(resource, `seed[${index}]`);
    });
  }

  #seedOne(resource: unknown, where: string): void {
    if (!isObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType === '')
      throw new TypeError(`sandbox: ${where} is not a FHIR resource (no resourceType)`);
    if (resource.resourceType === 'Bundle' && UNPACKED_BUNDLES.has(String(resource.type))) {
      const entries = Array.isArray(resource.entry) ? resource.entry : [];
      entries.forEach((entry: unknown, index) => {
        if (isObject(entry) && entry.resource !== undefined) this.#seedOne(entry.resource, `${where}.entry[${index}]`);
      });
      return;
    }
    if (resource.id !== undefined && (typeof resource.id !== 'string' || !ID.test(resource.id)))
      throw new TypeError(`sandbox: ${where} has an id that is not a FHIR id`);
    const copy = structuredClone(resource) as Record<string, unknown>;
    const meta = isObject(copy.meta) ? copy.meta : {};
    copy.id = typeof copy.id === 'string' ? copy.id : randomUUID();
    copy.meta = { ...meta, versionId: typeof meta.versionId === 'string' ? meta.versionId : '1' };
    this.#put(copy as StoredResource);
  }

  #put(resource: StoredResource): void {
    let byId = this.#byType.get(resource.resourceType);
    if (!byId) {
      byId = new Map();
      this.#byType.set(resource.resourceType, byId);
    }
    byId.set(resource.id, resource);
  }

  get(resourceType: string, id: string): StoredResource | undefined {
    const found = this.#byType.get(resourceType)?.get(id);
    return found && structuredClone(found);
  }

  list(resourceType?: string): StoredResource[] {
    const maps = resourceType === undefined ? [...this.#byType.values()] : [this.#byType.get(resourceType)];
    return maps.flatMap((byId) => (byId ? [...byId.values()].map((r) => structuredClone(r)) : []));
  }

  /** `id` is for the sandbox itself (a transaction makes its ids first, to resolve references between entries). */
  create(resource: object, id: string = randomUUID()): StoredResource {
    const copy = this.#checked(resource, 'create');
    copy.id = id;
    copy.meta = { ...(isObject(copy.meta) ? copy.meta : {}), versionId: '1', lastUpdated: new Date().toISOString() };
    this.#put(copy);
    return structuredClone(copy);
  }

  update(resource: object): StoredResource {
    const copy = this.#checked(resource, 'update');
    if (typeof copy.id !== 'string' || !ID.test(copy.id)) throw new TypeError('sandbox: update needs a resource id');
    const current = this.#byType.get(copy.resourceType)?.get(copy.id);
    copy.meta = {
      ...(isObject(copy.meta) ? copy.meta : {}),
      versionId: nextVersion(current?.meta.versionId),
      lastUpdated: new Date().toISOString(),
    };
    this.#put(copy);
    return structuredClone(copy);
  }

  delete(resourceType: string, id: string): boolean {
    return this.#byType.get(resourceType)?.delete(id) ?? false;
  }

  #checked(resource: object, what: string): StoredResource {
    if (!isObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType === '')
      throw new TypeError(`sandbox: ${what} needs a FHIR resource (no resourceType)`);
    return structuredClone(resource) as StoredResource;
  }
}
