import { createRequire } from 'node:module';
import { isObject, type JsonObject } from './json-values.js';

/** What an invariant sees besides its node: the resource holding it (for contained references). */
export interface InvariantScope {
  /** The resource whose `contained` the node's `#id` references resolve in. */
  container: Record<string, unknown> | undefined;
  /** The resource being evaluated (the nearest resource above the node). */
  resource: Record<string, unknown> | undefined;
}

/**
 * An invariant compiled by hand to a plain function of the node it is checked on: true when it holds, false when
 * it is violated.
 */
export type NativeInvariant = (node: unknown, scope: InvariantScope) => boolean;

const present = (value: unknown): boolean =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
const NO_CONTAINED: readonly JsonObject[] = Object.freeze([]);
/**
 * The contained resources of a node. Most resources contain none, and dom-2 to dom-5 ask on each of them: that case
 * returns one shared empty list instead of making two.
 */
const containedOf = (node: unknown): readonly JsonObject[] => {
  const contained = isObject(node) ? node['contained'] : undefined;
  return contained === undefined || contained === null ? NO_CONTAINED : list(contained).filter(isObject);
};

/** ele-1: a primitive has a value, anything else a child other than `id`. */
const hasValueOrChildren: NativeInvariant = (node) => {
  if (!isObject(node)) return node !== undefined && node !== null;
  for (const key in node) if (key !== 'id' && present(node[key])) return true;
  return false;
};

/** ext-1: an extension has nested extensions or a value, not both. */
const extensionOrValue: NativeInvariant = (node) => {
  if (!isObject(node)) return true;
  let value = false;
  for (const key in node) if (key.startsWith('value') && key.length > 5 && present(node[key])) value = true;
  return present(node['extension']) !== value;
};

/**
 * Every string in a resource that could be a `#id` reference (reference, canonical, uri), collected once per resource.
 */
function localReferences(resource: JsonObject): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 200) return;
    if (typeof value === 'string') {
      if (value.charCodeAt(0) === 35) found.add(value);
    } else if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
    else if (isObject(value)) for (const key in value) visit(value[key], depth + 1);
  };
  visit(resource, 0);
  return found;
}

/** dom-3: each contained resource is referenced from the resource (or references the container with `#`). */
const containedReferenced: NativeInvariant = (node) => {
  const contained = containedOf(node);
  if (contained.length === 0) return true;
  const references = localReferences(node as JsonObject);
  if (references.has('#')) return true;
  return contained.every((resource) => typeof resource['id'] !== 'string' || references.has(`#${resource['id']}`));
};

/** ref-1: a `#id` reference names a contained resource of its container; `#` names the container itself. */
const localReferenceResolves: NativeInvariant = (node, scope) => {
  if (!isObject(node) || typeof node['reference'] !== 'string' || !node['reference'].startsWith('#')) return true;
  const id = node['reference'].slice(1);
  // `#` alone references the container (R4 3.4.4.2; STU3 the same), which the expression's contained ids miss.
  if (id === '') return true;
  return containedOf(scope.container).some((resource) => resource['id'] === id);
};

/** per-1: start <= end, compared only at equal precision (FHIRPath gives empty, not false, otherwise). */
const periodOrdered: NativeInvariant = (node) => {
  if (!isObject(node)) return true;
  const { start, end } = node;
  if (typeof start !== 'string' || typeof end !== 'string' || start.length < 4 || end.length < 4) return true;
  if (start.includes('T') && end.includes('T')) {
    const a = Date.parse(start);
    const b = Date.parse(end);
    return Number.isNaN(a) || Number.isNaN(b) || a <= b;
  }
  return start.length !== end.length || start <= end;
};

// fhirpath's own narrative checker (the pinned 5.2.0), called directly: the same rules as `htmlChecks()` without
// building a FHIRPath evaluation context for every narrative, which cost more than the rest of a resource.
// fhirpath is an optional peer dependency: without it, txt-1 and txt-2 go the way of every other invariant this
// module does not hold, and are reported as not checked.
function loadHtmlChecker(): ((text: string, isFragment: boolean) => boolean) | undefined {
  try {
    const htmlEngine = createRequire(import.meta.url)('fhirpath/src/html-checks.js') as {
      _checkHtml?: (text: string, isFragment: boolean) => boolean;
    };
    return typeof htmlEngine._checkHtml === 'function' ? htmlEngine._checkHtml : undefined;
  } catch {
    return undefined;
  }
}
const checkHtml = loadHtmlChecker();

/**
 * txt-1 and txt-2 (`htmlChecks()`): the div is well-formed XHTML with only the allowed elements and attributes, and has
 * content.
 */
const narrativeChecks: NativeInvariant = (node) => typeof node !== 'string' || checkHtml!(node, false) === true;

/**
 * Invariants that run on (nearly) every element or resource, compiled to plain functions and
 * chosen by their exact expression text, R4 and STU3. Every other expression goes to fhirpath.
 */
export const NATIVE_INVARIANTS: ReadonlyMap<string, NativeInvariant> = new Map<string, NativeInvariant>([
  ['hasValue() or (children().count() > id.count())', hasValueOrChildren],
  ['hasValue() | (children().count() > id.count())', hasValueOrChildren],
  ['extension.exists() != value.exists()', extensionOrValue],
  ['contained.contained.empty()', (node) => containedOf(node).every((resource) => !present(resource['contained']))],
  ['contained.text.empty()', (node) => containedOf(node).every((resource) => !present(resource['text']))],
  [
    'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
    (node) =>
      containedOf(node).every(
        (resource) =>
          !isObject(resource['meta']) ||
          (!present(resource['meta']['versionId']) && !present(resource['meta']['lastUpdated'])),
      ),
  ],
  [
    'contained.meta.security.empty()',
    (node) =>
      containedOf(node).every((resource) => !isObject(resource['meta']) || !present(resource['meta']['security'])),
  ],
  ['text.`div`.exists()', (node) => isObject(node) && isObject(node['text']) && present(node['text']['div'])],
  [
    "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) |" +
      ' %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference =' +
      " '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) =" +
      " '#').exists()).not()).trace('unmatched', id).empty()",
    containedReferenced,
  ],
  ["contained.where(('#'+id in %resource.descendants().reference).not()).empty()", containedReferenced],
  [
    "reference.startsWith('#').not() or (reference.substring(1).trace('url') in" +
      " %rootResource.contained.id.trace('ids'))",
    localReferenceResolves,
  ],
  [
    "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %resource.contained.id.trace('ids'))",
    localReferenceResolves,
  ],
  ['start.hasValue().not() or end.hasValue().not() or (start <= end)', periodOrdered],
  ['start.empty() or end.empty() or (start <= end)', periodOrdered],
  ['code.empty() or system.exists()', (node) => !isObject(node) || !present(node['code']) || present(node['system'])],
  ['comparator.empty()', (node) => !isObject(node) || !present(node['comparator'])],
  ...(checkHtml === undefined
    ? []
    : ([
        ['htmlChecks()', narrativeChecks],
        ['htmlchecks()', narrativeChecks],
      ] as const)),
]);
