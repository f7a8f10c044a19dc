import { cloneJson, type ElementDefinition } from './element-definition.js';

/**
 * A snapshot as a tree: each node holds its element, its child elements, and the slices of it.
 * Flattening writes element, children, then slices, which is the order FHIR snapshots use, and
 * recomputes every `path` and `id` from the node names, so renames and new slices stay consistent.
 */
export interface ElementNode {
  /** Last path segment: `identifier`, `value[x]`, or a renamed choice `valueQuantity` (STU3). */
  name: string;
  element: ElementDefinition;
  children: ElementNode[];
  slices: ElementNode[];
  /**
   * The same node in the base's (never modified) tree: new slices start from it, not from this profile's constraints.
   */
  source: ElementNode | undefined;
  /**
   * The id segment when it is not `name:sliceName`: STU3 tools wrote a renamed choice as
   * `medication[x]:medicationReference`.
   */
  idSegment?: string;
  /**
   * Set when the builder added the slicing itself (a choice renamed in R4), so the choice's types follow its slices.
   */
  implicitTypeSlicing?: boolean;
}

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('.') + 1);
const sliceNameOf = (element: ElementDefinition): string | undefined =>
  typeof element['sliceName'] === 'string' ? element['sliceName'] : undefined;

export function newNode(
  name: string,
  element: ElementDefinition,
  children: ElementNode[] = [],
  slices: ElementNode[] = [],
): ElementNode {
  return { name, element, children, slices, source: undefined };
}

/** Builds the tree of a snapshot element list; the root node is the first element. */
export function treeFromElements(elements: readonly ElementDefinition[]): ElementNode {
  const first = elements[0];
  if (first === undefined) throw new Error('empty snapshot');
  const root = newNode(String(first['path']), first);
  // The latest node seen at each path: an element's parent is the latest node at its parent path.
  const latest = new Map<string, ElementNode>([[String(first['path']), root]]);
  for (const element of elements.slice(1)) {
    const path = String(element['path']);
    const dot = path.lastIndexOf('.');
    const parent = latest.get(path.slice(0, dot));
    if (parent === undefined) throw new Error(`element ${path} has no parent in the snapshot`);
    const name = lastSegment(path);
    const sliceName = sliceNameOf(element);
    const sliced =
      sliceName === undefined
        ? undefined
        : parent.children.find((child) => child.name === name && sliceNameOf(child.element) === undefined);
    const node = newNode(name, element);
    const idSegment = renamedChoiceIdSegment(element, name);
    if (idSegment !== undefined) node.idSegment = idSegment;
    if (sliced === undefined || sliceName === undefined) parent.children.push(node);
    else {
      // A re-slice `a/b` sits under slice `a`.
      const slash = sliceName.lastIndexOf('/');
      const owner = slash === -1 ? sliced : (findSlice(sliced, sliceName.slice(0, slash)) ?? sliced);
      owner.slices.push(node);
    }
    latest.set(path, node);
  }
  return root;
}

/** The last id segment of a renamed STU3 choice when it keeps the `[x]` form (`medication[x]:medicationReference`). */
function renamedChoiceIdSegment(element: ElementDefinition, name: string): string | undefined {
  const id = element['id'];
  if (typeof id !== 'string' || name.endsWith('[x]')) return undefined;
  const last = id.slice(id.lastIndexOf('.') + 1);
  const colon = last.indexOf(':');
  const idName = colon === -1 ? last : last.slice(0, colon);
  return idName.endsWith('[x]') && name.startsWith(idName.slice(0, -3)) ? last : undefined;
}

/** A slice of `sliced` by its full name (`a` or `a/b`). */
export function findSlice(sliced: ElementNode, sliceName: string): ElementNode | undefined {
  for (const slice of sliced.slices) {
    if (sliceNameOf(slice.element) === sliceName) return slice;
    const nested = sliceName.startsWith(`${String(sliceNameOf(slice.element))}/`)
      ? findSlice(slice, sliceName)
      : undefined;
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** A working copy of a base tree (which stays untouched): each copied node points back to its source. */
export function cloneTree(node: ElementNode, withSlices = true): ElementNode {
  const copy = newNode(
    node.name,
    cloneJson(node.element),
    node.children.map((child) => cloneTree(child)),
    withSlices ? node.slices.map((slice) => cloneTree(slice)) : [],
  );
  copy.source = node;
  if (node.idSegment !== undefined) copy.idSegment = node.idSegment;
  return copy;
}

/**
 * A built snapshot in both forms: the element list FHIR calls a snapshot, and the tree it was flattened from, whose
 * nodes hold those very elements (`root.element === elements[0]`), so either can be read without deriving the other.
 */
export interface Snapshot {
  /** Element, children, then slices, with `path` and `id` derived from the position. */
  elements: ElementDefinition[];
  root: ElementNode;
}

/**
 * Flattens a tree into a snapshot: each element written with `path` and `id` derived from its position (`copy`
 * applied first, for a caller that must own the result), and a tree of new nodes over the written elements.
 */
export function snapshotOf(
  root: ElementNode,
  copy: (element: ElementDefinition) => ElementDefinition = (element) => element,
): Snapshot {
  const elements: ElementDefinition[] = [];
  const visit = (node: ElementNode, path: string, parentId: string | undefined): ElementNode => {
    const sliceName = sliceNameOf(node.element);
    const segment = node.idSegment ?? `${node.name}${sliceName === undefined ? '' : `:${sliceName}`}`;
    const id = `${parentId === undefined ? '' : `${parentId}.`}${segment}`;
    const element = withPathAndId(copy(node.element), path, id);
    elements.push(element);
    const written = newNode(node.name, element);
    if (node.idSegment !== undefined) written.idSegment = node.idSegment;
    if (node.implicitTypeSlicing === true) written.implicitTypeSlicing = true;
    written.children = node.children.map((child) => visit(child, `${path}.${child.name}`, id));
    written.slices = node.slices.map((slice) => visit(slice, path, parentId));
    return written;
  };
  return { root: visit(root, root.name, undefined), elements };
}

/** `id`, `extension`, `path` and `sliceName` first, as published snapshots order them. */
function withPathAndId(element: ElementDefinition, path: string, id: string): ElementDefinition {
  const { id: _id, path: _path, extension, sliceName, ...rest } = element;
  return {
    id,
    ...(extension === undefined ? {} : { extension }),
    path,
    ...(sliceName === undefined ? {} : { sliceName }),
    ...rest,
  };
}
