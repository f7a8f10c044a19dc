import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { CanonicalIndex } from '../src/load/canonical-index.js';
import { loadPackageGraph, type PackageGraph } from '../src/load/package-graph.js';
import { loadWorkspaceSpecs, type WorkspaceSpecs } from '../src/load/workspace-specs.js';
import { printValidationTables } from '../src/emit/tables/print-tables.js';
import { compileValidationTables } from '../src/model/tables/compile-tables.js';
import { tablesWithout } from '../src/model/tables/layered-tables.js';
import {
  type ElementTable,
  mergeTables,
  type SliceMatch,
  type StructureTable,
  type ValidationTables,
} from '@nhs-fhir/validation';
import { validationClosure } from './validation-fixtures/closure.js';

// The compiler from snapshots to validator tables: one row per rule on hand-written StructureDefinitions
// (the snapshot fixtures' miniature core), each compiled element written as one line, then the real packages.

const EX = 'https://example.org/StructureDefinition';
const CORE = 'http://hl7.org/fhir/StructureDefinition';

function graphOf(extra: Record<string, unknown>[] = [], fhirVersion = '4.0.1'): PackageGraph {
  const closure = validationClosure(extra, fhirVersion);
  return { root: closure[0]!, closure, index: new CanonicalIndex(closure), omitted: [] };
}
const compile = (extra: Record<string, unknown>[] = [], fhirVersion?: string): ValidationTables =>
  compileValidationTables(graphOf(extra, fhirVersion), { corePackage: 'fixture.core' }).tables;

/** One element as a line: id, cardinality, array, types, then what it carries. */
function line(element: ElementTable, table: StructureTable): string {
  const parts = [element.id, `${element.min}..${element.max === -1 ? '*' : element.max}`];
  if (element.array) parts.push('[]');
  parts.push(
    element.types
      .map(
        (type) =>
          `${type.code}${type.profiles ? `(${type.profiles.join(',')})` : ''}` +
          `${type.targets ? `->(${type.targets.join(',')})` : ''}`,
      )
      .join('|') || '-',
  );
  if (element.children)
    parts.push(
      `children{${Object.entries(element.children)
        .map(([name, index]) => `${name}:${table.elements[index]!.id}`)
        .join(' ')}}`,
    );
  if (element.variants)
    parts.push(
      `variants{${Object.entries(element.variants)
        .map(([name, code]) => `${name}:${code}`)
        .join(' ')}}`,
    );
  if (element.contentRef !== undefined) parts.push(`contentRef=${table.elements[element.contentRef]!.id}`);
  if (element.fixed !== undefined) parts.push(`fixed=${JSON.stringify(element.fixed)}`);
  if (element.pattern !== undefined) parts.push(`pattern=${JSON.stringify(element.pattern)}`);
  if (element.binding) parts.push(`binding(${element.binding.strength} ${element.binding.valueSet})`);
  if (element.invariants) parts.push(`invariants(${element.invariants.join(',')})`);
  if (element.slicing) {
    const { discriminators, rules, ordered } = element.slicing;
    const on = discriminators.map((d) => `${d.type}:${d.path}`).join(',');
    parts.push(`slicing(${on} ${rules}${ordered ? ' ordered' : ''})`);
  }
  if (element.slices)
    parts.push(`slices(${element.slices.map((index) => table.elements[index]!.sliceName).join(',')})`);
  if (element.match) {
    const value = (m: SliceMatch): string => (m.undetermined ? '?' : JSON.stringify(m.value ?? m.codes ?? m.exists));
    parts.push(`match(${element.match.map((m) => `${m.type}:${m.path}=${value(m)}`).join(',')})`);
  }
  return parts.join(' ');
}

const lines = (tables: ValidationTables, url: string, focus?: string[]): string[] => {
  const table = tables.structures[url];
  expect(table, url).toBeDefined();
  return table!.elements
    .filter((element) => focus === undefined || focus.some((prefix) => element.id.startsWith(prefix)))
    .map((element) => line(element, table!));
};

const ETHNIC_PATIENT = {
  resourceType: 'StructureDefinition',
  id: 'EthnicPatient',
  url: `${EX}/EthnicPatient`,
  type: 'Patient',
  kind: 'resource',
  baseDefinition: `${CORE}/Patient`,
  derivation: 'constraint',
  differential: {
    element: [
      {
        id: 'Patient.extension:ethnic',
        path: 'Patient.extension',
        sliceName: 'ethnic',
        type: [{ code: 'Extension', profile: [`${EX}/Extension-EthnicCategory`] }],
      },
    ],
  },
};

