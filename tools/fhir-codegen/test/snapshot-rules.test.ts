import { describe, expect, test } from 'vitest';
import { SpecError } from '@nhs-fhir/specs';
import { CanonicalIndex } from '../src/load/canonical-index.js';
import { buildSnapshot, buildSnapshots } from '../src/snapshot/build-snapshot.js';
import { compareSnapshots, stu3ChoiceId } from '../src/snapshot/compare-snapshots.js';
import type { ElementDefinition } from '../src/fhir/index.js';
import { SnapshotError } from '../src/snapshot/snapshot-issue.js';
import { closure } from './snapshot-fixtures/core.js';

// One rule per row, on hand-written StructureDefinitions over a miniature core (snapshot-fixtures/core.ts).
// Each snapshot element is written as one line: id, cardinality, types, then fixed/pattern, slicing, binding,
// constraint keys and short where present, so a failure reads like a diff of the snapshot.

const r4 = new CanonicalIndex(closure('4.0.1'));
const stu3 = new CanonicalIndex(closure('3.0.1'));
const EX = 'https://example.org/StructureDefinition';
const core = (type: string): string => `http://hl7.org/fhir/StructureDefinition/${type}`;

function line(element: ElementDefinition): string {
  const types = ((element['type'] as Record<string, unknown>[] | undefined) ?? []).map((type) => {
    const list = (value: unknown): string[] =>
      value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
    const [profiles, targets] = [list(type['profile']), list(type['targetProfile'])];
    return (
      `${String(type['code'])}${profiles.length > 0 ? `(${profiles.join(',')})` : ''}` +
      `${targets.length > 0 ? `->(${targets.join(',')})` : ''}`
    );
  });
  const parts = [String(element['id']), `${String(element['min'])}..${String(element['max'])}`, types.join('|') || '-'];
  for (const [key, value] of Object.entries(element))
    if (/^(fixed|pattern)[A-Z]/.test(key)) parts.push(`${key}=${JSON.stringify(value)}`);
  const slicing = element['slicing'] as Record<string, unknown> | undefined;
  if (slicing !== undefined)
    parts.push(
      `slicing(${JSON.stringify(slicing['discriminator'])} ` +
        `${String(slicing['rules'])}${slicing['ordered'] === true ? ' ordered' : ''})`,
    );
  const binding = element['binding'] as Record<string, unknown> | undefined;
  if (binding !== undefined)
    parts.push(`binding(${String(binding['strength'])} ${String(binding['valueSet'] ?? '-')})`);
  const constraints = element['constraint'] as Record<string, unknown>[] | undefined;
  if (constraints !== undefined)
    parts.push(`constraints(${constraints.map((constraint) => String(constraint['key'])).join(',')})`);
  if (typeof element['short'] === 'string') parts.push(`short=${JSON.stringify(element['short'])}`);
  return parts.join(' ');
}

interface Given {
  differential: ElementDefinition[];
  type?: string;
  base?: string;
  release?: 'R4' | 'STU3';
}
interface Want {
  /** The lines of the snapshot whose ids start with one of these (all lines when absent). */
  focus?: string[];
  lines: string[];
  warnings?: string[];
}

function build(given: Given, id = 'Test') {
  const type = given.type ?? 'Patient';
  const profile = {
    resourceType: 'StructureDefinition',
    id,
    url: `${EX}/${id}`,
    type,
    baseDefinition: given.base ?? core(type),
    derivation: 'constraint',
    differential: { element: given.differential },
  };
  return buildSnapshot(profile, given.release === 'STU3' ? stu3 : r4);
}

