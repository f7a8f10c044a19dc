/**
 * The runtime of the generated profile packages (@nhs-fhir/uk-core, @nhs-fhir/nhs-england,
 * @nhs-fhir/reasonable-adjustments-stu3): profile guards, slice matching and the extension and slice helpers.
 * The generated code imports these and binds them to the package's own registry of profiles, so every package
 * runs this one copy; the generated `getExtension`/`getSlices` keep their typed signatures and call these.
 */

/** The item type of an element: the array's element type, or the type itself when it does not repeat. */
export type Item<T> = T extends readonly (infer I)[] ? I : NonNullable<T>;

/** One value a slice's discriminator requires: at `path` below the item (`''` for the item itself). */
export interface SliceMatchValue {
  path: string;
  value: unknown;
  /** pattern: the item's value contains this one; otherwise it equals it. */
  pattern: boolean;
}

/** What the helpers know of a profile at run time. */
export interface RuntimeProfile {
  type: string;
  extensions: Readonly<Record<string, string>>;
  slices: Readonly<Record<string, Readonly<Record<string, readonly SliceMatchValue[]>>>>;
}

/** A generated package's profiles by canonical URL. */
export type RuntimeRegistry = Readonly<Record<string, RuntimeProfile>>;

/** True when `value` has the resource type and names `url` in `meta.profile`. */
export function hasProfile(value: unknown, resourceType: string, url: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const resource = value as { resourceType?: unknown; meta?: { profile?: unknown } };
  const profiles = resource.meta?.profile;
  return (
    resource.resourceType === resourceType &&
    Array.isArray(profiles) &&
    profiles.some((profile) => profile === url || (typeof profile === 'string' && profile.startsWith(`${url}|`)))
  );
}

/** Values at a dot path, arrays flattened (FHIRPath-like navigation for discriminators). */
export function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const segment of path === '' ? [] : path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (typeof item !== 'object' || item === null) continue;
      const child = (item as Record<string, unknown>)[segment];
      if (Array.isArray(child)) next.push(...child);
      else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current;
}

/** FHIR pattern semantics: every key of `pattern` is in `value`, and each pattern array item matches some item. */
export function matchesValue(value: unknown, expected: unknown, pattern: boolean): boolean {
  if (expected === null || typeof expected !== 'object') return value === expected;
  if (Array.isArray(expected)) {
    if (!Array.isArray(value)) return false;
    if (!pattern)
      return (
        value.length === expected.length && expected.every((item, index) => matchesValue(value[index], item, false))
      );
    return expected.every((item) => value.some((candidate) => matchesValue(candidate, item, true)));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(expected);
  if (!pattern && Object.keys(record).length !== keys.length) return false;
  return keys.every((key) => matchesValue(record[key], (expected as Record<string, unknown>)[key], pattern));
}

/** Does an item belong to a slice: every discriminator value found at its path. */
export function inSlice(item: unknown, match: readonly SliceMatchValue[]): boolean {
  return match.every((entry) =>
    valuesAt(item, entry.path).some((value) => matchesValue(value, entry.value, entry.pattern)),
  );
}

/** The registry entry of the first profile in the resource's `meta.profile` the registry has (a `|version` ignored). */
export function runtimeProfileOf(registry: RuntimeRegistry, resource: unknown): RuntimeProfile | undefined {
  const profiles = (resource as { meta?: { profile?: unknown } } | null)?.meta?.profile;
  for (const url of Array.isArray(profiles) ? profiles : []) {
    const found = registry[url as string] ?? registry[String(url).split('|')[0] ?? ''];
    if (found !== undefined) return found;
  }
  return undefined;
}

function extensionUrl(registry: RuntimeRegistry, resource: unknown, name: string): string {
  const url = runtimeProfileOf(registry, resource)?.extensions[name];
  if (url === undefined) throw new Error(`no extension slice ${name} in the profile of this resource`);
  return url;
}

/**
 * Every extension of the named extension slice of the resource's profile; throws when the profile has no such slice.
 */
export function extensionsOf(registry: RuntimeRegistry, resource: unknown, name: string): unknown[] {
  const url = extensionUrl(registry, resource, name);
  const extensions = (resource as { extension?: { url?: string }[] }).extension ?? [];
  return extensions.filter((extension) => extension.url === url);
}

/** Replaces the extensions of the named slice's url by this one (its url filled in); returns the resource. */
export function withExtension<R>(registry: RuntimeRegistry, resource: R, name: string, extension: object): R {
  const url = extensionUrl(registry, resource, name);
  const holder = resource as { extension?: { url?: string }[] };
  const others = (holder.extension ?? []).filter((item) => item.url !== url);
  holder.extension = [...others, { ...extension, url }];
  return resource;
}

/** The items of a sliced element that belong to the named slice; throws when the profile has no such slice. */
export function sliceItems(registry: RuntimeRegistry, resource: unknown, element: string, name: string): unknown[] {
  const match = runtimeProfileOf(registry, resource)?.slices[element]?.[name];
  if (match === undefined) throw new Error(`no slice ${element}:${name} in the profile of this resource`);
  const items = (resource as Record<string, unknown>)[element];
  return (Array.isArray(items) ? items : items === undefined ? [] : [items]).filter((item) => inSlice(item, match));
}