const rows: [
  string,
  { extra?: Record<string, unknown>[]; fhirVersion?: string; url: string; focus?: string[]; want: string[] },
][] = [
  [
    'a base resource: children by JSON name, arrays from the base max, a required binding, invariants by id, ' +
      'a backbone element',
    {
      url: `${CORE}/Patient`,
      focus: ['Patient.identifier', 'Patient.gender', 'Patient.link'],
      want: [
        'Patient.identifier 0..* [] Identifier invariants(pat-1)',
        'Patient.gender 0..1 code binding(required http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
        'Patient.link 0..* [] BackboneElement children{other:Patient.link.other type:Patient.link.type} ' +
          'invariants(ele-1,pat-1@2)',
        'Patient.link.other 1..1 Reference',
        'Patient.link.type 1..1 code',
      ],
    },
  ],
  [
    'a choice element: one child per variant, each with its type; a contentReference points at the element it names',
    {
      url: `${CORE}/Observation`,
      focus: ['Observation.value', 'Observation.component'],
      want: [
        'Observation.value[x] 0..1 Quantity|string|CodeableConcept ' +
          'variants{valueQuantity:Quantity valueString:string valueCodeableConcept:CodeableConcept}',
        'Observation.component 0..* [] BackboneElement children{code:Observation.component.code ' +
          'valueQuantity:Observation.component.value[x] valueString:Observation.component.value[x] ' +
          'referenceRange:Observation.component.referenceRange}',
        'Observation.component.code 1..1 CodeableConcept',
        'Observation.component.value[x] 0..1 Quantity|string variants{valueQuantity:Quantity valueString:string}',
        'Observation.component.referenceRange 0..* [] - contentRef=Observation.referenceRange',
      ],
    },
  ],
  [
    'a value slice: the slice recognised by its fixed system, its children under it, the entry sliced',
    {
      url: `${EX}/BasePatient`,
      focus: ['Patient.identifier'],
      want: [
        'Patient.identifier 1..* [] Identifier invariants(pat-1) slicing(value:system open) slices(nhsNumber)',
        // The slice starts from the base definition, so it keeps the base's invariants.
        'Patient.identifier:nhsNumber 0..1 [] Identifier children{id:Patient.identifier:nhsNumber.id ' +
          'extension:Patient.identifier:nhsNumber.extension system:Patient.identifier:nhsNumber.system ' +
          'value:Patient.identifier:nhsNumber.value} invariants(pat-1) ' +
          'match(value:system="https://fhir.nhs.uk/Id/nhs-number")',
        'Patient.identifier:nhsNumber.id 0..1 string',
        'Patient.identifier:nhsNumber.extension 0..* [] Extension slicing(value:url open)',
        'Patient.identifier:nhsNumber.system 1..1 uri fixed="https://fhir.nhs.uk/Id/nhs-number"',
        'Patient.identifier:nhsNumber.value 0..1 string',
      ],
    },
  ],
  [
    'an extension slice: recognised by the url its extension definition fixes, under the default url slicing',
    {
      extra: [ETHNIC_PATIENT],
      url: `${EX}/EthnicPatient`,
      focus: ['Patient.extension'],
      want: [
        'Patient.extension 0..* [] Extension slicing(value:url open) slices(ethnic)',
        `Patient.extension:ethnic 0..1 [] Extension(${EX}/Extension-EthnicCategory) ` +
          `match(value:url="${EX}/Extension-EthnicCategory")`,
      ],
    },
  ],
  [
    'an extension definition: its url fixed, its value narrowed to one variant',
    {
      url: `${EX}/Extension-EthnicCategory`,
      focus: ['Extension.url', 'Extension.value'],
      want: [
        `Extension.url 1..1 uri fixed="${EX}/Extension-EthnicCategory"`,
        'Extension.value[x] 0..1 CodeableConcept variants{valueCodeableConcept:CodeableConcept}',
      ],
    },
  ],
  [
    'STU3: a choice renamed in place (`Observation.valueQuantity`) is a plain child under its JSON name, ' +
      'the only variant allowed',
    {
      extra: [
        {
          resourceType: 'StructureDefinition',
          id: 'QuantityObservation',
          url: `${EX}/QuantityObservation`,
          type: 'Observation',
          kind: 'resource',
          baseDefinition: `${CORE}/Observation`,
          derivation: 'constraint',
          differential: { element: [{ path: 'Observation.valueQuantity', type: [{ code: 'Quantity' }] }] },
        },
      ],
      fhirVersion: '3.0.1',
      url: `${EX}/QuantityObservation`,
      focus: ['Observation.valueQuantity', 'Observation.code'],
      want: ['Observation.code 1..1 CodeableConcept', 'Observation.valueQuantity 0..1 Quantity'],
    },
  ],
];

/** A profile binding Patient.identifier.system to a value set that cannot be expanded offline. */
const BOUND_PATIENT = {
  ...ETHNIC_PATIENT,
  id: 'BoundPatient',
  url: `${EX}/BoundPatient`,
  differential: {
    element: [
      {
        id: 'Patient.identifier.system',
        path: 'Patient.identifier.system',
        binding: { strength: 'required', valueSet: 'https://example.org/ValueSet/by-filter' },
      },
    ],
  },
};

