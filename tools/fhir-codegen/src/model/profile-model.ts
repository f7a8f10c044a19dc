import {
  CodegenError,
  type CodegenPlace,
  type ElementDefinition,
  fhirTypeCode,
  isRecord,
  type ValueSetExpander,
} from '../fhir/index.js';
import type { CanonicalIndex } from '../load/canonical-index.js';
import type { PackageResource } from '../load/package-store.js';

/**
 * The profile model: what a profile's snapshot says beyond its base type, as plain data. Each element
 * carries the profile's facts beside the base's (`min`/`baseMin`, `max`/`baseMax`, types, bindings),
 * so the emitter can tell what changed without reading a StructureDefinition.
 */
export interface ProfileModel {
  /** The TypeScript name: the StructureDefinition `name` as an identifier (`UKCorePatient`, `RARecordFlag1`). */
  name: string;
  /** The StructureDefinition `name` as written. */
  sdName: string;
  url: string;
  version?: string;
  packageKey: string;
  file: string;
  /** `resource`, `datatype` (an Identifier profile) or `extension` (an extension definition). */
  kind: 'resource' | 'datatype' | 'extension';
  /** The FHIR base type it constrains (`Patient`, `Identifier`, `Extension`). */
  type: string;
  short?: string;
  elements: ProfileElement[];
}

export interface ProfileElement {
  /** The element id (`Patient.identifier:nhsNumber.system`): unique, names the place in errors. */
  id: string;
  /** The JSON name without `[x]`. */
  name: string;
  choice: boolean;
  min: number;
  max: number | '*';
  /** Cardinality of the element in the base type (a repeating base element stays an array). */
  baseMin: number;
  baseMax: number | '*';
  /** Allowed types now, and the type codes the base allowed (choices: which variants were removed). */
  types: ProfileType[];
  baseTypes: string[];
  /** STU3 choices renamed in place (`whoReference` for `who[x]`): the choice's name; its other variants are gone. */
  renamedChoice?: string;
  /** Resource types the base's reference targets resolve to (absent: any). */
  baseTargets?: string[];
  /** Every type is a primitive (its JSON form has a `_name` sibling). */
  primitive: boolean;
  fixed?: unknown;
  pattern?: unknown;
  binding?: { strength: string; valueSet?: string; codes?: string[] };
  /** The base element's value set: a binding is new only when it names another one. */
  baseValueSet?: string;
  short?: string;
  /** Present only where the snapshot lists the children (unfolded datatype, backbone, constrained slice). */
  children?: ProfileElement[];
  slicing?: { discriminator: { type: string; path: string }[]; rules: string };
  slices?: ProfileSlice[];
}

export interface ProfileType {
  code: string;
  /** Resource types of the target profiles that resolve; absent when any target is unresolved or any resource. */
  targets?: string[];
  profiles?: string[];
}

export interface ProfileSlice {
  name: string;
  element: ProfileElement;
  /**
   * The values an item must carry to be in this slice (from value/pattern discriminators); absent when the
   * discriminator cannot be read statically.
   */
  match?: SliceMatchValue[];
  /** For extension slices: the url of the extension. */
  extensionUrl?: string;
}

export interface SliceMatchValue {
  /** Dot path below the item (`system`), or `` for `$this`. */
  path: string;
  value: unknown;
  /** pattern: the item contains the value; fixed: equals it. */
  pattern: boolean;
}

export interface ProfileModelContext {
  index: CanonicalIndex;
  expander: ValueSetExpander;
}

