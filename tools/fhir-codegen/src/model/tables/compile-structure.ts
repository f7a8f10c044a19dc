import {
  elementTypes,
  type ElementDefinition,
  type ElementNode,
  fhirTypeCode,
  isRecord,
  maxOf,
  type Snapshot,
  valueKeys,
} from '../../fhir/index.js';
import type { ElementTable, InvariantTable, SlicingTable, StructureTable, TypeRef } from '@nhs-fhir/validation';

/** What compiling one snapshot needs from the rest of the closure. */
export interface StructureContext {
  /** The resource type a target profile constrains (`Patient` for UKCore-Patient); undefined when unresolved. */
  targetType(canonical: string): string | undefined;
  /** Registers an invariant and returns its id in the table. */
  invariant(invariant: InvariantTable): string;
  /** Registers a required binding's value set. */
  valueSet(canonical: string): void;
}

const BEST_PRACTICE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice';

/** A constraint its definition marks as best practice (dom-6): the HL7 validator lets users ignore these. */
const isBestPractice = (constraint: Record<string, unknown>): boolean =>
  Array.isArray(constraint['extension']) &&
  constraint['extension'].some(
    (extension) =>
      isRecord(extension) && extension['url'] === BEST_PRACTICE_EXTENSION && extension['valueBoolean'] === true,
  );

const capitalise = (code: string): string => code.charAt(0).toUpperCase() + code.slice(1);

/** A snapshot element with the places, in the same list, of its parent and of the element it slices. */
interface Placed {
  element: ElementDefinition;
  parent: number | undefined;
  sliced: number | undefined;
}

/**
 * The snapshot tree in its order (element, children, then slices): a slice has the parent of the element it slices;
 * a re-slice (`a/b`) slices `a`.
 */
function inSnapshotOrder(root: ElementNode): Placed[] {
  const placed: Placed[] = [];
  const visit = (node: ElementNode, parent: number | undefined, sliced: number | undefined): void => {
    const index = placed.length;
    placed.push({ element: node.element, parent, sliced });
    for (const child of node.children) visit(child, index, undefined);
    for (const slice of node.slices) visit(slice, parent, index);
  };
  visit(root, undefined, undefined);
  return placed;
}

function slicingOf(element: ElementDefinition): SlicingTable | undefined {
  const slicing = element['slicing'];
  if (!isRecord(slicing)) return undefined;
  const discriminators: SlicingTable['discriminators'] = [];
  for (const item of Array.isArray(slicing['discriminator']) ? slicing['discriminator'] : []) {
    // STU3 drafts wrote discriminators as bare paths (`@type` for the type); R4 and STU3 3.0 as {type, path}.
    if (typeof item === 'string')
      discriminators.push(item === '@type' ? { type: 'type', path: '$this' } : { type: 'value', path: item });
    else if (isRecord(item) && typeof item['path'] === 'string' && typeof item['type'] === 'string') {
      const type = item['type'];
      if (type === 'value' || type === 'pattern' || type === 'type' || type === 'profile' || type === 'exists')
        discriminators.push({ type, path: item['path'] });
    }
  }
  const rules = slicing['rules'];
  return {
    discriminators,
    rules: rules === 'closed' || rules === 'openAtEnd' ? rules : 'open',
    ordered: slicing['ordered'] === true,
  };
}

function bindingOf(element: ElementDefinition): { strength: 'required'; valueSet: string } | undefined {
  const binding = element['binding'];
  if (!isRecord(binding) || binding['strength'] !== 'required') return undefined;
  const reference = binding['valueSetReference'];
  const valueSet =
    binding['valueSet'] ?? binding['valueSetUri'] ?? (isRecord(reference) ? reference['reference'] : undefined);
  return typeof valueSet === 'string' ? { strength: 'required', valueSet } : undefined;
}

function typesOf(element: ElementDefinition, context: StructureContext): TypeRef[] {
  const raw = Array.isArray(element['type']) ? element['type'].filter(isRecord) : [];
  return elementTypes(element).map((type, position) => {
    const ref: TypeRef = { code: fhirTypeCode(raw[position] ?? { code: type.code }) };
    if (type.profiles.length > 0) ref.profiles = type.profiles;
    if (type.targetProfiles.length > 0) {
      const targets = type.targetProfiles.map((profile) => context.targetType(profile));
      // An unresolved target cannot be checked: leave the element's targets open rather than reject valid references.
      if (targets.every((target): target is string => target !== undefined)) ref.targets = [...new Set(targets)];
    }
    return ref;
  });
}