describe('compiling hand-written StructureDefinitions', () => {
  test.each(rows)('%s', (_title, { extra, fhirVersion, url, focus, want }) => {
    expect(lines(compile(extra, fhirVersion), url, focus)).toEqual(want);
  });

  test('value sets of required bindings: expanded offline when they can be, null when not', () => {
    const tables = compile([BOUND_PATIENT]);
    expect(tables.valueSets).toEqual({
      'http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1': ['male', 'female', 'other', 'unknown'],
      'https://example.org/ValueSet/by-filter': null,
    });
  });

  test('invariants keep their key; a key given two expressions gets a second id', () => {
    const tables = compile();
    expect(
      Object.fromEntries(
        Object.entries(tables.invariants).map(([id, invariant]) => [
          id,
          `${invariant.severity} ${invariant.expression}`,
        ]),
      ),
    ).toMatchObject({
      'ele-1': 'error hasValue() or (children().count() > id.count())',
      'pat-1': 'warning value.exists()',
      'pat-1@2': 'error other.exists()',
    });
  });

  test('primitive formats come from the regex each type definition gives; the JSON type from the type', () => {
    expect(compile().primitives).toEqual({
      boolean: { json: 'boolean' },
      code: { json: 'string', regex: '[^\\s]+(\\s[^\\s]+)*' },
      decimal: { json: 'number' },
      instant: { json: 'string', regex: '[0-9]{4}-[0-9]{2}-[0-9]{2}T.+' },
      string: { json: 'string', regex: '[ \\r\\n\\t\\S]+' },
      uri: { json: 'string', regex: '\\S*' },
    });
  });

  test('base types are indexed by name; type profiles are pulled in; keys are sorted', () => {
    const tables = compile([ETHNIC_PATIENT]);
    expect(tables.baseTypes['Patient']).toBe(`${CORE}/Patient`);
    expect(Object.keys(tables.structures)).toEqual([...Object.keys(tables.structures)].sort());
    expect(Object.keys(tables.structures)).toContain(`${EX}/Extension-EthnicCategory`);
  });

  test('over base tables: only what the closure adds, the bytes that compiling whole and subtracting give', () => {
    const graph = graphOf([ETHNIC_PATIENT, BOUND_PATIENT]);
    const base = compileValidationTables(graph, { corePackage: 'fixture.core', scope: 'base' }).tables;
    const whole = compileValidationTables(graph, { corePackage: 'fixture.core' }).tables;
    const layer = compileValidationTables(graph, { corePackage: 'fixture.core', parent: base }).tables;
    expect(printValidationTables(layer)).toBe(printValidationTables(tablesWithout(whole, base)));
    expect(Object.keys(layer.structures)).toEqual(
      expect.arrayContaining([`${EX}/BoundPatient`, `${EX}/EthnicPatient`, `${EX}/Extension-EthnicCategory`]),
    );
    expect(Object.keys(layer.structures).filter((url) => url in base.structures)).toEqual([]);
    expect(layer.valueSets).toEqual({ 'https://example.org/ValueSet/by-filter': null });
    expect(layer.baseTypes).toEqual({});
    expect(mergeTables([base, layer])).toEqual(whole);
  });

  test('base tables of another FHIR release are refused, naming the package and both releases', () => {
    const base = compileValidationTables(graphOf([], '3.0.1'), { corePackage: 'fixture.core', scope: 'base' }).tables;
    expect(() => compileValidationTables(graphOf(), { corePackage: 'fixture.core', parent: base })).toThrow(
      /: the base tables are for STU3, but .+ is FHIR 4\.0\.1$/,
    );
  });

  test('the output is plain JSON and the same input gives the same bytes', () => {
    const first = printValidationTables(compile([ETHNIC_PATIENT]));
    expect(printValidationTables(compile([ETHNIC_PATIENT]))).toBe(first);
    expect(JSON.parse(first)).toEqual(compile([ETHNIC_PATIENT]));
  });
});

// The real packages: what the profiles say about the NHS number and the Patient Flag category.
let specs: WorkspaceSpecs;
beforeAll(async () => {
  specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
}, 120_000);

describe('compiling the real packages', () => {
  test('every profile of UK Core, NHS England and RARecord compiles, deterministically', async () => {
    for (const key of [
      'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release',
      'uk.nhsengland.r4#0.0.1',
      'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05',
    ]) {
      const graph = await loadPackageGraph(specs.store, key);
      const first = compileValidationTables(graph);
      expect(first.skipped, key).toEqual([]);
      const profiles = graph.root.resources
        .filter((resource) => resource.resourceType === 'StructureDefinition')
        .map((resource) => resource.url);
      expect(
        profiles.filter((url) => url === undefined || first.tables.structures[url] === undefined),
        key,
      ).toEqual([]);
      if (key.startsWith('fhir.r4.ukcore')) {
        expect(printValidationTables(compileValidationTables(graph).tables)).toBe(printValidationTables(first.tables));
        const patient = first.tables.structures['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient']!;
        expect(lines(first.tables, patient.url, ['Patient.identifier:nhsNumber.system'])).toEqual([
          'Patient.identifier:nhsNumber.system 1..1 uri fixed="https://fhir.nhs.uk/Id/nhs-number" invariants(ele-1)',
        ]);
        expect(patient.elements.find((element) => element.id === 'Patient.identifier:nhsNumber')?.match).toEqual([
          { path: 'system', type: 'value', value: 'https://fhir.nhs.uk/Id/nhs-number' },
        ]);
      }
    }
  });
});
