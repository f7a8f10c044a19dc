import {
  choiceSuffix,
  elementTypes,
  typeMatchesSuffix,
  type ElementDefinition,
  findSlice,
  type ElementNode,
} from '../fhir/index.js';
import { expandSlice, expandTypeSlice, renameChoice, restrictChoice } from './expand-slice.js';
import type { SnapshotContext } from './snapshot-context.js';
import { SnapshotError } from './snapshot-issue.js';
import { unfoldChildren } from './unfold-type.js';

/** One step of an element's position: a path segment and, where the element is inside a slice, the slice name. */
export interface PathStep {
  /** The path segment (`valueQuantity` when the path renames a choice). */
  name: string;
  slice?: string;
  /** The id segment as written, when the id names the choice differently from the path (`value[x]:valueQuantity`). */
  idSegment?: string;
  /**
   * On the last step, the slice name the id gives when `sliceName` says another (an upstream defect; `sliceName` wins).
   */
  idSlice?: string;
}

/**
 * The steps of a differential element, read from its `id` (`Patient.identifier:nhsNumber.system`), or, when
 * there is no usable id (older STU3), from its `path` with the slices the preceding elements opened.
 */
export function stepsOf(diff: ElementDefinition, openSlices: Map<string, string | undefined>): PathStep[] {
  const path = String(diff['path']);
  const names = path.split('.');
  const sliceName = typeof diff['sliceName'] === 'string' ? diff['sliceName'] : undefined;
  const fromId = typeof diff['id'] === 'string' ? stepsFromId(diff['id'], names) : undefined;
  const steps: PathStep[] =
    fromId ?? names.map((name, at) => ({ name, ...sliceAt(openSlices, names.slice(0, at + 1).join('.')) }));
  const last = steps[steps.length - 1]!;
  if (fromId !== undefined && sliceName !== undefined && last.slice !== undefined && last.slice !== sliceName)
    last.idSlice = last.slice;
  if (sliceName !== undefined) last.slice = sliceName;
  // Remember the slice this element opens, for later elements without ids; deeper paths start unsliced.
  for (const key of [...openSlices.keys()]) if (key.startsWith(`${path}.`)) openSlices.delete(key);
  openSlices.set(path, sliceName);
  return steps;
}

const sliceAt = (openSlices: Map<string, string | undefined>, path: string): { slice?: string } => {
  const slice = openSlices.get(path);
  return slice === undefined ? {} : { slice };
};

/** Aligns id pieces with path segments (a slice name may hold a dot); undefined when they do not match. */
function stepsFromId(id: string, names: readonly string[]): PathStep[] | undefined {
  const pieces: string[] = [];
  for (const piece of id.split('.')) {
    const expected = names[pieces.length];
    const pieceName = piece.split(':')[0]!;
    if (
      expected !== undefined &&
      (pieceName === expected ||
        choiceSuffix(pieceName, expected) !== undefined ||
        choiceSuffix(expected, pieceName) !== undefined)
    )
      pieces.push(piece);
    else if (pieces.length > 0) pieces[pieces.length - 1] += `.${piece}`;
    else return undefined;
  }
  if (pieces.length !== names.length) return undefined;
  return pieces.map((piece, at) => {
    const colon = piece.indexOf(':');
    const name = names[at]!;
    const idName = colon === -1 ? piece : piece.slice(0, colon);
    const step: PathStep = colon === -1 ? { name } : { name, slice: piece.slice(colon + 1) };
    if (idName !== name) step.idSegment = piece;
    return step;
  });
}

/**
 * Walks the tree to the node a differential element constrains, unfolding types, renaming choices and
 * adding slices on the way. A step the base does not have is a SnapshotError.
 */
export function locateElement(
  root: ElementNode,
  steps: readonly PathStep[],
  label: string,
  context: SnapshotContext,
): ElementNode {
  const notFound = (detail: string): SnapshotError =>
    new SnapshotError('BASE_PATH_NOT_FOUND', { ...context.place, element: label }, detail);
  if (steps[0]?.name !== root.name) throw notFound(`base path not found in ${root.name} snapshot`);
  let node = root;
  // Whether the walk has entered a slice: R4 tools constrain a renamed choice there in place, not as a type slice.
  let inSlice = false;
  steps.forEach((step, at) => {
    if (at === 0) return;
    if (node.children.length === 0) {
      const reason = unfoldChildren(node, root.name, label, context);
      if (reason !== undefined)
        throw notFound(`base path not found in ${root.name} snapshot: cannot expand ${node.name}, ${reason}`);
    }
    node =
      childNamed(node, step.name, inSlice, label, context) ??
      (() => {
        throw notFound(`base path not found in ${root.name} snapshot`);
      })();
    if (context.release === 'STU3' && step.slice === step.name && step.name !== node.source?.name) {
      // STU3 tools gave a renamed choice its new name as slice name
      // (`Extension.valueCodeableConcept:valueCodeableConcept`); it is not a slice.
      if (step.idSegment !== undefined) node.idSegment = step.idSegment;
      return;
    }
    if (step.slice !== undefined && node.element['sliceName'] !== step.slice)
      node = expandSlice(node, step.slice, label, context);
    if (node.element['sliceName'] !== undefined || step.slice !== undefined) inSlice = true;
  });
  return node;
}

/** The child with this name, or the choice it renames (`valueQuantity` for `value[x]`). */
function childNamed(
  node: ElementNode,
  name: string,
  inSlice: boolean,
  label: string,
  context: SnapshotContext,
): ElementNode | undefined {
  const exact = node.children.find((child) => child.name === name);
  if (exact !== undefined) return exact;
  for (const child of node.children) {
    const suffix = choiceSuffix(child.name, name);
    if (suffix === undefined || !elementTypes(child.element).some((type) => typeMatchesSuffix(type.code, suffix)))
      continue;
    if (context.release === 'STU3') return renameChoice(child, name, suffix);
    const existing = findSlice(child, name);
    if (existing !== undefined) return existing;
    // R4: a type slice (`value[x]:valueQuantity`) at the top of a profile; inside a slice, or on a choice already down
    // to that one type, a restriction in place.
    const single = elementTypes(child.element).length === 1 && child.element['slicing'] === undefined;
    return inSlice || single ? restrictChoice(child, suffix) : expandTypeSlice(child, name, suffix, label, context);
  }
  return undefined;
}
