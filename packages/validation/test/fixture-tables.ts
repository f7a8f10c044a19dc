import type { ElementTable, StructureTable, TypeRef, ValidationTables } from '../src/tables.js';

// Hand-written validator tables: a miniature R4 (a few primitives, datatypes, Patient, Organization,
// Observation) and two Patient profiles, written the way the compiler writes them, so each runtime
// check can be tested on its own without the real packages.

type Extra = Partial<Omit<ElementTable, 'id' | 'path' | 'min' | 'max' | 'types'>>;
type Row = [id: string, min: number, max: string, types: (string | TypeRef)[], extra?: Extra];

const BASE = 'http://hl7.org/fhir/StructureDefinition';
export const PROFILE = 'https://example.org/StructureDefinition/TestPatient';
export const CLOSED_PROFILE = 'https://example.org/StructureDefinition/ClosedPatient';
export const ETHNIC = 'https://example.org/StructureDefinition/Extension-Ethnic';

const cap = (code: string): string => code.charAt(0).toUpperCase() + code.slice(1);

/** Builds a structure table from rows, deriving children, variants and slices from the ids as the compiler does. */
function structure(url: string, type: string, kind: StructureTable['kind'], rows: Row[]): StructureTable {
  const elements: ElementTable[] = [];
  const byId = new Map<string, number>();
  for (const [id, min, max, types, extra] of rows) {
    const segment = id.slice(id.lastIndexOf('.') + 1);
    const path = id.replace(/:[^.]+/g, '');
    const element: ElementTable = {
      id,
      path,
      min,
      max: max === '*' ? -1 : Number(max),
      array: elements.length > 0 && max !== '1' && max !== '0',
      types: types.map((t) => (typeof t === 'string' ? { code: t } : t)),
      ...extra,
    };
    const index = elements.length;
    elements.push(element);
    byId.set(id, index);
    if (index === 0) continue;
    const colon = segment.indexOf(':');
    if (colon !== -1) {
      element.sliceName = segment.slice(colon + 1);
      const owner = elements[byId.get(id.slice(0, id.length - segment.length + colon))!]!;
      element.array = owner.array;
      (owner.slices ??= []).push(index);
      continue;
    }
    const parent = elements[byId.get(id.slice(0, id.lastIndexOf('.')))!]!;
    const children = (parent.children ??= {});
    if (segment.endsWith('[x]')) {
      element.variants = {};
      for (const t of element.types) {
        element.variants[segment.slice(0, -3) + cap(t.code)] = t.code;
        children[segment.slice(0, -3) + cap(t.code)] = index;
      }
    } else children[segment] = index;
  }
  return { url, name: url.slice(url.lastIndexOf('/') + 1), type, kind, elements };
}

const ele1 = { invariants: ['ele-1'] };
const dt = (type: string, rows: Row[]): StructureTable =>
  structure(`${BASE}/${type}`, type, 'complex-type', [
    [type, 0, '*', [], ele1],
    [`${type}.id`, 0, '1', ['string']],
    [`${type}.extension`, 0, '*', ['Extension'], { invariants: ['ele-1', 'ext-1'] }],
    ...rows,
  ]);
const resource = (type: string, rows: Row[], rootInvariants: string[] = ['dom-2', 'dom-3']): StructureTable =>
  structure(`${BASE}/${type}`, type, 'resource', [
    [type, 0, '*', [], { invariants: rootInvariants }],
    [`${type}.id`, 0, '1', ['id']],
    [`${type}.meta`, 0, '1', ['Meta']],
    [`${type}.contained`, 0, '*', ['Resource']],
    [`${type}.extension`, 0, '*', ['Extension'], { invariants: ['ele-1', 'ext-1'] }],
    ...rows,
  ]);

