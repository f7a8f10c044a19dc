import { type LoadedPackage, type PackageResource, structureFields } from '../../src/load/package-store.js';

// A hand-written miniature of the FHIR core: just enough resources and datatypes, with snapshots,
// to exercise each snapshot rule. Element definitions are cut down to the keys the builder reads.

type Json = Record<string, unknown>;

/** One snapshot element: `el('Patient.identifier', 0, '*', ['Identifier'])`. */
export function el(path: string, min: number, max: string, types: string[] = [], extra: Json = {}): Json {
  return { id: path, path, min, max, ...(types.length > 0 ? { type: types.map((code) => ({ code })) } : {}), ...extra };
}

const URL_SLICING = {
  discriminator: [{ type: 'value', path: 'url' }],
  description: 'Extensions are always sliced by (at least) url',
  rules: 'open',
};

export function definition(name: string, kind: string, elements: Json[], extra: Json = {}): Json {
  return {
    resourceType: 'StructureDefinition',
    id: name,
    url: `http://hl7.org/fhir/StructureDefinition/${name}`,
    name,
    kind,
    type: name,
    derivation: 'specialization',
    snapshot: { element: elements },
    ...extra,
  };
}

export const coreDefinitions: Json[] = [
  definition('Patient', 'resource', [
    el('Patient', 0, '*', [], { constraint: [{ key: 'dom-2', severity: 'error', human: 'no nested contained' }] }),
    el('Patient.id', 0, '1', ['string']),
    el('Patient.contained', 0, '*', ['Resource']),
    el('Patient.extension', 0, '*', ['Extension']),
    el('Patient.identifier', 0, '*', ['Identifier']),
    el('Patient.gender', 0, '1', ['code'], {
      binding: { strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1' },
    }),
    el('Patient.generalPractitioner', 0, '*', ['Reference']),
    el('Patient.link', 0, '*', ['BackboneElement']),
    el('Patient.link.other', 1, '1', ['Reference']),
    el('Patient.link.type', 1, '1', ['code']),
  ]),
  definition('Observation', 'resource', [
    el('Observation', 0, '*'),
    el('Observation.code', 1, '1', ['CodeableConcept']),
    el('Observation.value[x]', 0, '1', ['Quantity', 'string', 'CodeableConcept']),
    el('Observation.referenceRange', 0, '*', ['BackboneElement']),
    el('Observation.referenceRange.low', 0, '1', ['Quantity']),
    el('Observation.referenceRange.text', 0, '1', ['string']),
    el('Observation.component', 0, '*', ['BackboneElement']),
    el('Observation.component.code', 1, '1', ['CodeableConcept']),
    el('Observation.component.value[x]', 0, '1', ['Quantity', 'string']),
    { ...el('Observation.component.referenceRange', 0, '*'), contentReference: '#Observation.referenceRange' },
  ]),
  definition('Flag', 'resource', [
    el('Flag', 0, '*'),
    el('Flag.contained', 0, '*', ['Resource']),
    el('Flag.code', 1, '1', ['CodeableConcept']),
  ]),
  definition('Provenance', 'resource', [
    el('Provenance', 0, '*'),
    el('Provenance.target', 1, '*', ['Reference']),
    el('Provenance.recorded', 1, '1', ['instant']),
  ]),
  definition('Identifier', 'complex-type', [
    el('Identifier', 0, '*'),
    el('Identifier.id', 0, '1', ['string']),
    el('Identifier.extension', 0, '*', ['Extension'], { slicing: URL_SLICING }),
    el('Identifier.system', 0, '1', ['uri']),
    el('Identifier.value', 0, '1', ['string']),
  ]),
  definition('Extension', 'complex-type', [
    el('Extension', 0, '*'),
    el('Extension.id', 0, '1', ['string']),
    el('Extension.extension', 0, '*', ['Extension'], { slicing: URL_SLICING }),
    el('Extension.url', 1, '1', ['uri']),
    el('Extension.value[x]', 0, '1', ['string', 'CodeableConcept', 'boolean']),
  ]),
  definition('CodeableConcept', 'complex-type', [
    el('CodeableConcept', 0, '*'),
    el('CodeableConcept.coding', 0, '*', ['Coding']),
    el('CodeableConcept.text', 0, '1', ['string']),
  ]),
  definition('Coding', 'complex-type', [
    el('Coding', 0, '*'),
    el('Coding.system', 0, '1', ['uri']),
    el('Coding.code', 0, '1', ['code']),
  ]),
  definition('Quantity', 'complex-type', [
    el('Quantity', 0, '*'),
    el('Quantity.value', 0, '1', ['decimal']),
    el('Quantity.unit', 0, '1', ['string']),
  ]),
  definition('Reference', 'complex-type', [el('Reference', 0, '*'), el('Reference.reference', 0, '1', ['string'])]),
  definition(
    'SimpleQuantity',
    'complex-type',
    [
      el('Quantity', 0, '*', [], { constraint: [{ key: 'sqty-1', severity: 'error', human: 'no comparator' }] }),
      el('Quantity.value', 0, '1', ['decimal']),
      el('Quantity.unit', 0, '1', ['string']),
    ],
    { type: 'Quantity', derivation: 'constraint', baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Quantity' },
  ),
];

const EXT = 'https://example.org/StructureDefinition';

/** Extension definitions and a base profile, as an IG would ship them (differential only). */
export const igDefinitions: Json[] = [
  {
    resourceType: 'StructureDefinition',
    id: 'Extension-EthnicCategory',
    url: `${EXT}/Extension-EthnicCategory`,
    type: 'Extension',
    kind: 'complex-type',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: {
      element: [
        {
          id: 'Extension',
          path: 'Extension',
          short: 'Ethnic category',
          definition: 'The ethnicity of the subject.',
          min: 0,
          max: '1',
        },
        { id: 'Extension.url', path: 'Extension.url', fixedUri: `${EXT}/Extension-EthnicCategory` },
        { id: 'Extension.value[x]', path: 'Extension.value[x]', type: [{ code: 'CodeableConcept' }] },
      ],
    },
  },
  {
    resourceType: 'StructureDefinition',
    id: 'Extension-Required',
    url: `${EXT}/Extension-Required`,
    type: 'Extension',
    kind: 'complex-type',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: { element: [{ id: 'Extension', path: 'Extension', short: 'Always there', min: 1, max: '1' }] },
  },
  {
    resourceType: 'StructureDefinition',
    id: 'ProvenanceWithRule',
    url: `${EXT}/ProvenanceWithRule`,
    type: 'Provenance',
    kind: 'resource',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Provenance',
    derivation: 'constraint',
    differential: {
      element: [
        {
          id: 'Provenance',
          path: 'Provenance',
          constraint: [{ key: 'prov-x', severity: 'error', human: 'a rule of the resource' }],
        },
      ],
    },
  },
  {
    resourceType: 'StructureDefinition',
    id: 'BasePatient',
    url: `${EXT}/BasePatient`,
    type: 'Patient',
    kind: 'resource',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: {
      element: [
        {
          id: 'Patient.identifier',
          path: 'Patient.identifier',
          min: 1,
          slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
        },
        { id: 'Patient.identifier:nhsNumber', path: 'Patient.identifier', sliceName: 'nhsNumber', max: '1' },
        {
          id: 'Patient.identifier:nhsNumber.system',
          path: 'Patient.identifier.system',
          min: 1,
          fixedUri: 'https://fhir.nhs.uk/Id/nhs-number',
        },
      ],
    },
  },
];

/** A closure as the loader would give it, built in memory: the IG first, then the core. */
export function closure(
  fhirVersion: string,
  ig: Json[] = igDefinitions,
  core: Json[] = coreDefinitions,
): LoadedPackage[] {
  const resources = (key: string, list: Json[]): PackageResource[] =>
    list.map((json) => ({
      resourceType: 'StructureDefinition',
      url: String(json['url']),
      version: undefined,
      id: String(json['id']),
      file: `package/StructureDefinition-${String(json['id'])}.json`,
      packageKey: key,
      ...structureFields(json),
      json: { ...json, fhirVersion },
    }));
  const pkg = (id: string, list: Json[]): LoadedPackage => ({
    id,
    version: '1.0.0',
    key: `${id}#1.0.0`,
    fhirVersion,
    resources: resources(`${id}#1.0.0`, list),
    examples: [],
    dependencies: [],
  });
  return [pkg('fixture.ig', ig), pkg('fixture.core', core)];
}
