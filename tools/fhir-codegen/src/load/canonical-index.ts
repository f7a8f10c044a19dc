import type { LoadedPackage, PackageResource } from './package-store.js';

/**
 * Canonical lookups within one package's dependency closure. Keys are `url` and `url|version`,
 * never `id` (ids repeat across and within packages, and some resources have none). When several
 * packages of the closure hold the same URL, the nearest package wins: the root first, then its
 * dependencies breadth-first, so a package sees its own version of a shared CodeSystem.
 */
export class CanonicalIndex {
  private readonly byUrl = new Map<string, PackageResource[]>();

  constructor(readonly closure: readonly LoadedPackage[]) {
    for (const pkg of closure) {
      for (const resource of pkg.resources) {
        if (resource.url === undefined) continue;
        const list = this.byUrl.get(resource.url);
        if (list === undefined) this.byUrl.set(resource.url, [resource]);
        else list.push(resource);
      }
    }
  }

  /** Resolves `url` or `url|version`; undefined when nothing in the closure has it. */
  resolve(canonical: string): PackageResource | undefined {
    const bar = canonical.indexOf('|');
    const url = bar === -1 ? canonical : canonical.slice(0, bar);
    const candidates = this.byUrl.get(url);
    if (candidates === undefined) return undefined;
    if (bar === -1) return candidates[0];
    const version = canonical.slice(bar + 1);
    return (
      candidates.find((candidate) => candidate.version === version) ??
      candidates.find((candidate) => candidate.version === undefined)
    );
  }

  /** Every resource in the closure with this URL, nearest package first. */
  all(url: string): readonly PackageResource[] {
    return this.byUrl.get(url) ?? [];
  }

  get size(): number {
    return this.byUrl.size;
  }
}
