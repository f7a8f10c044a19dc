import {
  choiceSuffix,
  CodegenError,
  type CodegenPlace,
  type ElementDefinition,
  type ElementNode,
  fhirTypeCode,
  isRecord,
  type Snapshot,
  type ValueSetExpander,
} from '../fhir/index.js';
import type { CanonicalIndex } from '../load/canonical-index.js';
import type { PackageResource } from '../load/package-store.js';
import { type SnapshotBuilder, snapshotBuilder } from '../snapshot/build-snapshot.js';
import { SnapshotError } from '../snapshot/snapshot-issue.js';

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

/** Builds the model of a constraint StructureDefinition from its snapshot tree (children and slices as built). */
export function buildProfileModel(
  resource: PackageResource,
  snapshot: Snapshot,
  context: ProfileModelContext,
): ProfileModel {
  const sd = resource.json;
  const place: CodegenPlace = { input: resource.packageKey, file: resource.file };
  const type = sd['type'];
  if (typeof type !== 'string') throw new CodegenError('ELEMENT_INVALID', place, 'StructureDefinition has no type');
  const sdName = typeof sd['name'] === 'string' ? sd['name'] : String(sd['id'] ?? type);
  const kind = sd['kind'] === 'resource' ? 'resource' : type === 'Extension' ? 'extension' : 'datatype';
  const root = snapshot.root.element;
  if (root['path'] !== type)
    throw new CodegenError('SNAPSHOT_MISSING', place, `the snapshot must start with the root ${type}`);
  const base = new BaseLookup(context.index);
  const scope = base.typeScope(type);
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
    elements: snapshot.root.children.map((node) => buildElement(node, node.name, scope, base, context, place)),
  };
  return model;
}

/** `RARecord-Flag-1` -> `RARecordFlag1`; `UKCorePatient` stays. */
export function profileTypeName(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((part) => part !== '');
  const joined = parts.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
  return /^[0-9]/.test(joined) ? `P${joined}` : joined;
}

/** Where an element sits in the base: the node of the core type's snapshot tree whose children it constrains. */
interface BaseScope {
  /** The core type that defines the node (a content reference points into it). */
  type: string;
  node: ElementNode;
}

/** The core definitions profile elements are compared with, read from the snapshot stage's trees. */
class BaseLookup {
  private readonly snapshots: SnapshotBuilder;
  constructor(index: CanonicalIndex) {
    this.snapshots = snapshotBuilder(index);
  }

  /** The root of the core definition of `type` (`http://hl7.org/fhir/StructureDefinition/<type>`). */
  typeScope(type: string): BaseScope | undefined {
    try {
      const node = this.snapshots.treeOfCanonical(`http://hl7.org/fhir/StructureDefinition/${type}`);
      return node === undefined ? undefined : { type, node };
    } catch (error) {
      // A core type without a usable snapshot is no base to compare with, as if it were absent.
      if (error instanceof SnapshotError) return undefined;
      throw error;
    }
  }

  /** The base element of child `segment` in `scope`; STU3 renamed choices (`valueQuantity`) find `value[x]`. */
  find(scope: BaseScope | undefined, segment: string): ElementNode | undefined {
    const children = scope?.node.children ?? [];
    return (
      children.find((child) => child.name === segment) ??
      children.find((child) => choiceSuffix(child.name, segment) !== undefined)
    );
  }

  /** The scope children of a base element live in: the backbone in place, or the core type of a datatype. */
  childScope(scope: BaseScope, base: ElementNode): BaseScope | undefined {
    const reference = base.element['contentReference'];
    if (typeof reference === 'string') {
      const [type, ...names] = reference.slice(reference.indexOf('#') + 1).split('.');
      let node = type === scope.type ? this.typeScope(scope.type)?.node : undefined;
      for (const name of names) node = node?.children.find((child) => child.name === name);
      return node === undefined ? undefined : { type: scope.type, node };
    }
    const codes = typeCodes(base.element);
    if (codes.length !== 1) return undefined;
    const code = codes[0]!;
    if ((code === 'BackboneElement' || code === 'Element') && base.children.length > 0)
      return { type: scope.type, node: base };
    return this.typeScope(code);
  }
}

/** A slice's own name: `b` of the re-slice `a/b`, which sits among the slices of `a`. */
const sliceNameOf = (node: ElementNode): string => {
  const sliceName = String(node.element['sliceName']);
  return sliceName.slice(sliceName.lastIndexOf('/') + 1);
};

const typeCodes = (element: ElementDefinition): string[] =>
  Array.isArray(element['type']) ? element['type'].filter(isRecord).map((type) => fhirTypeCode(type)) : [];

const strings = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string')
      : [];

const parseMax = (max: unknown): number | '*' => (max === '*' || typeof max !== 'string' ? '*' : Number(max));

/** One element of the profile: `segment` is its name in its parent (a slice's is the sliced element's). */
function buildElement(
  node: ElementNode,
  segment: string,
  scope: BaseScope | undefined,
  base: BaseLookup,
  context: ProfileModelContext,
  place: CodegenPlace,
): ProfileElement {
  const element = node.element;
  const id = String(element['id']);
  const baseNode = base.find(scope, segment);
  const baseElement = baseNode?.element;
  const choice = segment.endsWith('[x]');
  const types = typesOf(element, context);
  const baseTargets =
    baseElement === undefined
      ? undefined
      : typesOf(baseElement, context).find((type) => type.code === 'Reference')?.targets;
  const fixedKey = Object.keys(element).find((key) => key.startsWith('fixed'));
  const patternKey = Object.keys(element).find((key) => key.startsWith('pattern'));
  const model: ProfileElement = {
    id,
    name: choice ? segment.slice(0, -3) : segment,
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
  return finishElement(model, node, segment, scope, baseNode, base, context, place);
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
  node: ElementNode,
  segment: string,
  scope: BaseScope | undefined,
  baseNode: ElementNode | undefined,
  base: BaseLookup,
  context: ProfileModelContext,
  place: CodegenPlace,
): ProfileElement {
  const { id, types } = model;
  const { element } = node;
  const baseElement = baseNode?.element;
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
  const narrowed = types.length === 1 && /^[A-Z]/.test(types[0]!.code) ? base.typeScope(types[0]!.code) : undefined;
  const childScope =
    (baseNode === undefined || scope === undefined ? undefined : base.childScope(scope, baseNode)) ?? narrowed;
  if (node.children.length > 0) {
    if (childScope === undefined)
      throw new CodegenError(
        'ELEMENT_INVALID',
        { ...place, element: id },
        'element has children but its base type is not known',
      );
    model.children = node.children.map((child) => buildElement(child, child.name, childScope, base, context, place));
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
    model.slices = node.slices.map((sliceNode) => {
      const sliceElement = buildElement(sliceNode, segment, scope, base, context, place);
      const slice: ProfileSlice = { name: sliceNameOf(sliceNode), element: sliceElement };
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