/**
 * Compiles one snapshot into a structure table: elements in snapshot order, each with its children
 * by JSON name (choice variants expanded), slices, cardinality, types, fixed/pattern values,
 * required bindings and invariant ids. Slice matchers are filled in afterwards (they may need
 * other structures: an extension slice's url lives in its extension definition).
 */
export function compileStructure(
  definition: Record<string, unknown>,
  snapshot: Snapshot,
  context: StructureContext,
): StructureTable {
  const kind = definition['kind'];
  const table: StructureTable = {
    url: String(definition['url']),
    name: String(definition['name'] ?? definition['id'] ?? ''),
    type: String(definition['type'] ?? ''),
    kind: kind === 'resource' || kind === 'complex-type' || kind === 'primitive-type' ? kind : 'logical',
    elements: [],
  };
  const contentRefs: { index: number; target: string }[] = [];
  for (const { element, parent, sliced } of inSnapshotOrder(snapshot.root)) {
    const id = typeof element['id'] === 'string' ? element['id'] : String(element['path'] ?? '');
    const path = String(element['path'] ?? id);
    const base = isRecord(element['base']) ? element['base'] : undefined;
    const baseMax = base !== undefined ? base['max'] : element['max'];
    const index = table.elements.length;
    const compiled: ElementTable = {
      id,
      path,
      min: typeof element['min'] === 'number' ? element['min'] : 0,
      max: ((max) => (max === undefined ? -1 : max === Infinity ? -1 : max))(maxOf(element)),
      array: index > 0 && baseMax !== '1' && baseMax !== '0',
      types: typesOf(element, context),
    };
    const fixed = valueKeys(element, 'fixed')[0];
    if (fixed !== undefined) compiled.fixed = element[fixed];
    const pattern = valueKeys(element, 'pattern')[0];
    if (pattern !== undefined) compiled.pattern = element[pattern];
    const binding = bindingOf(element);
    if (binding !== undefined) {
      compiled.binding = binding;
      context.valueSet(binding.valueSet);
    }
    const invariants: string[] = [];
    for (const constraint of Array.isArray(element['constraint']) ? element['constraint'].filter(isRecord) : []) {
      const { key, expression, severity, human } = constraint;
      if (typeof key !== 'string' || typeof expression !== 'string' || expression.trim() === '') continue;
      const invariantId = context.invariant({
        key,
        severity: severity === 'warning' ? 'warning' : 'error',
        human: typeof human === 'string' ? human : key,
        expression,
        ...(isBestPractice(constraint) ? { bestPractice: true as const } : {}),
      });
      if (!invariants.includes(invariantId)) invariants.push(invariantId);
    }
    if (invariants.length > 0) compiled.invariants = invariants;
    const slicing = slicingOf(element);
    if (slicing !== undefined) compiled.slicing = slicing;
    if (typeof element['contentReference'] === 'string')
      contentRefs.push({ index, target: element['contentReference'].replace(/^.*#/, '') });
    table.elements.push(compiled);
    if (sliced !== undefined) {
      compiled.sliceName = String(element['sliceName']);
      const slicedTable = table.elements[sliced]!;
      // A slice is some of its entry's items: the JSON shape (array or not) is the entry's.
      compiled.array = slicedTable.array;
      (slicedTable.slices ??= []).push(index);
      continue;
    }
    if (parent === undefined) continue;
    // A child, or an STU3 choice renamed in place (`medication[x]:medicationReference`, path `...medicationReference`).
    const parentTable = table.elements[parent]!;
    const jsonName = path.slice(path.lastIndexOf('.') + 1);
    const children = (parentTable.children ??= {});
    if (jsonName.endsWith('[x]')) {
      const stem = jsonName.slice(0, -3);
      const variants: Record<string, string> = {};
      for (const type of compiled.types) {
        variants[stem + capitalise(type.code)] = type.code;
        children[stem + capitalise(type.code)] = index;
      }
      compiled.variants = variants;
    } else children[jsonName] = index;
  }
  for (const { index, target } of contentRefs) {
    const found = table.elements.findIndex(
      (element) => element.id === target || (element.path === target && element.sliceName === undefined),
    );
    if (found !== -1) table.elements[index]!.contentRef = found;
  }
  return table;
}
