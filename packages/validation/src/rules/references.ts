import { isObject } from '../json-values.js';
import type { InvariantScope } from '../native-invariants.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';

/** Reference targets: the type a reference points at, against the element's target types. */

/** What a reference is resolved in: the enclosing resources, the Bundle's fullUrls, the known resource types. */
export interface ReferenceContext {
  scope: InvariantScope;
  /** Bundle entry fullUrl to resource type, for `urn:uuid:` references. */
  fullUrls: ReadonlyMap<string, string> | undefined;
  resourceTypes: ReadonlySet<string>;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/;
const ABSOLUTE_TYPE = /\/([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
/**
 * `Type/id` or `Type/id/_history/version`, the ids at most 64 characters (checked by relativeType: irregexp runs a
 * counted repeat about twice as slowly, and most references are relative).
 */
const RELATIVE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+(?:\/_history\/[A-Za-z0-9\-.]+)?$/;
const CONDITIONAL_TYPE = /^([A-Z][A-Za-z]+)\?/;
const MAX_ID = 64;
const HISTORY = '/_history/'.length;

/** Resource type a literal reference points at, when the reference says it. */
export function referencedType(reference: string, context: ReferenceContext): string | undefined {
  const { scope, fullUrls } = context;
  if (reference.startsWith('#')) return containedType(reference, scope);
  if (reference.startsWith('urn:')) return fullUrls?.get(reference);
  // Relative (`Patient/1`) must be whole; absolute URLs end in `Type/id`; conditional (`Patient?identifier=...`) name
  // the type first.
  const type = ABSOLUTE.test(reference)
    ? ABSOLUTE_TYPE.exec(reference)?.[1]
    : (relativeType(reference) ?? CONDITIONAL_TYPE.exec(reference)?.[1]);
  return type !== undefined && context.resourceTypes.has(type) ? type : (fullUrls?.get(reference) ?? undefined);
}

/** The type of a relative reference (`Patient/1`, `Patient/1/_history/2`), without a regex match's allocations. */
function relativeType(reference: string): string | undefined {
  const slash = reference.indexOf('/');
  return isRelative(reference, slash) ? reference.slice(0, slash) : undefined;
}

/** Whether a reference is relative (`Type/id`, `Type/id/_history/version`), its first `/` at `slash`. */
function isRelative(reference: string, slash: number): boolean {
  if (!RELATIVE.test(reference)) return false;
  // The pattern holds: the first `/` ends the type, and a second one (ids have none) starts `/_history/`.
  const history = reference.indexOf('/', slash + 1);
  const idLength = (history === -1 ? reference.length : history) - slash - 1;
  const versionLength = history === -1 ? 0 : reference.length - history - HISTORY;
  return idLength <= MAX_ID && versionLength <= MAX_ID;
}

/**
 * Whether a reference is relative to one of `targets` (`Patient/1` where Patient is allowed), so allowed: the common
 * case, decided without cutting the type out of the reference and hashing it to look it up.
 */
function isRelativeToTarget(reference: string, targets: readonly string[], context: ReferenceContext): boolean {
  const slash = reference.indexOf('/');
  if (slash <= 0) return false;
  for (let position = 0; position < targets.length; position++) {
    const target = targets[position]!;
    if (target.length === slash && reference.startsWith(target))
      return context.resourceTypes.has(target) && isRelative(reference, slash);
  }
  return false;
}

/** The type of the resource a `#id` reference names in the container (`#` alone: the container itself). */
function containedType(reference: string, scope: InvariantScope): string | undefined {
  const contained =
    isObject(scope.container) && Array.isArray(scope.container['contained']) ? scope.container['contained'] : [];
  const id = reference.slice(1);
  const found =
    reference === '#' ? scope.container : contained.find((resource) => isObject(resource) && resource['id'] === id);
  return isObject(found) && typeof found['resourceType'] === 'string' ? found['resourceType'] : undefined;
}

/** The type a Reference names (its literal reference, else `type`) must be one of `targets`. */
export function checkReference(
  targets: readonly string[],
  item: unknown,
  path: Path,
  context: ReferenceContext,
  issues: IssueList,
): void {
  if (!isObject(item)) return;
  const reference = item['reference'];
  if (typeof reference === 'string' && isRelativeToTarget(reference, targets, context)) return;
  const stated = typeof item['type'] === 'string' ? item['type'] : undefined;
  const type = typeof reference === 'string' ? (referencedType(reference, context) ?? stated) : stated;
  if (type !== undefined && !targets.includes(type)) {
    if (issues.keeps('error'))
      issues.add('error', 'value', path, `Reference to ${type} is not allowed here (allowed: ${targets.join(', ')})`);
  }
}
