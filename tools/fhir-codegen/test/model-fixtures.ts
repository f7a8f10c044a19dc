/**
 * Small hand-written StructureDefinitions for the model and emit tests: a handful of primitives and
 * datatypes, shaped like the real R4 and STU3 ones but cut down to what a test needs.
 */
import { CanonicalIndex } from '../src/load/canonical-index.js';
import type { PackageGraph } from '../src/load/package-graph.js';
import { type LoadedPackage, type PackageResource, structureFields } from '../src/load/package-store.js';

export const HL7 = 'http://hl7.org/fhir/StructureDefinition/';
export const SYSTEM = 'http://hl7.org/fhirpath/System.';
const FHIR_TYPE = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';

export type Json = Record<string, unknown>;

/** A snapshot element: `el('Thing.name', 0, '*', ['string'])`. */
export function el(path: string, min: number, max: string, types: (string | Json)[] = [], extra: Json = {}): Json {
  const element: Json = { path, min, max, ...extra };
  if (types.length > 0) element['type'] = types.map((type) => (typeof type === 'string' ? { code: type } : type));
  return element;
}

/** A StructureDefinition with a snapshot whose first element is the root. */
export function sd(type: string, kind: string, elements: Json[], extra: Json = {}): Json {
  return {
    resourceType: 'StructureDefinition',
    id: type,
    url: `${HL7}${type}`,
    version: '4.0.1',
    kind,
    abstract: false,
    derivation: 'specialization',
    type,
    baseDefinition: kind === 'resource' ? `${HL7}DomainResource` : `${HL7}Element`,
    ...extra,
    snapshot: { element: [el(type, 0, '*', [], { short: `The ${type}` }), ...elements] },
  };
}

const systemType = (system: string, fhirType: string): Json => ({
  code: `${SYSTEM}${system}`,
  extension: [{ url: FHIR_TYPE, valueUrl: fhirType }],
});

function primitive(name: string, system: string, baseDefinition = `${HL7}Element`): Json {
  return sd(
    name,
    'primitive-type',
    [
      el(`${name}.id`, 0, '1', [systemType('String', 'string')], { base: { path: 'Element.id' } }),
      el(`${name}.value`, 0, '1', [{ code: `${SYSTEM}${system}` }]),
    ],
    { baseDefinition },
  );
}

/** Primitives, Element, Extension, Coding and Reference, R4-style (FHIRPath system types for ids and values). */
export const baseTypes: Json[] = [
  primitive('string', 'String'),
  primitive('boolean', 'Boolean'),
  primitive('code', 'String', `${HL7}string`),
  primitive('uri', 'String'),
  primitive('integer', 'Integer'),
  // as in R4 4.0.1: positiveInt's value is typed System.String, but it derives from integer
  primitive('positiveInt', 'String', `${HL7}integer`),
  primitive('xhtml', 'String'),
  sd(
    'Element',
    'complex-type',
    [
      el('Element.id', 0, '1', [systemType('String', 'string')], { base: { path: 'Element.id' } }),
      el('Element.extension', 0, '*', ['Extension']),
    ],
    { abstract: true, derivation: undefined, baseDefinition: undefined },
  ),
  sd('Extension', 'complex-type', [
    el('Extension.id', 0, '1', [systemType('String', 'string')], { base: { path: 'Element.id' } }),
    el('Extension.url', 1, '1', [systemType('String', 'uri')], { base: { path: 'Extension.url' } }),
    el('Extension.value[x]', 0, '1', ['string', 'boolean']),
  ]),
  sd('Coding', 'complex-type', [el('Coding.system', 0, '1', ['uri']), el('Coding.code', 0, '1', ['code'])]),
  sd('Reference', 'complex-type', [
    el('Reference.reference', 0, '1', ['string'], { short: 'Literal reference' }),
    el('Reference.type', 0, '1', ['uri']),
    el('Reference.display', 0, '1', ['string']),
  ]),
  sd('Resource', 'resource', [], { abstract: true, baseDefinition: undefined, derivation: undefined }),
  sd('Organization', 'resource', [el('Organization.name', 0, '1', ['string'])]),
  sd('Practitioner', 'resource', [el('Practitioner.active', 0, '1', ['boolean'])]),
];

/**
 * A package of the given resources (with the base types unless `withBase` is false), as loadPackageGraph would return
 * it.
 */
export function fixtureGraph(
  resources: Json[],
  withBase = true,
  key = 'fixture.core#4.0.1',
): Pick<PackageGraph, 'root' | 'closure' | 'index'> {
  const all = withBase ? [...baseTypes, ...resources] : resources;
  const packageResources: PackageResource[] = all.map((json) => ({
    resourceType: String(json['resourceType']),
    url: typeof json['url'] === 'string' ? json['url'] : undefined,
    version: typeof json['version'] === 'string' ? json['version'] : undefined,
    id: typeof json['id'] === 'string' ? json['id'] : undefined,
    file: `package/${String(json['resourceType'])}-${String(json['id'])}.json`,
    packageKey: key,
    ...structureFields(json),
    json,
  }));
  const [id = key, version = ''] = key.split('#');
  const root: LoadedPackage = {
    id,
    version,
    key,
    fhirVersion: '4.0.1',
    resources: packageResources,
    examples: [],
    dependencies: [],
  };
  return { root, closure: [root], index: new CanonicalIndex([root]) };
}

/** A resource `Thing` with the given snapshot elements. */
export const thing = (elements: Json[]): Json => sd('Thing', 'resource', elements);