const rules: [string, { given: Given; want: Want }][] = [
  [
    'a profile with an empty differential has the base snapshot, ids and paths unchanged',
    {
      given: { differential: [{ id: 'Patient', path: 'Patient' }] },
      want: {
        lines: [
          'Patient 0..* - constraints(dom-2)',
          'Patient.id 0..1 string',
          'Patient.contained 0..* Resource',
          'Patient.extension 0..* Extension',
          'Patient.identifier 0..* Identifier',
          'Patient.gender 0..1 code binding(required http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
          'Patient.generalPractitioner 0..* Reference',
          'Patient.link 0..* BackboneElement',
          'Patient.link.other 1..1 Reference',
          'Patient.link.type 1..1 code',
        ],
      },
    },
  ],
  [
    'cardinality narrows: min and max from the differential',
    {
      given: {
        differential: [
          { id: 'Patient.gender', path: 'Patient.gender', min: 1 },
          { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', max: '1' },
        ],
      },
      want: {
        focus: ['Patient.gender', 'Patient.generalPractitioner'],
        lines: [
          'Patient.gender 1..1 code binding(required http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
          'Patient.generalPractitioner 0..1 Reference',
        ],
      },
    },
  ],
  [
    'a differential that widens cardinality is kept and reported',
    {
      given: { differential: [{ id: 'Patient.link.other', path: 'Patient.link.other', min: 0, max: '2' }] },
      want: {
        focus: ['Patient.link.other'],
        lines: ['Patient.link.other 0..2 Reference'],
        warnings: [
          'CARDINALITY_WIDENED Patient.link.other: min 0 is below the base min 1',
          'CARDINALITY_WIDENED Patient.link.other: max 2 is above the base max 1',
        ],
      },
    },
  ],
  [
    'type constraints: the differential types (profile, targetProfile) replace the base types',
    {
      given: {
        differential: [
          {
            id: 'Patient.generalPractitioner',
            path: 'Patient.generalPractitioner',
            type: [{ code: 'Reference', targetProfile: [`${EX}/GP`] }],
          },
        ],
      },
      want: {
        focus: ['Patient.generalPractitioner'],
        lines: [`Patient.generalPractitioner 0..* Reference->(${EX}/GP)`],
      },
    },
  ],
  [
    'a type the base does not allow is reported',
    {
      given: { differential: [{ id: 'Patient.gender', path: 'Patient.gender', type: [{ code: 'string' }] }] },
      want: {
        focus: ['Patient.gender'],
        lines: [
          'Patient.gender 0..1 string binding(required http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
        ],
        warnings: ['TYPE_NOT_IN_BASE Patient.gender: type string is not among the base types (code)'],
      },
    },
  ],
  [
    'fixed and pattern values: the differential value replaces any other fixed value on the element',
    {
      given: {
        base: `${EX}/BasePatient`,
        differential: [
          {
            id: 'Patient.identifier:nhsNumber.system',
            path: 'Patient.identifier.system',
            fixedUri: 'https://example.org/other',
          },
          { id: 'Patient.gender', path: 'Patient.gender', patternCode: 'female' },
        ],
      },
      want: {
        focus: ['Patient.identifier:nhsNumber.system', 'Patient.gender'],
        lines: [
          'Patient.identifier:nhsNumber.system 1..1 uri fixedUri="https://example.org/other"',
          'Patient.gender 0..1 code patternCode="female" binding(required ' +
            'http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
        ],
      },
    },
  ],
  [
    'bindings: a value set replaces the base binding; strength alone updates it',
    {
      given: {
        type: 'Observation',
        differential: [
          {
            id: 'Observation.code',
            path: 'Observation.code',
            binding: { strength: 'extensible', valueSet: 'https://example.org/ValueSet/codes' },
          },
          { id: 'Observation.code', path: 'Observation.code', binding: { strength: 'required' } },
        ],
      },
      want: {
        focus: ['Observation.code'],
        lines: ['Observation.code 1..1 CodeableConcept binding(required https://example.org/ValueSet/codes)'],
      },
    },
  ],
  [
    'constraints merge: the base constraints are kept and new ones added',
    {
      given: {
        differential: [
          {
            id: 'Patient',
            path: 'Patient',
            constraint: [{ key: 'uk-1', severity: 'error', human: 'an identifier', expression: 'identifier.exists()' }],
          },
        ],
      },
      want: { focus: ['Patient '], lines: ['Patient 0..* - constraints(dom-2,uk-1)'] },
    },
  ],
  [
    'a type profile brings the constraints of its root element',
    {
      given: {
        type: 'Observation',
        differential: [
          {
            id: 'Observation.referenceRange.low',
            path: 'Observation.referenceRange.low',
            type: [{ code: 'Quantity', profile: [core('SimpleQuantity')] }],
          },
        ],
      },
      want: {
        focus: ['Observation.referenceRange.low'],
        lines: [`Observation.referenceRange.low 0..1 Quantity(${core('SimpleQuantity')}) constraints(sqty-1)`],
      },
    },
  ],
  [
    'children of a datatype element unfold from the datatype when the differential constrains them',
    {
      given: { differential: [{ id: 'Patient.identifier.system', path: 'Patient.identifier.system', min: 1 }] },
      want: {
        focus: ['Patient.identifier'],
        lines: [
          'Patient.identifier 0..* Identifier',
          'Patient.identifier.id 0..1 string',
          'Patient.identifier.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          'Patient.identifier.system 1..1 uri',
          'Patient.identifier.value 0..1 string',
        ],
      },
    },
  ],
  [
    'slicing: discriminators, rules and ordered as the differential says',
    {
      given: {
        differential: [
          {
            id: 'Patient.identifier',
            path: 'Patient.identifier',
            slicing: { discriminator: [{ type: 'value', path: 'system' }], ordered: true, rules: 'closed' },
          },
        ],
      },
      want: {
        focus: ['Patient.identifier'],
        lines: ['Patient.identifier 0..* Identifier slicing([{"type":"value","path":"system"}] closed ordered)'],
      },
    },
  ],
  [
    'a new slice takes min from its own differential, else 0, never from the constrained parent (min 1)',
    {
      given: {
        differential: [
          {
            id: 'Patient.identifier',
            path: 'Patient.identifier',
            min: 1,
            short: 'Identifiers',
            slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
          },
          { id: 'Patient.identifier:nhsNumber', path: 'Patient.identifier', sliceName: 'nhsNumber', max: '1' },
          { id: 'Patient.identifier:local', path: 'Patient.identifier', sliceName: 'local', min: 1 },
        ],
      },
      want: {
        focus: ['Patient.identifier'],
        lines: [
          'Patient.identifier 1..* Identifier slicing([{"type":"value","path":"system"}] open) short="Identifiers"',
          'Patient.identifier:nhsNumber 0..1 Identifier',
          'Patient.identifier:local 1..* Identifier',
        ],
      },
    },
  ],
  [
    'the NHS number slice: 0..1, its system fixed, Identifier unfolded beneath the slice only',
    {
      given: {
        base: `${EX}/BasePatient`,
        differential: [{ id: 'Patient.identifier:nhsNumber.value', path: 'Patient.identifier.value', min: 1 }],
      },
      want: {
        focus: ['Patient.identifier'],
        lines: [
          'Patient.identifier 1..* Identifier slicing([{"type":"value","path":"system"}] open)',
          'Patient.identifier:nhsNumber 0..1 Identifier',
          'Patient.identifier:nhsNumber.id 0..1 string',
          'Patient.identifier:nhsNumber.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          'Patient.identifier:nhsNumber.system 1..1 uri fixedUri="https://fhir.nhs.uk/Id/nhs-number"',
          'Patient.identifier:nhsNumber.value 1..1 string',
        ],
      },
    },
  ],
  [
    'a profile on a profile: the base profile is built first, and a re-slice sits under its slice',
    {
      given: {
        base: `${EX}/BasePatient`,
        differential: [
          {
            id: 'Patient.identifier:nhsNumber',
            path: 'Patient.identifier',
            sliceName: 'nhsNumber',
            slicing: { discriminator: [{ type: 'value', path: 'value' }], rules: 'open' },
          },
          { id: 'Patient.identifier:nhsNumber/test', path: 'Patient.identifier', sliceName: 'nhsNumber/test', min: 1 },
        ],
      },
      want: {
        focus: ['Patient.identifier:'],
        lines: [
          'Patient.identifier:nhsNumber 0..1 Identifier slicing([{"type":"value","path":"value"}] open)',
          'Patient.identifier:nhsNumber.id 0..1 string',
          'Patient.identifier:nhsNumber.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          'Patient.identifier:nhsNumber.system 1..1 uri fixedUri="https://fhir.nhs.uk/Id/nhs-number"',
          'Patient.identifier:nhsNumber.value 0..1 string',
          'Patient.identifier:nhsNumber/test 1..1 Identifier',
          'Patient.identifier:nhsNumber/test.id 0..1 string',
          'Patient.identifier:nhsNumber/test.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          'Patient.identifier:nhsNumber/test.system 1..1 uri fixedUri="https://fhir.nhs.uk/Id/nhs-number"',
          'Patient.identifier:nhsNumber/test.value 0..1 string',
        ],
      },
    },
  ],
  [
    'extension slices on an element the base did not slice get the default url discriminator, open',
    {
      given: {
        differential: [
          {
            id: 'Patient.extension:ethnicCategory',
            path: 'Patient.extension',
            sliceName: 'ethnicCategory',
            type: [{ code: 'Extension', profile: [`${EX}/Extension-EthnicCategory`] }],
          },
        ],
      },
      want: {
        focus: ['Patient.extension'],
        lines: [
          'Patient.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          `Patient.extension:ethnicCategory 0..1 Extension(${EX}/Extension-EthnicCategory) short="Ethnic category"`,
        ],
      },
    },
  ],
  [
    'an extension slice takes short, a higher min and a narrower max from the extension definition; ' +
      'its own differential wins',
    {
      given: {
        differential: [
          {
            id: 'Patient.extension:required',
            path: 'Patient.extension',
            sliceName: 'required',
            type: [{ code: 'Extension', profile: [`${EX}/Extension-Required`] }],
          },
          {
            id: 'Patient.extension:ethnicCategory',
            path: 'Patient.extension',
            sliceName: 'ethnicCategory',
            short: 'Ethnicity',
            max: '1',
            type: [{ code: 'Extension', profile: [`${EX}/Extension-EthnicCategory`] }],
          },
        ],
      },
      want: {
        focus: ['Patient.extension:'],
        lines: [
          `Patient.extension:required 1..1 Extension(${EX}/Extension-Required) short="Always there"`,
          `Patient.extension:ethnicCategory 0..1 Extension(${EX}/Extension-EthnicCategory) short="Ethnicity"`,
        ],
      },
    },
  ],
  [
    'an extension slice whose children are constrained unfolds into the extension definition elements',
    {
      given: {
        differential: [
          {
            id: 'Patient.extension:ethnicCategory',
            path: 'Patient.extension',
            sliceName: 'ethnicCategory',
            type: [{ code: 'Extension', profile: [`${EX}/Extension-EthnicCategory`] }],
          },
          { id: 'Patient.extension:ethnicCategory.value[x]', path: 'Patient.extension.value[x]', min: 1 },
        ],
      },
      want: {
        focus: ['Patient.extension:'],
        lines: [
          `Patient.extension:ethnicCategory 0..1 Extension(${EX}/Extension-EthnicCategory) short="Ethnic category"`,
          'Patient.extension:ethnicCategory.id 0..1 string',
          'Patient.extension:ethnicCategory.extension 0..* Extension slicing([{"type":"value","path":"url"}] open)',
          `Patient.extension:ethnicCategory.url 1..1 uri fixedUri="${EX}/Extension-EthnicCategory"`,
          'Patient.extension:ethnicCategory.value[x] 1..1 CodeableConcept',
        ],
      },
    },
  ],
  [
    'slices inside contained: a typed, profiled resource slice of contained',
    {
      given: {
        type: 'Flag',
        differential: [
          {
            id: 'Flag.contained',
            path: 'Flag.contained',
            slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' },
          },
          {
            id: 'Flag.contained:provenance',
            path: 'Flag.contained',
            sliceName: 'provenance',
            max: '1',
            type: [{ code: 'Provenance', profile: [`${EX}/FlagProvenance`] }],
          },
        ],
      },
      want: {
        focus: ['Flag.contained'],
        lines: [
          'Flag.contained 0..* Resource slicing([{"type":"type","path":"$this"}] open)',
          `Flag.contained:provenance 0..1 Provenance(${EX}/FlagProvenance)`,
        ],
      },
    },
  ],
  [
    'slices inside contained: constraining a contained slice child unfolds the resource type',
    {
      given: {
        type: 'Flag',
        differential: [
          {
            id: 'Flag.contained',
            path: 'Flag.contained',
            slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' },
          },
          {
            id: 'Flag.contained:provenance',
            path: 'Flag.contained',
            sliceName: 'provenance',
            max: '1',
            type: [{ code: 'Provenance' }],
          },
          { id: 'Flag.contained:provenance.target', path: 'Flag.contained.target', max: '1' },
        ],
      },
      want: {
        focus: ['Flag.contained:'],
        lines: [
          'Flag.contained:provenance 0..1 Provenance',
          'Flag.contained:provenance.target 1..1 Reference',
          'Flag.contained:provenance.recorded 1..1 instant',
        ],
      },
    },
  ],
  [
    'R4: a renamed choice at the top of a profile is a closed type slice, and the choice keeps only that type',
    {
      given: {
        type: 'Observation',
        differential: [
          { id: 'Observation.valueQuantity', path: 'Observation.valueQuantity', min: 1 },
          { id: 'Observation.valueQuantity.unit', path: 'Observation.valueQuantity.unit', min: 1 },
        ],
      },
      want: {
        focus: ['Observation.value'],
        lines: [
          'Observation.value[x] 0..1 Quantity slicing([{"type":"type","path":"$this"}] closed)',
          'Observation.value[x]:valueQuantity 1..1 Quantity',
          'Observation.value[x]:valueQuantity.value 0..1 decimal',
          'Observation.value[x]:valueQuantity.unit 1..1 string',
        ],
      },
    },
  ],
  [
    'R4: a renamed choice inside a slice restricts the choice in place',
    {
      given: {
        type: 'Observation',
        differential: [
          {
            id: 'Observation.component',
            path: 'Observation.component',
            slicing: { discriminator: [{ type: 'pattern', path: 'code' }], rules: 'open' },
          },
          {
            id: 'Observation.component:systolic',
            path: 'Observation.component',
            sliceName: 'systolic',
            min: 1,
            max: '1',
          },
          { id: 'Observation.component:systolic.valueQuantity', path: 'Observation.component.valueQuantity' },
          {
            id: 'Observation.component:systolic.valueQuantity.value',
            path: 'Observation.component.valueQuantity.value',
            min: 1,
          },
        ],
      },
      want: {
        focus: ['Observation.component:systolic.'],
        lines: [
          'Observation.component:systolic.code 1..1 CodeableConcept',
          'Observation.component:systolic.value[x] 0..1 Quantity',
          'Observation.component:systolic.value[x].value 1..1 decimal',
          'Observation.component:systolic.value[x].unit 0..1 string',
          'Observation.component:systolic.referenceRange 0..* -',
        ],
      },
    },
  ],
  [
    'STU3: a renamed choice renames the element in place (keeping its cardinality), with the id the ' +
      'differential gives it',
    {
      given: {
        release: 'STU3',
        type: 'Observation',
        differential: [
          {
            id: 'Observation.value[x]:valueQuantity',
            path: 'Observation.valueQuantity',
            sliceName: 'valueQuantity',
            type: [{ code: 'Quantity' }],
          },
          { id: 'Observation.value[x]:valueQuantity.unit', path: 'Observation.valueQuantity.unit', min: 1 },
        ],
      },
      want: {
        focus: ['Observation.value'],
        lines: [
          'Observation.value[x]:valueQuantity 0..1 Quantity',
          'Observation.value[x]:valueQuantity.value 0..1 decimal',
          'Observation.value[x]:valueQuantity.unit 1..1 string',
        ],
      },
    },
  ],
  [
    'STU3: without ids, slices are followed by context (the latest slice opened at each path)',
    {
      given: {
        release: 'STU3',
        differential: [
          {
            path: 'Patient.identifier',
            slicing: { discriminator: [{ type: 'value', path: 'system' }], rules: 'open' },
          },
          { path: 'Patient.identifier', sliceName: 'nhsNumber', max: '1' },
          { path: 'Patient.identifier.system', min: 1 },
          { path: 'Patient.identifier', sliceName: 'other' },
          { path: 'Patient.identifier.value', min: 1 },
        ],
      },
      want: {
        focus: ['Patient.identifier:nhsNumber.system', 'Patient.identifier:other.value', 'Patient.identifier.'],
        lines: ['Patient.identifier:nhsNumber.system 1..1 uri', 'Patient.identifier:other.value 1..1 string'],
      },
    },
  ],
  [
    'an id whose slice name disagrees with sliceName: sliceName wins, reported',
    {
      given: {
        differential: [
          {
            id: 'Patient.extension:Ethnic',
            path: 'Patient.extension',
            sliceName: 'ethnic',
            type: [{ code: 'Extension', profile: [`${EX}/Extension-EthnicCategory`] }],
          },
        ],
      },
      want: {
        focus: ['Patient.extension:'],
        lines: [`Patient.extension:ethnic 0..1 Extension(${EX}/Extension-EthnicCategory) short="Ethnic category"`],
        warnings: [
          'ID_SLICE_MISMATCH Patient.extension:Ethnic: the id names slice Ethnic but sliceName is ' +
            'ethnic; the sliceName is used',
        ],
      },
    },
  ],
  [
    'a resource profile on a contained slice keeps its root constraints to itself',
    {
      given: {
        type: 'Flag',
        differential: [
          {
            id: 'Flag.contained',
            path: 'Flag.contained',
            slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'open' },
          },
          {
            id: 'Flag.contained:p',
            path: 'Flag.contained',
            sliceName: 'p',
            type: [{ code: 'Provenance', profile: [`${EX}/ProvenanceWithRule`] }],
          },
        ],
      },
      want: { focus: ['Flag.contained:'], lines: [`Flag.contained:p 0..* Provenance(${EX}/ProvenanceWithRule)`] },
    },
  ],
  [
    'an element with a content reference unfolds into the referenced element children',
    {
      given: {
        type: 'Observation',
        differential: [
          {
            id: 'Observation.component.referenceRange.text',
            path: 'Observation.component.referenceRange.text',
            min: 1,
          },
        ],
      },
      want: {
        focus: ['Observation.component.referenceRange'],
        lines: [
          'Observation.component.referenceRange 0..* -',
          'Observation.component.referenceRange.low 0..1 Quantity',
          'Observation.component.referenceRange.text 1..1 string',
        ],
      },
    },
  ],
  [
    'a slice name on an element with no slicing (not an extension or a renamed choice) names the ' +
      'element itself, and is reported',
    {
      given: { differential: [{ id: 'Patient.gender:Sex', path: 'Patient.gender', sliceName: 'Sex', min: 1 }] },
      want: {
        focus: ['Patient.gender'],
        lines: [
          'Patient.gender:Sex 1..1 code binding(required http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1)',
        ],
        warnings: [
          'SLICE_WITHOUT_SLICING Patient.gender:Sex: slice Sex of gender, which has no slicing: the ' +
            'element itself is constrained and named Sex',
        ],
      },
    },
  ],
];