/** Builds the model of a constraint StructureDefinition from its snapshot elements. */
export function buildProfileModel(
  resource: PackageResource,
  snapshot: readonly ElementDefinition[],
  context: ProfileModelContext,
): ProfileModel {
  const sd = resource.json;
  const place: CodegenPlace = { input: resource.packageKey, file: resource.file };
  const type = sd['type'];
  if (typeof type !== 'string') throw new CodegenError('ELEMENT_INVALID', place, 'StructureDefinition has no type');
  const sdName = typeof sd['name'] === 'string' ? sd['name'] : String(sd['id'] ?? type);
  const kind = sd['kind'] === 'resource' ? 'resource' : type === 'Extension' ? 'extension' : 'datatype';
  const root = snapshot[0];
  if (root === undefined || root['path'] !== type)
    throw new CodegenError('SNAPSHOT_MISSING', place, `the snapshot must start with the root ${type}`);
  const base = new BaseLookup(context.index);
  const nodes = treeOf(snapshot.slice(1), type, place);
  const model: ProfileModel = {
    name: profileTypeName(sdName),
    sdName,
    url: String(sd['url']),
    ...(typeof sd['version'] === 'string' ? { version: sd['version'] } : {}),
    packageKey: resource.packageKey,
    file: resource.file,
    kind,
    type,
    ...(typeof root['short'] === 'string' ? { short: root['short'] } : {}),
    elements: nodes.map((node) => buildElement(node, { type, path: type }, base, context, place)),
  };
  return model;
}

/** `RARecord-Flag-1` -> `RARecordFlag1`; `UKCorePatient` stays. */
export function profileTypeName(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((part) => part !== '');
  const joined = parts.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return /^[0-9]/.test(joined) ? `P${joined}` : joined;
}

interface Node {
  element: ElementDefinition;
  /** The last id segment without its slice (`identifier`). */
  segment: string;
  children: Node[];
  slices: { name: string; node: Node }[];
}

/** Nests the flat snapshot by element id: children under their parent, `a:b` under the slices of `a`. */
function treeOf(elements: readonly ElementDefinition[], rootId: string, place: CodegenPlace): Node[] {
  const byId = new Map<string, Node>();
  const roots: Node[] = [];
  for (const element of elements) {
    const id = typeof element['id'] === 'string' ? element['id'] : undefined;
    if (id === undefined)
      throw new CodegenError(
        'ELEMENT_INVALID',
        { ...place, element: String(element['path']) },
        'snapshot element has no id',
      );
    const dot = lastDot(id);
    const parentId = id.slice(0, dot);
    let last = id.slice(dot + 1);
    // STU3 ids of renamed choices repeat the name as a slice (`Extension.valueCode:valueCode`): the element itself
    const repeated = /^([^:]+):\1$/.exec(last) ?? /^[A-Za-z]+\[x\]:([A-Za-z]+)$/.exec(last);
    if (repeated !== null && !byId.has(`${parentId}.${last.slice(0, last.indexOf(':'))}`)) last = repeated[1]!;
    else if (repeated !== null) repeated.length = 0;
    const colon = last.indexOf(':');
    const node: Node = { element, segment: colon < 0 ? last : last.slice(0, colon), children: [], slices: [] };
    byId.set(id, node);
    if (repeated !== null && repeated.length > 0) byId.set(`${parentId}.${repeated[0]}`, node);
    if (colon >= 0) {
      const sliced = byId.get(`${parentId}.${last.slice(0, Math.max(last.lastIndexOf('/'), colon))}`);
      if (sliced === undefined)
        throw new CodegenError('ELEMENT_INVALID', { ...place, element: id }, 'slice before its sliced element');
      sliced.slices.push({
        name: last.slice(last.lastIndexOf('/') > colon ? last.lastIndexOf('/') + 1 : colon + 1),
        node,
      });
      continue;
    }
    if (parentId === rootId) roots.push(node);
    else {
      const parent = byId.get(parentId);
      if (parent === undefined)
        throw new CodegenError('ELEMENT_INVALID', { ...place, element: id }, `element before its parent ${parentId}`);
      parent.children.push(node);
    }
  }
  return roots;
}

