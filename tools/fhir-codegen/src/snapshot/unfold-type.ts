import { elementTypes, cloneTree, type ElementNode } from '../fhir/index.js';
import { coreTypeUrl, type SnapshotContext } from './snapshot-context.js';

/**
 * Gives an element without children the children of its type, so a differential can constrain them
 * (`Patient.identifier:nhsNumber.system` beneath Identifier). A single type profile (an extension
 * definition, a datatype profile) is unfolded from that profile's snapshot, else the core type's.
 * Returns a reason when it cannot.
 */
export function unfoldChildren(
  node: ElementNode,
  rootType: string,
  label: string,
  context: SnapshotContext,
): string | undefined {
  const reference = node.element['contentReference'];
  if (typeof reference === 'string') return unfoldContentReference(node, reference, rootType, context);
  const types = elementTypes(node.element);
  const codes = [...new Set(types.map((type) => type.code))];
  if (codes.length !== 1) return codes.length === 0 ? 'it has no type' : `it has several types (${codes.join(', ')})`;
  const code = codes[0]!;
  const profiles = [...new Set(types.flatMap((type) => type.profiles))];
  let tree: ElementNode | undefined;
  if (profiles.length === 1) {
    tree = context.treeOf(profiles[0]!);
    if (tree === undefined)
      context.warn('PROFILE_UNRESOLVED', label, `type profile ${profiles[0]!} not found; children taken from ${code}`);
  }
  tree ??= context.treeOf(coreTypeUrl(code));
  if (tree === undefined) return `its type ${code} has no StructureDefinition`;
  if (tree.children.length === 0) return `its type ${code} has no children`;
  node.children = tree.children.map((child) => cloneTree(child));
  return undefined;
}

/** `contentReference: #Questionnaire.item`: the children of the referenced element in the resource definition. */
function unfoldContentReference(
  node: ElementNode,
  reference: string,
  rootType: string,
  context: SnapshotContext,
): string | undefined {
  const path = reference.slice(reference.indexOf('#') + 1);
  const segments = path.split('.');
  let target = context.treeOf(coreTypeUrl(segments[0] ?? rootType));
  for (const segment of segments.slice(1)) target = target?.children.find((child) => child.name === segment);
  if (target === undefined) return `its content reference ${reference} was not found`;
  node.children = target.children.map((child) => cloneTree(child));
  return undefined;
}
