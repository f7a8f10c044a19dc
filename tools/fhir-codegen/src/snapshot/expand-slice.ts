import {
  choiceSuffix,
  elementTypes,
  typeMatchesSuffix,
  type ElementDefinition,
  cloneTree,
  findSlice,
  type ElementNode,
} from '../fhir/index.js';
import type { SnapshotContext } from './snapshot-context.js';

/**
 * Extensions are sliced by url, open, whenever a profile slices them without saying how (profiling rules,
 * "Extensions").
 */
export const DEFAULT_EXTENSION_SLICING = { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } as const;
/** A choice renamed in R4 (`valueQuantity`) is a type slice of `value[x]`. */
export const DEFAULT_CHOICE_SLICING = {
  discriminator: [{ type: 'type', path: '$this' }],
  ordered: false,
  rules: 'closed',
} as const;

const isExtensionSlot = (name: string): boolean => name === 'extension' || name === 'modifierExtension';
const sliceNameOf = (element: ElementDefinition): string | undefined =>
  typeof element['sliceName'] === 'string' ? element['sliceName'] : undefined;

/**
 * Finds the slice `sliceName` of `sliced`, or adds it after the existing ones. A new slice starts from the
 * base definition of the sliced element (not from this profile's constraints on it) with `min` 0: its
 * own differential sets `min`, never the constrained parent.
 */
export function expandSlice(
  sliced: ElementNode,
  sliceName: string,
  label: string,
  context: SnapshotContext,
): ElementNode {
  const existing = findSlice(sliced, sliceName);
  if (existing !== undefined) return existing;
  const slash = sliceName.lastIndexOf('/');
  const owner = slash === -1 ? sliced : (findSlice(sliced, sliceName.slice(0, slash)) ?? sliced);
  if (!ensureSlicing(owner, sliceName, label, context)) return owner;
  const slice = cloneTree(owner.source ?? owner, false);
  const { slicing: _slicing, sliceName: _sliceName, ...element } = slice.element;
  slice.element = { ...element, sliceName, min: 0 };
  owner.slices.push(slice);
  return slice;
}

/**
 * A slice needs a sliced element with `slicing`: extensions get the default url slicing, renamed choices the
 * type slicing; anything else is an upstream defect, reported, and the caller constrains the element itself.
 */
function ensureSlicing(owner: ElementNode, sliceName: string, label: string, context: SnapshotContext): boolean {
  if (owner.element['slicing'] !== undefined || sliceNameOf(owner.element) !== undefined) return true;
  if (isExtensionSlot(owner.name))
    owner.element = { ...owner.element, slicing: structuredClone(DEFAULT_EXTENSION_SLICING) };
  else if (namesChoiceType(owner, sliceName))
    owner.element = { ...owner.element, slicing: structuredClone(DEFAULT_CHOICE_SLICING) };
  else {
    context.warn(
      'SLICE_WITHOUT_SLICING',
      label,
      `slice ${sliceName} of ${owner.name}, which has no slicing: ` +
        `the element itself is constrained and named ${sliceName}`,
    );
    return false;
  }
  return true;
}

/** Whether a slice name is a renamed choice of one of the choice's types (`valueQuantity` of `value[x]`). */
const namesChoiceType = (choice: ElementNode, sliceName: string): boolean => {
  const suffix = choiceSuffix(choice.name, sliceName);
  return suffix !== undefined && elementTypes(choice.element).some((type) => typeMatchesSuffix(type.code, suffix));
};

/**
 * R4: `valueQuantity` names the type slice `value[x]:valueQuantity`, holding only that type. When the builder
 * added the slicing itself, the choice keeps only the types its slices name (closed type slicing).
 */
export function expandTypeSlice(
  choice: ElementNode,
  renamed: string,
  suffix: string,
  label: string,
  context: SnapshotContext,
): ElementNode {
  const existing = findSlice(choice, renamed);
  if (existing !== undefined) return existing;
  const implicit = choice.element['slicing'] === undefined;
  const slice = expandSlice(choice, renamed, label, context);
  slice.element = { ...slice.element, type: onlyType(slice.element, suffix) };
  if (implicit) choice.implicitTypeSlicing = true;
  if (choice.implicitTypeSlicing === true) {
    const kept = new Set(choice.slices.flatMap((each) => elementTypes(each.element).map((type) => type.code)));
    const types = Array.isArray(choice.element['type']) ? (choice.element['type'] as Record<string, unknown>[]) : [];
    choice.element = { ...choice.element, type: types.filter((type) => kept.has(String(type['code']))) };
  }
  return slice;
}

/** R4 inside a slice: `valueQuantity` keeps the name `value[x]` and only that type. */
export function restrictChoice(choice: ElementNode, suffix: string): ElementNode {
  choice.element = { ...choice.element, type: onlyType(choice.element, suffix) };
  return choice;
}

/** STU3: `valueQuantity` renames `value[x]` in place and keeps only that type. */
export function renameChoice(choice: ElementNode, renamed: string, suffix: string): ElementNode {
  choice.name = renamed;
  choice.element = { ...choice.element, type: onlyType(choice.element, suffix) };
  return choice;
}

const onlyType = (element: ElementDefinition, suffix: string): unknown[] =>
  (Array.isArray(element['type']) ? (element['type'] as Record<string, unknown>[]) : []).filter((type) =>
    typeMatchesSuffix(String(type['code']), suffix),
  );