describe('buildSnapshot: one rule per row', () => {
  test.each(rules)('%s', (_title, { given, want }) => {
    const { elements, warnings } = build(given);
    const lines = elements
      .map(line)
      .filter((text) => want.focus === undefined || want.focus.some((prefix) => text.startsWith(prefix)));
    expect(lines).toEqual(want.lines);
    expect(warnings.map((warning) => `${warning.code} ${String(warning.element)}: ${warning.message}`)).toEqual(
      want.warnings ?? [],
    );
  });
});

const errors: [string, { given: Given; want: { code: string; message: string } }][] = [
  [
    'a differential path the base lacks',
    {
      given: { differential: [{ id: 'Patient.foo', path: 'Patient.foo', min: 1 }] },
      want: {
        code: 'BASE_PATH_NOT_FOUND',
        message:
          'https://example.org/StructureDefinition/Test: StructureDefinition Test: element ' +
          'Patient.foo: base path not found in Patient snapshot',
      },
    },
  ],
  [
    'a child of a datatype that the datatype lacks',
    {
      given: { differential: [{ id: 'Patient.identifier.foo', path: 'Patient.identifier.foo' }] },
      want: {
        code: 'BASE_PATH_NOT_FOUND',
        message:
          'https://example.org/StructureDefinition/Test: StructureDefinition Test: element ' +
          'Patient.identifier.foo: base path not found in Patient snapshot',
      },
    },
  ],
  [
    'a child of an element with several types',
    {
      given: {
        type: 'Observation',
        differential: [{ id: 'Observation.value[x].value', path: 'Observation.value[x].value' }],
      },
      want: {
        code: 'BASE_PATH_NOT_FOUND',
        message:
          'https://example.org/StructureDefinition/Test: StructureDefinition Test: element ' +
          'Observation.value[x].value: base path not found in Observation snapshot: cannot expand ' +
          'value[x], it has several types (Quantity, string, CodeableConcept)',
      },
    },
  ],
  [
    'a base that is not in the closure',
    {
      given: { base: `${EX}/Missing`, differential: [] },
      want: {
        code: 'BASE_UNRESOLVED',
        message:
          `https://example.org/StructureDefinition/Test: StructureDefinition Test: base ` +
          `${EX}/Missing not found in the package closure`,
      },
    },
  ],
];