/** The last `.` of an id outside slice names (slice names may hold dots in a few STU3 profiles). */
function lastDot(id: string): number {
  let depth = -1;
  for (let i = id.length - 1; i >= 0; i--) {
    if (id[i] === '.' && depth < 0) return i;
    if (id[i] === ':') depth = -1;
  }
  return id.lastIndexOf('.');
}

/** Where an element sits in the base: the core type that defines it and its path there. */
interface BaseScope {
  type: string;
  path: string;
}

class BaseLookup {
  private readonly snapshots = new Map<string, Map<string, ElementDefinition>>();
  constructor(private readonly index: CanonicalIndex) {}

  /** The core definition of `type` (`http://hl7.org/fhir/StructureDefinition/<type>`), its elements by path. */
  elementsOf(type: string): Map<string, ElementDefinition> | undefined {
    let known = this.snapshots.get(type);
    if (known !== undefined) return known;
    const sd = this.index.resolve(`http://hl7.org/fhir/StructureDefinition/${type}`);
    const elements =
      sd !== undefined && isRecord(sd.json['snapshot']) && Array.isArray(sd.json['snapshot']['element'])
        ? sd.json['snapshot']['element'].filter(isRecord)
        : undefined;
    if (elements === undefined) return undefined;
    known = new Map();
    for (const element of elements)
      if (typeof element['path'] === 'string' && element['sliceName'] === undefined && !known.has(element['path']))
        known.set(element['path'], element);
    this.snapshots.set(type, known);
    return known;
  }

  /** The base element of child `segment` in `scope`; STU3 renamed choices (`valueQuantity`) find `value[x]`. */
  find(scope: BaseScope, segment: string): ElementDefinition | undefined {
    const elements = this.elementsOf(scope.type);
    if (elements === undefined) return undefined;
    const direct = elements.get(`${scope.path}.${segment}`);
    if (direct !== undefined) return direct;
    for (const [path, element] of elements) {
      if (!path.startsWith(`${scope.path}.`) || !path.endsWith('[x]')) continue;
      const name = path.slice(scope.path.length + 1, -3);
      if (!name.includes('.') && segment.startsWith(name) && /^[A-Z]/.test(segment.slice(name.length))) return element;
    }
    return undefined;
  }

  /** The scope children of a base element live in: the backbone in place, or the core type of a datatype. */
  childScope(scope: BaseScope, base: ElementDefinition): BaseScope | undefined {
    const path = String(base['path']);
    const reference = base['contentReference'];
    if (typeof reference === 'string') return { type: scope.type, path: reference.slice(reference.indexOf('#') + 1) };
    const codes = typeCodes(base);
    if (codes.length !== 1) return undefined;
    const code = codes[0]!;
    if (code === 'BackboneElement' || code === 'Element') {
      const elements = this.elementsOf(scope.type);
      if (elements !== undefined && [...elements.keys()].some((key) => key.startsWith(`${path}.`)))
        return { type: scope.type, path };
    }
    return this.elementsOf(code) === undefined ? undefined : { type: code, path: code };
  }
}

const typeCodes = (element: ElementDefinition): string[] =>
  Array.isArray(element['type']) ? element['type'].filter(isRecord).map((type) => fhirTypeCode(type)) : [];

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];

const parseMax = (max: unknown): number | '*' => (max === '*' || typeof max !== 'string' ? '*' : Number(max));

