import {
  CodegenError,
  type CodegenPlace,
  type ElementNode,
  extensionString,
  fhirTypeCode,
  isRecord,
  JSON_TYPE_EXTENSION,
  systemJsonType,
  ValueSetExpander,
} from '../fhir/index.js';
import type { CanonicalIndex } from '../load/canonical-index.js';
import type { PackageGraph } from '../load/package-graph.js';
import type { PackageResource } from '../load/package-store.js';
import { snapshotBuilder } from '../snapshot/build-snapshot.js';
import type {
  Binding,
  BindingStrength,
  ElementModel,
  ElementType,
  JsonPrimitive,
  PackageModel,
  TypeKind,
  TypeModel,
} from './type-model.js';

/** Type codes that stand for "any resource". */
const ANY_RESOURCE = new Set(['Resource', 'DomainResource']);
/** Elements that are XML attributes: their JSON form has no `_name` sibling. */
const ATTRIBUTE_ELEMENTS = new Set(['Element.id', 'Extension.url']);
const STRENGTHS = new Set<string>(['required', 'extensible', 'preferred', 'example']);

/** What a type name stands for in a package closure: the kinds the model needs to classify element types. */
export interface KnownType {
  kind: TypeKind;
  json?: JsonPrimitive;
}

/** Everything the model stage needs besides the StructureDefinition itself. */
export interface ModelContext {
  index: CanonicalIndex;
  /** FHIR type name -> kind, from the base (specialization) StructureDefinitions of the closure. */
  types: ReadonlyMap<string, KnownType>;
  expander: ValueSetExpander;
}

export function modelContext(graph: Pick<PackageGraph, 'closure' | 'index'>): ModelContext {
  const types = new Map<string, KnownType>();
  for (const pkg of graph.closure) {
    for (const resource of pkg.resources) {
      // kind and derivation from the package index: constraints are never parsed here
      if (resource.resourceType !== 'StructureDefinition' || resource.derivation === 'constraint') continue;
      const kind = resource.kind;
      const type = resource.json['type'];
      if (typeof type !== 'string' || types.has(type)) continue;
      if (kind === 'primitive-type') types.set(type, { kind, json: primitiveJsonType(resource.json) });
      else if (kind === 'complex-type' || kind === 'resource') types.set(type, { kind });
    }
  }
  // R4 4.0.1 types the value of positiveInt and unsignedInt as System.String: a primitive derived from another
  // primitive takes its JSON type
  for (const pkg of graph.closure) {
    for (const resource of pkg.resources) {
      if (resource.resourceType !== 'StructureDefinition' || resource.kind !== 'primitive-type') continue;
      const type = types.get(resource.json['type'] as string);
      const baseType = primitiveBase(resource.json, graph.index, types);
      if (type !== undefined && baseType?.json !== undefined) type.json = baseType.json;
    }
  }
  return { index: graph.index, types, expander: new ValueSetExpander(graph.index) };
}

function primitiveBase(
  sd: Record<string, unknown>,
  index: CanonicalIndex,
  types: ReadonlyMap<string, KnownType>,
  depth = 0,
): KnownType | undefined {
  const baseDefinition = sd['baseDefinition'];
  const base = typeof baseDefinition === 'string' ? index.resolve(baseDefinition) : undefined;
  if (base === undefined || base.json['kind'] !== 'primitive-type' || depth > 8) return undefined;
  return primitiveBase(base.json, index, types, depth + 1) ?? types.get(base.json['type'] as string);
}

/**
 * The concrete resources, the complex datatypes (with the abstract Element and BackboneElement), the primitives and the
 * abstract resources a package defines.
 */