describe('buildSnapshot: defects that leave no snapshot are SpecErrors naming input, profile and element', () => {
  test.each(errors)('%s', (_title, { given, want }) => {
    let caught: unknown;
    try {
      build(given);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpecError);
    expect(caught).toBeInstanceOf(SnapshotError);
    expect({ code: (caught as SnapshotError).snapshotCode, message: (caught as SnapshotError).message }).toEqual(want);
  });

  test(
    'a base chain that leads back to itself, a profile with neither snapshot nor differential, a ' +
      'shipped snapshot that does not nest',
    () => {
      const sd = (id: string, extra: Record<string, unknown>) => ({
        resourceType: 'StructureDefinition',
        id,
        url: `${EX}/${id}`,
        type: 'Patient',
        derivation: 'constraint',
        ...extra,
      });
      const index = new CanonicalIndex(
        closure('4.0.1', [
          sd('A', { baseDefinition: `${EX}/B`, differential: { element: [] } }),
          sd('B', { baseDefinition: `${EX}/A`, differential: { element: [] } }),
          sd('Empty', { baseDefinition: core('Patient') }),
          sd('Broken', {
            derivation: 'specialization',
            snapshot: {
              element: [
                { id: 'Patient', path: 'Patient' },
                { id: 'Patient.a.b', path: 'Patient.a.b' },
              ],
            },
          }),
        ]),
      );
      const failure = (id: string): string => {
        try {
          buildSnapshot(index.resolve(`${EX}/${id}`)!, index);
        } catch (error) {
          return error instanceof SnapshotError ? `${error.snapshotCode}: ${error.message}` : String(error);
        }
        return 'built';
      };
      expect(['A', 'Empty', 'Broken'].map(failure)).toEqual([
        'CIRCULAR_BASE: fixture.ig#1.0.0: StructureDefinition A: its base chain leads back to itself',
        'NO_DIFFERENTIAL: fixture.ig#1.0.0: StructureDefinition Empty: no snapshot and no differential',
        'SNAPSHOT_MALFORMED: fixture.ig#1.0.0: StructureDefinition Broken: shipped snapshot: element ' +
          'Patient.a.b has no parent in the snapshot',
      ]);
    },
  );

  test('the input is the package key when the profile comes from a package', () => {
    const [ig] = closure('4.0.1', [
      {
        resourceType: 'StructureDefinition',
        id: 'England-Flag-Bad',
        url: `${EX}/England-Flag-Bad`,
        type: 'Flag',
        baseDefinition: core('Flag'),
        derivation: 'constraint',
        differential: { element: [{ id: 'Flag.foo', path: 'Flag.foo' }] },
      },
    ]);
    const index = new CanonicalIndex(
      closure(
        '4.0.1',
        ig!.resources.map((resource) => resource.json),
      ),
    );
    expect(() => buildSnapshot(index.resolve(`${EX}/England-Flag-Bad`)!, index)).toThrow(
      'fixture.ig#1.0.0: StructureDefinition England-Flag-Bad: element Flag.foo: base path not found in Flag snapshot',
    );
  });
});