function buildElement(
  node: Node,
  scope: BaseScope,
  base: BaseLookup,
  context: ProfileModelContext,
  place: CodegenPlace,
): ProfileElement {
  const element = node.element;
  const id = String(element['id']);
  const baseElement = base.find(scope, node.segment);
  const choice = node.segment.endsWith('[x]');
  const types = typesOf(element, context);
  const baseTargets =
    baseElement === undefined
      ? undefined
      : typesOf(baseElement, context).find((type) => type.code === 'Reference')?.targets;
  const fixedKey = Object.keys(element).find((key) => key.startsWith('fixed'));
  const patternKey = Object.keys(element).find((key) => key.startsWith('pattern'));
  const model: ProfileElement = {
    id,
    name: node.segment.endsWith('[x]') ? node.segment.slice(0, -3) : node.segment,
    choice,
    min: typeof element['min'] === 'number' ? element['min'] : 0,
    max: parseMax(element['max']),
    baseMin: typeof baseElement?.['min'] === 'number' ? baseElement['min'] : 0,
    baseMax: parseMax(baseElement?.['max'] ?? element['max']),
    types,
    baseTypes: baseElement === undefined ? types.map((type) => type.code) : typeCodes(baseElement),
    ...(baseTargets !== undefined ? { baseTargets } : {}),
    ...(!choice && baseElement !== undefined && String(baseElement['path']).endsWith('[x]')
      ? { renamedChoice: String(baseElement['path']).slice(String(baseElement['path']).lastIndexOf('.') + 1, -3) }
      : {}),
    primitive: types.length > 0 && types.every((type) => /^[a-z]/.test(type.code)),
    ...(fixedKey !== undefined ? { fixed: element[fixedKey] } : {}),
    ...(patternKey !== undefined ? { pattern: element[patternKey] } : {}),
    ...(typeof element['short'] === 'string' ? { short: element['short'] } : {}),
  };
  return finishElement(model, node, element, scope, baseElement, base, context, place);
}

function typesOf(element: ElementDefinition, context: ProfileModelContext): ProfileType[] {
  const types: ProfileType[] = [];
  for (const entry of Array.isArray(element['type']) ? element['type'].filter(isRecord) : []) {
    const code = fhirTypeCode(entry);
    const targetProfiles = strings(entry['targetProfile']);
    const profiles = strings(entry['profile']);
    let type = types.find((known) => known.code === code);
    if (type === undefined) {
      type = { code };
      types.push(type);
    }
    if (profiles.length > 0) type.profiles = [...(type.profiles ?? []), ...profiles];
    if (targetProfiles.length > 0) {
      const targets = targetProfiles.map((url) => context.index.resolve(url)?.json['type']);
      const resolved =
        targets.every((target): target is string => typeof target === 'string') &&
        !targets.includes('Resource') &&
        !targets.includes('DomainResource');
      if (resolved) type.targets = [...new Set([...(type.targets ?? []), ...targets])].sort();
    }
  }
  return types;
}

function finishElement(
  model: ProfileElement,
  node: Node,
  element: ElementDefinition,
  scope: BaseScope,
  baseElement: ElementDefinition | undefined,
  base: BaseLookup,
  context: ProfileModelContext,
  place: CodegenPlace,
): ProfileElement {
  const id = model.id;
  const types = model.types;
  const binding = bindingOf(element);
  if (binding !== undefined) {
    const baseBinding = baseElement === undefined ? undefined : bindingOf(baseElement);
    if (baseBinding?.valueSet !== undefined) model.baseValueSet = baseBinding.valueSet;
    if (
      binding.valueSet !== undefined &&
      binding.valueSet !== baseBinding?.valueSet &&
      types.some((type) => type.code === 'code') &&
      (binding.strength === 'required' || binding.strength === 'extensible')
    ) {
      const codes = context.expander.expand(binding.valueSet);
      if (codes !== undefined) binding.codes = codes;
    }
    model.binding = binding;
  }
  // a choice narrowed to one type unfolds that type's children
  const narrowed =
    types.length === 1 && /^[A-Z]/.test(types[0]!.code) && base.elementsOf(types[0]!.code) !== undefined
      ? { type: types[0]!.code, path: types[0]!.code }
      : undefined;
  const childScope = (baseElement === undefined ? undefined : base.childScope(scope, baseElement)) ?? narrowed;
  if (node.children.length > 0) {
    if (childScope === undefined)
      throw new CodegenError(
        'ELEMENT_INVALID',
        { ...place, element: id },
        'element has children but its base type is not known',
      );
    model.children = node.children.map((child) => buildElement(child, childScope, base, context, place));
  }
  const slicing = element['slicing'];
  if (isRecord(slicing)) {
    model.slicing = {
      discriminator: (Array.isArray(slicing['discriminator']) ? slicing['discriminator'].filter(isRecord) : []).map(
        (entry) => ({ type: String(entry['type']), path: String(entry['path']) }),
      ),
      rules: typeof slicing['rules'] === 'string' ? slicing['rules'] : 'open',
    };
  }
  if (node.slices.length > 0) {
    model.slices = node.slices.map(({ name, node: sliceNode }) => {
      const sliceElement = buildElement({ ...sliceNode, segment: node.segment }, scope, base, context, place);
      const slice: ProfileSlice = { name, element: sliceElement };
      const extensionUrl = extensionUrlOf(sliceElement);
      if (extensionUrl !== undefined) slice.extensionUrl = extensionUrl;
      const match = sliceMatch(model.slicing, sliceElement, extensionUrl);
      if (match !== undefined) slice.match = match;
      return slice;
    });
  }
  return model;
}