export function buildPackageModel(graph: Pick<PackageGraph, 'root' | 'closure' | 'index'>): PackageModel {
  const context = modelContext(graph);
  const model: PackageModel = {
    packageKey: graph.root.key,
    fhirVersion: graph.root.fhirVersion,
    resources: [],
    complexTypes: [],
    primitives: [],
  };
  const seen = new Map<string, PackageResource>();
  for (const resource of graph.root.resources) {
    if (resource.resourceType !== 'StructureDefinition') continue;
    if (
      resource.derivation === 'constraint' ||
      (resource.kind !== 'resource' && resource.kind !== 'complex-type' && resource.kind !== 'primitive-type')
    )
      continue;
    const type = buildTypeModel(resource, context);
    const clash = seen.get(type.name);
    if (clash !== undefined)
      throw new CodegenError(
        'NAME_CLASH',
        { input: resource.packageKey, file: resource.file },
        `type ${type.name} is also defined by ${clash.file}`,
      );
    seen.set(type.name, resource);
    if (type.kind === 'resource' && type.abstract) (model.abstractResources ??= []).push(type);
    else if (type.kind === 'resource') model.resources.push(type);
    else if (type.kind === 'complex-type') model.complexTypes.push(type);
    else model.primitives.push(type);
  }
  for (const list of [model.resources, model.complexTypes, model.primitives, model.abstractResources ?? []])
    list.sort((a, b) => compareNames(a.name, b.name));
  return model;
}

/** Code-point order: the same on every machine and locale. */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The type model of one StructureDefinition, from its snapshot. */
export function buildTypeModel(resource: PackageResource, context: ModelContext): TypeModel {
  const sd = resource.json;
  const place: CodegenPlace = { input: resource.packageKey, file: resource.file };
  const name = sd['type'];
  const kind = sd['kind'];
  if (typeof name !== 'string') throw new CodegenError('ELEMENT_INVALID', place, 'StructureDefinition has no type');
  if (kind !== 'resource' && kind !== 'complex-type' && kind !== 'primitive-type')
    throw new CodegenError('ELEMENT_INVALID', place, `kind ${String(kind)} is not a resource or data type`);
  const snapshot =
    isRecord(sd['snapshot']) && Array.isArray(sd['snapshot']['element']) ? sd['snapshot']['element'] : undefined;
  if (snapshot === undefined || snapshot.length === 0)
    throw new CodegenError('SNAPSHOT_MISSING', place, `StructureDefinition ${name} has no snapshot`);
  const elements = snapshot.map((element, position) => {
    if (!isRecord(element) || typeof element['path'] !== 'string')
      throw new CodegenError(
        'ELEMENT_INVALID',
        { ...place, element: `snapshot.element[${position}]` },
        'element has no path',
      );
    return element;
  });
  const root = elements[0]!;
  if (root['path'] !== name)
    throw new CodegenError(
      'ELEMENT_INVALID',
      { ...place, element: String(root['path']) },
      `the first snapshot element must be the root ${name}`,
    );
  const baseDefinition = typeof sd['baseDefinition'] === 'string' ? sd['baseDefinition'] : undefined;
  const base =
    baseDefinition === undefined
      ? undefined
      : ((context.index.resolve(baseDefinition)?.json['type'] as string | undefined) ??
        baseDefinition.split('/').pop());
  const model: TypeModel = {
    name,
    kind,
    url: String(sd['url']),
    ...(typeof sd['version'] === 'string' ? { version: sd['version'] } : {}),
    packageKey: resource.packageKey,
    file: resource.file,
    derivation: sd['derivation'] === 'constraint' ? 'constraint' : 'specialization',
    abstract: sd['abstract'] === true,
    ...(base !== undefined ? { base } : {}),
    ...shortOf(root),
    elements: [],
  };
  if (kind === 'primitive-type') {
    model.json = context.types.get(name)?.json ?? primitiveJsonType(sd);
    return model;
  }
  // The snapshot stage's tree of the shipped snapshot (a snapshot whose elements do not nest is a SnapshotError there).
  model.elements = buildChildren(snapshotBuilder(context.index).tree(resource), name, place, context);
  return model;
}