describe('buildSnapshots: one upstream defect does not stop the rest', () => {
  test(
    'errors once per broken definition (also for profiles built on it), warnings for the caller ' +
      'to print, the rest built',
    () => {
      const sd = (id: string, base: string, element: Record<string, unknown>[]) => ({
        resourceType: 'StructureDefinition',
        id,
        url: `${EX}/${id}`,
        type: 'Patient',
        baseDefinition: base,
        derivation: 'constraint',
        differential: { element },
      });
      const index = new CanonicalIndex(
        closure('4.0.1', [
          sd('Good', core('Patient'), [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }]),
          sd('Broken', core('Patient'), [{ id: 'Patient.foo', path: 'Patient.foo' }]),
          sd('OnBroken', `${EX}/Broken`, []),
          sd('Widening', core('Patient'), [{ id: 'Patient.gender', path: 'Patient.gender', max: '2' }]),
        ]),
      );
      const batch = buildSnapshots(index.closure[0]!.resources, index);
      expect([...batch.snapshots.keys()]).toEqual([`${EX}/Good`, `${EX}/Widening`]);
      expect(batch.errors.map((error) => error.message)).toEqual([
        'fixture.ig#1.0.0: StructureDefinition Broken: element Patient.foo: base path not found in Patient snapshot',
      ]);
      expect(batch.warnings).toEqual([
        {
          input: 'fixture.ig#1.0.0',
          profile: 'StructureDefinition Widening',
          url: `${EX}/Widening`,
          element: 'Patient.gender',
          code: 'CARDINALITY_WIDENED',
          message: 'max 2 is above the base max 1',
        },
      ]);
    },
  );
});

