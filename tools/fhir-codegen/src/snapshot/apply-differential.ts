import { elementTypes, maxOf, minOf, type ElementDefinition, cloneTree, type ElementNode } from '../fhir/index.js';
import { locateElement, stepsOf } from './locate-element.js';
import { mergeConstraints, mergeElement } from './merge-element.js';
import type { SnapshotContext } from './snapshot-context.js';

/**
 * Applies a differential, element by element in its order, to a copy of the base snapshot tree
 * (the base tree itself is never changed: it is shared by every profile built on it).
 */
export function applyDifferential(
  base: ElementNode,
  differential: readonly ElementDefinition[],
  context: SnapshotContext,
): ElementNode {
  const root = cloneTree(base);
  const openSlices = new Map<string, string | undefined>();
  for (const diff of differential) {
    const label = String(diff['id'] ?? diff['path']);
    const steps = stepsOf(diff, openSlices);
    const idSlice = steps[steps.length - 1]?.idSlice;
    if (idSlice !== undefined)
      context.warn(
        'ID_SLICE_MISMATCH',
        label,
        `the id names slice ${idSlice} but sliceName is ${String(diff['sliceName'])}; the sliceName is used`,
      );
    const node = locateElement(root, steps, label, context);
    const before = withTypeProfile(node.element, diff, context);
    node.element = mergeElement(before, diff);
    checkNarrowing(before, node.element, label, context);
  }
  checkCardinality(root, context);
  return root;
}

/**
 * An element typed with a profile in the differential takes what that profile says of its root: its
 * constraints (a SimpleQuantity is still qty-3 and sqty-1); and, when the profile is an extension new
 * here, its short, definition and comment, a higher min and a narrower max. The element's own
 * differential, merged next, has the last word.
 */
function withTypeProfile(
  element: ElementDefinition,
  diff: ElementDefinition,
  context: SnapshotContext,
): ElementDefinition {
  const types = elementTypes(diff);
  const profile = types.length === 1 && types[0]!.profiles.length === 1 ? types[0]!.profiles[0]! : undefined;
  if (profile === undefined) return element;
  const definition = context.treeOf(profile)?.element;
  if (definition === undefined) {
    if (types[0]!.code === 'Extension')
      context.warn(
        'PROFILE_UNRESOLVED',
        String(diff['id'] ?? diff['path']),
        `extension definition ${profile} not found`,
      );
    return element;
  }
  const out = { ...element };
  // A resource profile (a contained resource) is checked as a resource; its root constraints (dom-2...) stay on its
  // root.
  if (definition['constraint'] !== undefined && context.kindOf(profile) !== 'resource')
    out['constraint'] = mergeConstraints(element['constraint'], definition['constraint']);
  // Constraints merge by key, so restating a type is harmless; the rest only when the profile is new here.
  if (types[0]!.code !== 'Extension' || elementTypes(element).some((type) => type.profiles.includes(profile)))
    return out;
  for (const key of ['short', 'definition', 'comment'] as const)
    if (definition[key] !== undefined) out[key] = definition[key];
  const [baseMin, extensionMin] = [minOf(element), minOf(definition)];
  if (baseMin !== undefined && extensionMin !== undefined && extensionMin > baseMin) out['min'] = extensionMin;
  const [baseMax, extensionMax] = [maxOf(element), maxOf(definition)];
  if (baseMax !== undefined && extensionMax !== undefined && extensionMax < baseMax) out['max'] = definition['max'];
  return out;
}

/**
 * A differential may only narrow: a wider min/max or a type the base lacks is reported, and the differential is kept.
 */
function checkNarrowing(
  before: ElementDefinition,
  after: ElementDefinition,
  label: string,
  context: SnapshotContext,
): void {
  const [baseMin, min, baseMax, max] = [minOf(before), minOf(after), maxOf(before), maxOf(after)];
  if (baseMin !== undefined && min !== undefined && min < baseMin)
    context.warn('CARDINALITY_WIDENED', label, `min ${min} is below the base min ${baseMin}`);
  if (baseMax !== undefined && max !== undefined && max > baseMax)
    context.warn(
      'CARDINALITY_WIDENED',
      label,
      `max ${String(after['max'])} is above the base max ${String(before['max'])}`,
    );
  const baseCodes = new Set(elementTypes(before).map((type) => type.code));
  const open =
    baseCodes.size === 0 ||
    baseCodes.has('*') ||
    baseCodes.has('Element') ||
    baseCodes.has('BackboneElement') ||
    baseCodes.has('Resource');
  for (const type of elementTypes(after)) {
    if (!open && !baseCodes.has(type.code))
      context.warn(
        'TYPE_NOT_IN_BASE',
        label,
        `type ${type.code} is not among the base types (${[...baseCodes].join(', ')})`,
      );
  }
}

/** min above max leaves a profile no instance can satisfy: reported once per element. */
function checkCardinality(root: ElementNode, context: SnapshotContext): void {
  const visit = (node: ElementNode): void => {
    const [min, max] = [minOf(node.element), maxOf(node.element)];
    if (min !== undefined && max !== undefined && min > max)
      context.warn(
        'MIN_ABOVE_MAX',
        String(node.element['id'] ?? node.name),
        `min ${min} is above max ${String(node.element['max'])}`,
      );
    node.children.forEach(visit);
    node.slices.forEach(visit);
  };
  visit(root);
}