/** The elements under `parent` in the snapshot tree, in snapshot order. */
function buildChildren(
  parent: ElementNode,
  parentPath: string,
  place: CodegenPlace,
  context: ModelContext,
): ElementModel[] {
  return (
    parent.children
      // base definitions have no slices; profiles are modelled by the profile stage
      .filter((child) => typeof child.element['sliceName'] !== 'string')
      .map((child) => buildElement(child, `${parentPath}.${child.name}`, place, context))
  );
}

function buildElement(node: ElementNode, path: string, place: CodegenPlace, context: ModelContext): ElementModel {
  const element = node.element;
  const at: CodegenPlace = { ...place, element: path };
  const last = node.name;
  const choice = last.endsWith('[x]');
  const min = element['min'];
  const max = element['max'];
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 0)
    throw new CodegenError('ELEMENT_INVALID', at, `min ${JSON.stringify(min)} is not a non-negative integer`);
  if (max !== '*' && (typeof max !== 'string' || !/^\d+$/.test(max)))
    throw new CodegenError('ELEMENT_INVALID', at, `max ${JSON.stringify(max)} is not a number or *`);
  const model: ElementModel = {
    path,
    name: choice ? last.slice(0, -3) : last,
    min,
    max: max === '*' ? '*' : Number(max),
    ...shortOf(element),
    choice,
    types: [],
    primitiveExtension: false,
  };
  const contentReference = element['contentReference'];
  if (typeof contentReference === 'string') {
    model.contentReference = contentReference.slice(contentReference.indexOf('#') + 1);
    return model;
  }
  model.types = elementTypes(element, at, context);
  if (model.types.length === 0)
    throw new CodegenError('NO_TYPES', at, 'element has neither a type nor a contentReference');
  if (model.types.length > 1 && !choice)
    throw new CodegenError('ELEMENT_INVALID', at, `element has ${model.types.length} types but is not a choice [x]`);
  const basePath =
    isRecord(element['base']) && typeof element['base']['path'] === 'string' ? element['base']['path'] : undefined;
  model.primitiveExtension =
    model.types.some((type) => type.kind === 'primitive' && type.code !== 'xhtml') &&
    !ATTRIBUTE_ELEMENTS.has(basePath ?? '');
  const binding = bindingOf(element, model.types, context);
  if (binding !== undefined) model.binding = binding;
  if (model.types[0]!.kind === 'backbone') {
    if (node.children.length === 0)
      throw new CodegenError('ELEMENT_INVALID', at, `a ${model.types[0]!.code} element must define its children`);
    model.children = buildChildren(node, path, place, context);
  }
  return model;
}

function elementTypes(element: Record<string, unknown>, at: CodegenPlace, context: ModelContext): ElementType[] {
  const types: ElementType[] = [];
  const raw = Array.isArray(element['type']) ? element['type'] : [];
  for (const entry of raw) {
    if (!isRecord(entry)) throw new CodegenError('ELEMENT_INVALID', at, 'type entry is not an object');
    const code = typeCode(entry);
    if (code === undefined) throw new CodegenError('ELEMENT_INVALID', at, 'type entry has no code');
    const targetProfiles = urls(entry['targetProfile']);
    const profiles = urls(entry['profile']);
    const existing = types.find((type) => type.code === code);
    if (existing !== undefined) {
      // STU3 repeats the type once per target profile: merge them
      if (targetProfiles.length > 0) existing.targetProfiles = [...(existing.targetProfiles ?? []), ...targetProfiles];
      if (existing.targetProfiles !== undefined)
        existing.targets = resolveTargets(existing.targetProfiles, at, context);
      continue;
    }
    const type: ElementType = { code, kind: 'complex' };
    if ((code === 'BackboneElement' || code === 'Element') && Array.isArray(element['type']) && raw.length === 1)
      type.kind = 'backbone';
    else if (ANY_RESOURCE.has(code)) type.kind = 'resource';
    else {
      const known = context.types.get(code);
      if (known === undefined)
        throw new CodegenError('TYPE_UNKNOWN', at, `type ${code} is not defined in the package closure`);
      if (known.kind === 'primitive-type') {
        type.kind = 'primitive';
        type.json = known.json ?? 'string';
      } else if (known.kind === 'resource') type.kind = 'resource';
    }
    if (targetProfiles.length > 0) {
      type.targetProfiles = targetProfiles;
      type.targets = resolveTargets(targetProfiles, at, context);
    }
    if (profiles.length > 0) type.profiles = profiles;
    types.push(type);
  }
  return types;
}