function bindingOf(element: ElementDefinition): { strength: string; valueSet?: string; codes?: string[] } | undefined {
  const binding = element['binding'];
  if (!isRecord(binding) || typeof binding['strength'] !== 'string') return undefined;
  const reference = binding['valueSetReference'];
  const valueSet =
    typeof binding['valueSet'] === 'string'
      ? binding['valueSet']
      : typeof binding['valueSetUri'] === 'string'
        ? binding['valueSetUri']
        : isRecord(reference) && typeof reference['reference'] === 'string'
          ? reference['reference']
          : undefined;
  return { strength: binding['strength'], ...(valueSet !== undefined ? { valueSet } : {}) };
}

/** An extension slice's url: its type profile, or a fixed `url` child (sub-extensions of complex extensions). */
function extensionUrlOf(slice: ProfileElement): string | undefined {
  if (!slice.types.some((type) => type.code === 'Extension')) return undefined;
  const profile = slice.types[0]?.profiles?.[0];
  if (profile !== undefined) return profile;
  const url = slice.children?.find((child) => child.name === 'url');
  return typeof url?.fixed === 'string' ? url.fixed : undefined;
}

/** The discriminator values a slice fixes; undefined when any discriminator is not a readable value or pattern. */
function sliceMatch(
  slicing: ProfileElement['slicing'],
  slice: ProfileElement,
  extensionUrl: string | undefined,
): SliceMatchValue[] | undefined {
  if (slicing === undefined || slicing.discriminator.length === 0) return undefined;
  const match: SliceMatchValue[] = [];
  for (const discriminator of slicing.discriminator) {
    if (discriminator.type !== 'value' && discriminator.type !== 'pattern') return undefined;
    if (discriminator.path === 'url' && extensionUrl !== undefined) {
      match.push({ path: 'url', value: extensionUrl, pattern: false });
      continue;
    }
    const target = discriminator.path === '$this' ? slice : descendant(slice, discriminator.path.split('.'));
    if (target === undefined) return undefined;
    if (target.fixed !== undefined)
      match.push({
        path: discriminator.path === '$this' ? '' : discriminator.path,
        value: target.fixed,
        pattern: false,
      });
    else if (target.pattern !== undefined)
      match.push({
        path: discriminator.path === '$this' ? '' : discriminator.path,
        value: target.pattern,
        pattern: true,
      });
    else return undefined;
  }
  return match;
}

function descendant(element: ProfileElement, path: string[]): ProfileElement | undefined {
  let current: ProfileElement | undefined = element;
  for (const segment of path) {
    current = current?.children?.find((child) => child.name === segment || `${child.name}[x]` === segment);
    if (current === undefined) return undefined;
  }
  return current;
}