const patientRows = (profiled: boolean): Row[] => [
  [
    'Patient.identifier',
    profiled ? 1 : 0,
    '*',
    ['Identifier'],
    profiled ? { slicing: { discriminators: [{ type: 'value', path: 'system' }], rules: 'open', ordered: false } } : {},
  ],
  ['Patient.active', 0, '1', ['boolean'], profiled ? { fixed: true } : {}],
  [
    'Patient.gender',
    0,
    '1',
    ['code'],
    { binding: { strength: 'required', valueSet: 'http://hl7.org/fhir/ValueSet/administrative-gender' } },
  ],
  ['Patient.birthDate', 0, '1', ['date']],
  ['Patient.deceased[x]', 0, '1', ['boolean', 'dateTime']],
  [
    'Patient.maritalStatus',
    0,
    '1',
    ['CodeableConcept'],
    profiled ? { pattern: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus' }] } } : {},
  ],
  ['Patient.language', 0, '1', ['code'], { binding: { strength: 'required', valueSet: 'urn:ietf:bcp:47' } }],
  ['Patient.generalPractitioner', 0, '*', [{ code: 'Reference', targets: ['Organization', 'Practitioner'] }]],
  ['Patient.link', 0, '*', ['BackboneElement'], { invariants: ['ele-1', 'pat-link'] }],
  ['Patient.link.other', 1, '1', [{ code: 'Reference', targets: ['Patient'] }]],
  ['Patient.link.type', 1, '1', ['code']],
  ['Patient.contact', 0, '*', ['BackboneElement'], { invariants: ['ele-1', 'pat-unsupported'] }],
  ['Patient.contact.name', 0, '1', ['string']],
  ['Patient.contact.contact', 0, '*', [], { contentRef: -1 }],
];

function patient(url: string, type: 'base' | 'open' | 'closed'): StructureTable {
  const rows = patientRows(type !== 'base');
  const table = resource(
    'Patient',
    rows,
    type === 'base' ? ['dom-2', 'dom-3', 'pat-active'] : ['dom-2', 'dom-3', 'pat-active'],
  );
  table.url = url;
  if (type === 'base') {
    const contact = table.elements.findIndex((e) => e.id === 'Patient.contact');
    table.elements.find((e) => e.id === 'Patient.contact.contact')!.contentRef = contact;
    return table;
  }
  // The profile: an NHS number slice (value of system) and an ethnic extension slice (value of url).
  const withSlices = structure(url, 'Patient', 'resource', [
    ['Patient', 0, '*', [], { invariants: ['dom-2', 'dom-3', 'pat-active'] }],
    ['Patient.id', 0, '1', ['id']],
    ['Patient.meta', 0, '1', ['Meta']],
    ['Patient.contained', 0, '*', ['Resource']],
    [
      'Patient.extension',
      0,
      '*',
      ['Extension'],
      {
        invariants: ['ele-1', 'ext-1'],
        slicing: { discriminators: [{ type: 'value', path: 'url' }], rules: 'open', ordered: false },
      },
    ],
    [
      'Patient.extension:ethnic',
      0,
      '1',
      [{ code: 'Extension', profiles: [ETHNIC] }],
      { match: [{ path: 'url', type: 'value', value: ETHNIC }] },
    ],
    ...rows.slice(0, 1).map(
      ([id, min, max, types, extra]): Row => [
        id,
        min,
        max,
        types,
        type === 'closed'
          ? {
              ...extra,
              slicing: { discriminators: [{ type: 'value', path: 'system' }], rules: 'closed', ordered: true },
            }
          : extra,
      ],
    ),
    [
      'Patient.identifier:nhsNumber',
      1,
      '1',
      ['Identifier'],
      { match: [{ path: 'system', type: 'value', value: 'https://fhir.nhs.uk/Id/nhs-number' }] },
    ],
    ['Patient.identifier:nhsNumber.system', 1, '1', ['uri'], { fixed: 'https://fhir.nhs.uk/Id/nhs-number' }],
    ['Patient.identifier:nhsNumber.value', 1, '1', ['string']],
    ...(type === 'closed'
      ? ([
          [
            'Patient.identifier:local',
            0,
            '*',
            ['Identifier'],
            { match: [{ path: 'system', type: 'value', value: 'https://example.org/local' }] },
          ],
        ] satisfies Row[])
      : []),
    ...rows.slice(1).filter(([id]) => id !== 'Patient.contact.contact'),
  ]);
  return withSlices;
}

const structures: StructureTable[] = [
  dt('Element', []),
  structure(`${BASE}/Extension`, 'Extension', 'complex-type', [
    ['Extension', 0, '*', [], { invariants: ['ele-1', 'ext-1'] }],
    ['Extension.id', 0, '1', ['string']],
    ['Extension.extension', 0, '*', ['Extension']],
    ['Extension.url', 1, '1', ['uri']],
    ['Extension.value[x]', 0, '1', ['string', 'boolean', 'CodeableConcept', 'Reference']],
  ]),
  structure(ETHNIC, 'Extension', 'complex-type', [
    ['Extension', 0, '1', [], { invariants: ['ele-1', 'ext-1'] }],
    ['Extension.id', 0, '1', ['string']],
    ['Extension.extension', 0, '0', ['Extension']],
    ['Extension.url', 1, '1', ['uri'], { fixed: ETHNIC }],
    ['Extension.value[x]', 0, '1', ['CodeableConcept']],
  ]),
  dt('Coding', [
    ['Coding.system', 0, '1', ['uri']],
    ['Coding.code', 0, '1', ['code']],
    ['Coding.display', 0, '1', ['string']],
  ]),
  dt('CodeableConcept', [
    ['CodeableConcept.coding', 0, '*', ['Coding']],
    ['CodeableConcept.text', 0, '1', ['string']],
  ]),
  dt('Identifier', [
    ['Identifier.system', 0, '1', ['uri']],
    ['Identifier.value', 0, '1', ['string']],
  ]),
  dt('Reference', [
    ['Reference.reference', 0, '1', ['string']],
    ['Reference.type', 0, '1', ['uri']],
    ['Reference.display', 0, '1', ['string']],
  ]),
  dt('Period', [
    ['Period.start', 0, '1', ['dateTime']],
    ['Period.end', 0, '1', ['dateTime']],
  ]),
  dt('Meta', [['Meta.profile', 0, '*', ['uri']]]),
  patient(`${BASE}/Patient`, 'base'),
  patient(PROFILE, 'open'),
  patient(CLOSED_PROFILE, 'closed'),
  resource('Organization', [['Organization.name', 0, '1', ['string']]]),
  resource('Practitioner', [['Practitioner.name', 0, '1', ['string']]]),
  resource('Observation', [
    ['Observation.status', 1, '1', ['code']],
    ['Observation.effective[x]', 0, '1', ['dateTime', 'Period']],
    ['Observation.value[x]', 0, '1', ['string', 'integer', 'positiveInt', 'decimal', 'instant']],
  ]),
];
for (const table of structures) if (table.url.startsWith(BASE)) table.elements[0]!.invariants ??= [];
structures.find((table) => table.type === 'Reference')!.elements[0]!.invariants = ['ele-1', 'ref-1'];
structures.find((table) => table.type === 'Period')!.elements[0]!.invariants = ['ele-1', 'per-1'];

const R4_DATE = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?';
const R4_DATETIME =
  '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]' +
  '|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?';

export const fixtureTables: ValidationTables = {
  fhirVersion: 'R4',
  structures: Object.fromEntries(structures.map((table) => [table.url, table])),
  baseTypes: Object.fromEntries(
    structures.filter((table) => table.url.startsWith(BASE)).map((table) => [table.type, table.url]),
  ),
  primitives: {
    boolean: { json: 'boolean' },
    integer: { json: 'number' },
    positiveInt: { json: 'number' },
    decimal: { json: 'number' },
    string: { json: 'string', regex: '[ \\r\\n\\t\\S]+' },
    uri: { json: 'string', regex: '\\S*' },
    code: { json: 'string', regex: '[^\\s]+(\\s[^\\s]+)*' },
    id: { json: 'string', regex: '[A-Za-z0-9\\-\\.]{1,64}' },
    date: { json: 'string', regex: R4_DATE },
    dateTime: { json: 'string', regex: R4_DATETIME },
    instant: {
      json: 'string',
      regex:
        '([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60' +
        ')(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))',
    },
  },
  valueSets: {
    'http://hl7.org/fhir/ValueSet/administrative-gender': ['male', 'female', 'other', 'unknown'],
    'urn:ietf:bcp:47': null,
  },
  invariants: {
    'ele-1': {
      key: 'ele-1',
      severity: 'error',
      human: 'All FHIR elements must have a @value or children',
      expression: 'hasValue() or (children().count() > id.count())',
    },
    'ext-1': {
      key: 'ext-1',
      severity: 'error',
      human: 'Must have either extensions or value[x], not both',
      expression: 'extension.exists() != value.exists()',
    },
    'dom-2': {
      key: 'dom-2',
      severity: 'error',
      human: 'no nested contained',
      expression: 'contained.contained.empty()',
    },
    'dom-3': {
      key: 'dom-3',
      severity: 'error',
      human: 'contained resources are referenced',
      expression: "contained.where(('#'+id in %resource.descendants().reference).not()).empty()",
    },
    'ref-1': {
      key: 'ref-1',
      severity: 'error',
      human: 'SHALL have a contained resource if a local reference is provided',
      expression:
        "reference.startsWith('#').not() or (reference.substring(1).trace('url') in" +
        " %rootResource.contained.id.trace('ids'))",
    },
    'per-1': {
      key: 'per-1',
      severity: 'error',
      human: 'If present, start SHALL have a lower value than end',
      expression: 'start.hasValue().not() or end.hasValue().not() or (start <= end)',
    },
    'pat-active': {
      key: 'pat-active',
      severity: 'warning',
      human: 'a linked patient says whether it is active',
      expression: 'link.empty() or active.exists()',
    },
    'pat-link': {
      key: 'pat-link',
      severity: 'error',
      human: 'a link of type seealso has no display',
      expression: "type != 'seealso' or other.display.empty()",
    },
    'pat-unsupported': {
      key: 'pat-unsupported',
      severity: 'error',
      human: 'uses a function fhirpath lacks',
      expression: "name.noSuchFunction('x')",
    },
  },
};