/** The resource type each target profile constrains; any-resource targets (`Resource`) make the list empty. */
function resolveTargets(targetProfiles: string[], at: CodegenPlace, context: ModelContext): string[] {
  const targets: string[] = [];
  for (const url of targetProfiles) {
    const sd = context.index.resolve(url);
    if (sd === undefined || sd.resourceType !== 'StructureDefinition')
      throw new CodegenError(
        'REF_UNRESOLVED',
        at,
        `target profile ${url} resolves to no StructureDefinition in the package closure`,
      );
    const type = sd.json['type'];
    if (typeof type !== 'string')
      throw new CodegenError('REF_UNRESOLVED', at, `target profile ${url} (${sd.file}) has no type`);
    if (ANY_RESOURCE.has(type)) return [];
    if (!targets.includes(type)) targets.push(type);
  }
  return targets;
}

/**
 * The FHIR type code; FHIRPath system types (R4 `id` and `url` of elements, primitive values) become their FHIR type.
 */
function typeCode(entry: Record<string, unknown>): string | undefined {
  return typeof entry['code'] === 'string' ? fhirTypeCode(entry, ['valueUrl', 'valueUri']) : undefined;
}

function bindingOf(element: Record<string, unknown>, types: ElementType[], context: ModelContext): Binding | undefined {
  const binding = element['binding'];
  if (!isRecord(binding) || typeof binding['strength'] !== 'string' || !STRENGTHS.has(binding['strength']))
    return undefined;
  const valueSetReference = binding['valueSetReference'];
  const valueSet =
    typeof binding['valueSet'] === 'string'
      ? binding['valueSet']
      : typeof binding['valueSetUri'] === 'string'
        ? binding['valueSetUri']
        : isRecord(valueSetReference) && typeof valueSetReference['reference'] === 'string'
          ? valueSetReference['reference']
          : undefined;
  const model: Binding = { strength: binding['strength'] as BindingStrength };
  if (valueSet !== undefined) model.valueSet = valueSet;
  if (typeof binding['description'] === 'string') model.description = binding['description'];
  if (model.strength === 'required' && valueSet !== undefined && types.some((type) => type.code === 'code')) {
    const codes = context.expander.expand(valueSet);
    if (codes !== undefined) model.codes = codes;
  }
  return model;
}

function primitiveJsonType(sd: Record<string, unknown>): JsonPrimitive {
  const snapshot =
    isRecord(sd['snapshot']) && Array.isArray(sd['snapshot']['element']) ? sd['snapshot']['element'] : [];
  const value = snapshot.find(
    (element): element is Record<string, unknown> =>
      isRecord(element) && typeof element['path'] === 'string' && element['path'].endsWith('.value'),
  );
  const type =
    value !== undefined && Array.isArray(value['type']) && isRecord(value['type'][0]) ? value['type'][0] : undefined;
  if (type === undefined) return 'string';
  const system = typeof type['code'] === 'string' ? systemJsonType(type['code']) : undefined;
  if (system === 'boolean' || system === 'number') return system;
  // STU3 writes the JSON type as an extension of `_code`
  const underscore = type['_code'];
  const jsonType = isRecord(underscore)
    ? extensionString(underscore['extension'], JSON_TYPE_EXTENSION, ['valueString'])
    : undefined;
  return jsonType === 'boolean' ? 'boolean' : jsonType === 'number' ? 'number' : 'string';
}

function urls(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((url): url is string => typeof url === 'string') : [];
}

function shortOf(element: Record<string, unknown>): { short?: string } {
  return typeof element['short'] === 'string' ? { short: element['short'] } : {};
}
