/**
 * The hand-written runtime every profile package gets, emitted beside the generated types so that
 * the helpers read that package's registry. Kept as source text here: one copy for all packages.
 */

export const PROFILE_SUPPORT_SOURCE = `
/** The item type of an element: the array's element type, or the type itself when it does not repeat. */
export type Item<T> = T extends readonly (infer I)[] ? I : NonNullable<T>;

/** One value a slice's discriminator requires: at \`path\` below the item (\`''\` for the item itself). */
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

/** True when \`value\` has the resource type and names \`url\` in \`meta.profile\`. */
export function hasProfile(value: unknown, resourceType: string, url: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const resource = value as { resourceType?: unknown; meta?: { profile?: unknown } };
  const profiles = resource.meta?.profile;
  return resource.resourceType === resourceType && Array.isArray(profiles) && profiles.some((profile) => profile === url || (typeof profile === 'string' && profile.startsWith(\`\${url}|\`)));
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

/** FHIR pattern semantics: every key of \`pattern\` is in \`value\`, and each pattern array item matches some item. */
export function matchesValue(value: unknown, expected: unknown, pattern: boolean): boolean {
  if (expected === null || typeof expected !== 'object') return value === expected;
  if (Array.isArray(expected)) {
    if (!Array.isArray(value)) return false;
    if (!pattern) return value.length === expected.length && expected.every((item, index) => matchesValue(value[index], item, false));
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
  return match.every((entry) => valuesAt(item, entry.path).some((value) => matchesValue(value, entry.value, entry.pattern)));
}
`;

export const PROFILE_HELPERS_SOURCE = `import { inSlice, type RuntimeProfile } from './profile-support.js';
import { profileRegistry, type ProfileRegistry, type ProfileUrl } from './registry.js';

/** A value of a profile of this package: what the helpers accept (its \`meta.profile\` names the profile first). */
export interface Profiled {
  meta: { profile: [ProfileUrl, ...string[]] };
}

/** The profile url a value's type names. */
export type ProfileOf<R extends Profiled> = R['meta']['profile'][0];
/** The names of the extension slices of a profile value (\`ethnicCategory\`...). */
export type ExtensionName<R extends Profiled> = keyof ProfileRegistry[ProfileOf<R>]['extensions'] & string;
/** The type of a named extension slice: its url and value type. */
export type ExtensionOf<R extends Profiled, N extends ExtensionName<R>> = ProfileRegistry[ProfileOf<R>]['extensions'][N];
/** The sliced elements of a profile value with typed slices (\`identifier\`...). */
export type SlicedElement<R extends Profiled> = keyof ProfileRegistry[ProfileOf<R>]['slices'] & string;
export type SliceName<R extends Profiled, E extends SlicedElement<R>> = keyof ProfileRegistry[ProfileOf<R>]['slices'][E] & string;
export type SliceOf<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>> = ProfileRegistry[ProfileOf<R>]['slices'][E][N];

function runtimeProfile(resource: Profiled): RuntimeProfile | undefined {
  for (const url of resource.meta?.profile ?? []) {
    const found = profileRegistry[url] ?? profileRegistry[String(url).split('|')[0] ?? ''];
    if (found !== undefined) return found;
  }
  return undefined;
}

function extensionUrl(resource: Profiled, name: string): string {
  const url = runtimeProfile(resource)?.extensions[name];
  if (url === undefined) throw new Error(\`no extension slice \${name} in the profile of this resource\`);
  return url;
}

/** Every extension of the named slice (\`getExtensions(patient, 'ethnicCategory')\`). */
export function getExtensions<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N): ExtensionOf<R, N>[] {
  const url = extensionUrl(resource, name);
  const extensions = (resource as { extension?: { url?: string }[] }).extension ?? [];
  return extensions.filter((extension) => extension.url === url) as ExtensionOf<R, N>[];
}

/** The first extension of the named slice, typed by its definition, or undefined. */
export function getExtension<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N): ExtensionOf<R, N> | undefined {
  return getExtensions(resource, name)[0];
}

/** Sets the named extension slice: replaces the extensions of that url by this one (its url is filled in). Returns the resource. */
export function setExtension<R extends Profiled, N extends ExtensionName<R>>(resource: R, name: N, extension: Omit<ExtensionOf<R, N>, 'url'>): R {
  const url = extensionUrl(resource, name);
  const holder = resource as { extension?: { url?: string }[] };
  const others = (holder.extension ?? []).filter((item) => item.url !== url);
  holder.extension = [...others, { ...extension, url }];
  return resource;
}

/** The items of a sliced element that belong to the named slice (\`getSlices(patient, 'identifier', 'nhsNumber')\`). */
export function getSlices<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>>(resource: R, element: E, name: N): SliceOf<R, E, N>[] {
  const match = runtimeProfile(resource)?.slices[element]?.[name];
  if (match === undefined) throw new Error(\`no slice \${element}:\${name} in the profile of this resource\`);
  const items = (resource as unknown as Record<string, unknown>)[element];
  return (Array.isArray(items) ? items : items === undefined ? [] : [items]).filter((item) => inSlice(item, match)) as SliceOf<R, E, N>[];
}

/** The first item of the named slice, or undefined. */
export function getSlice<R extends Profiled, E extends SlicedElement<R>, N extends SliceName<R, E>>(resource: R, element: E, name: N): SliceOf<R, E, N> | undefined {
  return getSlices(resource, element, name)[0];
}
`;
