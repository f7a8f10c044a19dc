/**
 * `If-Match` values, built as RA and PDS expect (`W/"<version>"`) but never parsed: Spine version ids
 * are not numbers, and real servers send odd ETags (one ends in a typographic quote), so a value that
 * already looks like an entity tag is sent exactly as it came.
 */
export function ifMatchFrom(etagOrVersionId: string): string {
  const value = etagOrVersionId.trim();
  if (value.startsWith('W/') || value.startsWith('"')) return value;
  return `W/"${value}"`;
}

/** `If-Match` for a resource from its `meta.versionId`, if it has one. */
export function ifMatchForResource(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  const versionId = (resource as { meta?: { versionId?: unknown } }).meta?.versionId;
  return typeof versionId === 'string' && versionId !== '' ? ifMatchFrom(versionId) : undefined;
}

/** The last `ETag` seen per resource (`Patient/9000000009`), bounded so a long-running client does not grow. */
export class EtagMemory {
  readonly #entries = new Map<string, string>();
  constructor(readonly capacity = 1000) {}

  remember(key: string, etag: string): void {
    this.#entries.delete(key);
    this.#entries.set(key, etag);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  recall(key: string): string | undefined {
    return this.#entries.get(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/** `Patient/9000000009` from a request path (`/Patient/9000000009`) or a resource. */
export function resourceKey(pathOrResource: string | { resourceType?: unknown; id?: unknown }): string | undefined {
  if (typeof pathOrResource === 'string') {
    const parts = pathOrResource.replace(/^\/+/, '').split('?')[0]!.split('/');
    return parts.length >= 2 && /^[A-Z][A-Za-z]+$/.test(parts[0]!) ? `${parts[0]}/${parts[1]}` : undefined;
  }
  const { resourceType, id } = pathOrResource;
  return typeof resourceType === 'string' && typeof id === 'string' ? `${resourceType}/${id}` : undefined;
}