describe('compareSnapshots', () => {
  const element = (id: string, extra: ElementDefinition = {}): ElementDefinition => ({
    id,
    path: id.replace(/:[^.]*/g, ''),
    min: 0,
    max: '1',
    ...extra,
  });
  const table: [string, { given: [ElementDefinition[], ElementDefinition[]]; want: string[] }][] = [
    [
      'the same snapshot',
      {
        given: [
          [element('A'), element('A.b')],
          [element('A'), element('A.b')],
        ],
        want: [],
      },
    ],
    [
      'ids in another order',
      {
        given: [
          [element('A'), element('A.c'), element('A.b')],
          [element('A'), element('A.b'), element('A.c')],
        ],
        want: ['ids A.c: same ids, other order | '],
      },
    ],
    [
      'a missing element',
      { given: [[element('A')], [element('A'), element('A.b')]], want: ['ids A.b: extra: - | missing: A.b'] },
    ],
    [
      'cardinality, fixed value and binding',
      {
        given: [
          [element('A', { min: 1, fixedCode: 'a' })],
          [element('A', { binding: { strength: 'required', valueSet: 'v' } })],
        ],
        want: ['cardinality A: 1.."1" | 0.."1"', 'fixed A: fixedCode="a" | ', 'binding A: - | required v'],
      },
    ],
    [
      'constraint keys',
      {
        given: [
          [element('A', { constraint: [{ key: 'ele-1' }] })],
          [element('A', { constraint: [{ key: 'ele-1' }, { key: 'x-1' }] })],
        ],
        want: ['constraints A: ele-1 | ele-1,x-1'],
      },
    ],
    [
      'default url slicing on an extension without slices is no difference',
      {
        given: [
          [element('A.extension')],
          [element('A.extension', { slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } })],
        ],
        want: [],
      },
    ],
  ];
  test.each(table)('%s', (_title, { given, want }) => {
    expect(
      compareSnapshots(...given).map(
        (difference) => `${difference.aspect} ${difference.element}: ${difference.built} | ${difference.shipped}`,
      ),
    ).toEqual(want);
  });

  test('STU3 renamed-choice ids compare in one form', () => {
    expect(
      [
        'Extension.value[x]:valueCodeableConcept.id',
        'Extension.valueCodeableConcept:valueCodeableConcept.coding',
        'A.medication[x]:medicationReference',
        'Patient.extension:ethnicCategory',
      ].map(stu3ChoiceId),
    ).toEqual([
      'Extension.valueCodeableConcept.id',
      'Extension.valueCodeableConcept.coding',
      'A.medicationReference',
      'Patient.extension:ethnicCategory',
    ]);
  });
});
