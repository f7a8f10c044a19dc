import { isRecord, elementTypes, valueKeys, type ElementDefinition } from '../fhir/index.js';

/** One way a built snapshot differs from a reference one, at an element id. */
export interface SnapshotDifference {
  element: string;
  aspect: 'ids' | 'cardinality' | 'types' | 'fixed' | 'pattern' | 'slicing' | 'binding' | 'constraints';
  built: string;
  shipped: string;
}

const text = (value: unknown): string => (value === undefined ? '-' : JSON.stringify(value));
const cardinality = (element: ElementDefinition): string => `${text(element['min'])}..${text(element['max'])}`;
const typesText = (element: ElementDefinition): string =>
  elementTypes(element)
    .map(
      (type) =>
        `${type.code}${type.profiles.length > 0 ? `(${type.profiles.join(',')})` : ''}` +
        `${type.targetProfiles.length > 0 ? `->(${type.targetProfiles.join(',')})` : ''}`,
    )
    .join(' | ');
const valuesText = (element: ElementDefinition, prefix: 'fixed' | 'pattern'): string =>
  valueKeys(element, prefix)
    .map((key) => `${key}=${text(element[key])}`)
    .join(' ');
const slicingText = (element: ElementDefinition): string => {
  const slicing = element['slicing'];
  if (!isRecord(slicing)) return '-';
  return text({
    discriminator: slicing['discriminator'],
    rules: slicing['rules'],
    ordered: slicing['ordered'] ?? false,
  });
};
const DEFAULT_EXTENSION_SLICING = text({
  discriminator: [{ type: 'value', path: 'url' }],
  rules: 'open',
  ordered: false,
});
const isExtensionElement = (element: ElementDefinition): boolean =>
  /\.(extension|modifierExtension)$/.test(String(element['path']));
const bindingText = (element: ElementDefinition): string => {
  const binding = element['binding'];
  if (!isRecord(binding)) return '-';
  const reference = isRecord(binding['valueSetReference']) ? binding['valueSetReference']['reference'] : undefined;
  const valueSet = binding['valueSet'] ?? binding['valueSetUri'] ?? reference;
  return `${String(binding['strength'])} ${String(valueSet ?? '-')}`;
};

/**
 * STU3 had no id rule for a renamed choice: Forge wrote `value[x]:valueQuantity` and `valueQuantity:valueQuantity`,
 * sometimes both in one snapshot (the element one way, its unfolded children the other). The path is the identity
 * there, so ids are compared with such a segment written `valueQuantity`.
 */
export function stu3ChoiceId(id: string): string {
  return id
    .replace(/(^|\.)([a-z][A-Za-z0-9]*)\[x\]:(\2[A-Z][A-Za-z0-9]*)(?=\.|$)/g, '$1$3')
    .replace(/(^|\.)([a-z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*):\2(?=\.|$)/g, '$1$2');
}
const withStu3ChoiceIds = (element: ElementDefinition): ElementDefinition => ({
  ...element,
  id: stu3ChoiceId(String(element['id'])),
});

const ASPECTS: readonly [SnapshotDifference['aspect'], (element: ElementDefinition, hasSlices: boolean) => string][] = [
  ['cardinality', cardinality],
  ['types', typesText],
  ['fixed', (element) => valuesText(element, 'fixed')],
  ['pattern', (element) => valuesText(element, 'pattern')],
  // Extensions are always sliced by url, open: saying so on an extension element without slices changes nothing (tools
  // differ on whether they write it).
  [
    'slicing',
    (element, hasSlices) =>
      isExtensionElement(element) && !hasSlices && slicingText(element) === DEFAULT_EXTENSION_SLICING
        ? '-'
        : slicingText(element),
  ],
  ['binding', bindingText],
];

const constraintKeys = (element: ElementDefinition, ignored: ReadonlySet<string>): string =>
  (Array.isArray(element['constraint']) ? element['constraint'] : [])
    .map((constraint) => (isRecord(constraint) ? String(constraint['key']) : '?'))
    .filter((key) => !ignored.has(key))
    .sort()
    .join(',');

export interface CompareOptions {
  release?: 'R4' | 'STU3';
  /**
   * Constraint keys not to compare on an element. Forge (STU3) copies the root constraints of each element's
   * type (ele-1, ref-1, per-1, ...) onto the element, which the STU3 core snapshots do not: they hold either way.
   */
  inheritedConstraints?: (element: ElementDefinition) => ReadonlySet<string>;
}

/**
 * Compares a built snapshot with a shipped one on what a model or validator depends on: element ids
 * in order, cardinality, types (code, profile, targetProfile), fixed and pattern values, slicing
 * (discriminators, rules, ordered), bindings (strength, value set) and constraint keys.
 */
export function compareSnapshots(
  built: readonly ElementDefinition[],
  shipped: readonly ElementDefinition[],
  options: CompareOptions = {},
): SnapshotDifference[] {
  if (options.release === 'STU3') [built, shipped] = [built.map(withStu3ChoiceIds), shipped.map(withStu3ChoiceIds)];
  const differences: SnapshotDifference[] = [];
  const builtIds = built.map((element) => String(element['id']));
  const shippedIds = shipped.map((element) => String(element['id']));
  if (builtIds.join('\n') !== shippedIds.join('\n')) {
    const builtSet = new Set(builtIds);
    const shippedSet = new Set(shippedIds);
    const extra = builtIds.filter((id) => !shippedSet.has(id));
    const missing = shippedIds.filter((id) => !builtSet.has(id));
    if (extra.length > 0 || missing.length > 0)
      differences.push({
        element: (extra[0] ?? missing[0])!,
        aspect: 'ids',
        built: `extra: ${extra.join(', ') || '-'}`,
        shipped: `missing: ${missing.join(', ') || '-'}`,
      });
    else
      differences.push({
        element: builtIds.find((id, at) => id !== shippedIds[at])!,
        aspect: 'ids',
        built: 'same ids, other order',
        shipped: '',
      });
  }
  const byId = new Map(built.map((element) => [String(element['id']), element]));
  const slicedIn = (elements: readonly ElementDefinition[]): Set<string> =>
    new Set(
      elements.flatMap((element) =>
        typeof element['sliceName'] === 'string'
          ? [String(element['id']).slice(0, String(element['id']).lastIndexOf(':'))]
          : [],
      ),
    );
  const [builtSliced, shippedSliced] = [slicedIn(built), slicedIn(shipped)];
  for (const reference of shipped) {
    const id = String(reference['id']);
    const mine = byId.get(id);
    if (mine === undefined) continue;
    for (const [aspect, show] of ASPECTS) {
      const [a, b] = [show(mine, builtSliced.has(id)), show(reference, shippedSliced.has(id))];
      if (a !== b) differences.push({ element: id, aspect, built: a, shipped: b });
    }
    const ignored = options.inheritedConstraints?.(reference) ?? new Set<string>();
    const [a, b] = [constraintKeys(mine, ignored), constraintKeys(reference, ignored)];
    if (a !== b) differences.push({ element: id, aspect: 'constraints', built: a, shipped: b });
  }
  return differences;
}
