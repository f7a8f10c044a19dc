import { describe, expect, test } from 'vitest';
import { createValidator } from '../src/index.js';
import { CLOSED_PROFILE, ETHNIC, PROFILE, fixtureTables } from './fixture-tables.js';

// One check per row, on the hand-written tables of fixture-tables.ts. `want` lists every issue that
// is not information, as `severity code expression`; `info` (when given) the information issues' codes
// and expressions. A failure reads as a diff of the OperationOutcome.

const validate = createValidator(fixtureTables);
const NHS = { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' };
const profiled = (extra: Record<string, unknown>) => ({
  resourceType: 'Patient',
  meta: { profile: [PROFILE] },
  identifier: [NHS],
  ...extra,
});

interface Row {
  resource: unknown;
  profile?: string;
  invariants?: boolean;
  want: string[];
  info?: string[];
}

const rows: [string, Row][] = [
  ['a minimal base Patient is valid', { resource: { resourceType: 'Patient' }, want: [] }],
  ['a missing resourceType is fatal', { resource: { id: 'x' }, want: ['fatal structure $this'] }],
  ['an unknown resourceType is fatal', { resource: { resourceType: 'Patinet' }, want: ['fatal structure $this'] }],
  ['null is fatal, not a throw', { resource: null, want: ['fatal structure $this'] }],
  ['an array is fatal, not a throw', { resource: [{ resourceType: 'Patient' }], want: ['fatal structure $this'] }],
  [
    'an unknown element',
    { resource: { resourceType: 'Patient', colour: 'blue' }, want: ['error structure Patient.colour'] },
  ],
  [
    'a key that names an Object.prototype member is an unknown element too',
    {
      resource: { resourceType: 'Patient', constructor: 1, _toString: {} },
      want: ['error structure Patient.constructor', 'error structure Patient._toString'],
    },
  ],
  [
    'an unknown element inside a datatype',
    {
      resource: { resourceType: 'Patient', identifier: [{ sytem: 'x' }] },
      want: ['error structure Patient.identifier[0].sytem'],
    },
  ],
  [
    'a repeating element given as a single value',
    { resource: { resourceType: 'Patient', identifier: { value: 'x' } }, want: ['error structure Patient.identifier'] },
  ],
  [
    'a single element given as an array',
    { resource: { resourceType: 'Patient', birthDate: ['2000-01-01'] }, want: ['error structure Patient.birthDate'] },
  ],
  [
    'an empty array',
    { resource: { resourceType: 'Patient', identifier: [] }, want: ['error structure Patient.identifier'] },
  ],
  [
    'a bad date',
    { resource: { resourceType: 'Patient', birthDate: '2000-13-45' }, want: ['error value Patient.birthDate'] },
  ],
  [
    'a date given as a number',
    { resource: { resourceType: 'Patient', birthDate: 20000101 }, want: ['error value Patient.birthDate'] },
  ],
  ['partial dates are dates', { resource: { resourceType: 'Patient', birthDate: '2000-02' }, want: [] }],
  [
    'a boolean given as a string',
    { resource: { resourceType: 'Patient', active: 'true' }, want: ['error structure Patient.active'] },
  ],
  [
    'an empty string',
    {
      resource: { resourceType: 'Patient', identifier: [{ value: '' }] },
      want: ['error structure Patient.identifier[0].value'],
    },
  ],
  [
    'a code with two spaces',
    {
      resource: { resourceType: 'Patient', gender: 'fe  male' },
      want: ['error structure Patient.gender', 'error code-invalid Patient.gender'],
    },
  ],
  [
    'an id too long',
    { resource: { resourceType: 'Patient', id: 'x'.repeat(65) }, want: ['error structure Patient.id'] },
  ],
  [
    'integer formats',
    {
      resource: { resourceType: 'Observation', status: 'final', valueInteger: 1.5 },
      want: ['error structure Observation.valueInteger'],
    },
  ],
  [
    'positiveInt must be above zero',
    {
      resource: { resourceType: 'Observation', status: 'final', valuePositiveInt: 0 },
      want: ['error structure Observation.valuePositiveInt'],
    },
  ],
  [
    'an instant needs a time zone',
    {
      resource: { resourceType: 'Observation', status: 'final', valueInstant: '2020-01-01T10:00:00' },
      want: ['error value Observation.valueInstant'],
    },
  ],
  [
    'a required element missing',
    { resource: { resourceType: 'Observation' }, want: ['error required Observation.status'] },
  ],
  [
    'a required element missing inside a backbone element',
    {
      resource: { resourceType: 'Patient', link: [{ type: 'seealso' }] },
      want: ['error required Patient.link[0].other', 'warning invariant Patient'],
    },
  ],
  ['a choice: one variant is valid', { resource: { resourceType: 'Patient', deceasedBoolean: false }, want: [] }],
  [
    'a choice: two variants',
    {
      resource: { resourceType: 'Patient', deceasedBoolean: false, deceasedDateTime: '2020-01-01' },
      want: ['error structure Patient.deceasedDateTime'],
    },
  ],
  [
    'a choice: a type not allowed',
    { resource: { resourceType: 'Patient', deceasedString: 'yes' }, want: ['error structure Patient.deceasedString'] },
  ],
  [
    'a choice: the variant is checked as its type',
    {
      resource: {
        resourceType: 'Observation',
        status: 'final',
        effectivePeriod: { start: '2020-01-02', end: '2020-01-01' },
      },
      want: ['error invariant Observation.effectivePeriod'],
    },
  ],
  [
    '_field: an extension on a primitive',
    {
      resource: { resourceType: 'Patient', _birthDate: { extension: [{ url: 'https://x', valueString: 'y' }] } },
      want: [],
    },
  ],
  [
    '_field: not an object',
    { resource: { resourceType: 'Patient', _birthDate: 'x' }, want: ['error structure Patient._birthDate'] },
  ],
  [
    '_field: beside a complex element',
    {
      resource: { resourceType: 'Patient', _identifier: [{ id: 'x' }] },
      want: ['error structure Patient._identifier'],
    },
  ],
  [
    '_field: an unknown key inside',
    {
      resource: { resourceType: 'Patient', _birthDate: { colour: 'red' } },
      want: ['error structure Patient._birthDate.colour'],
    },
  ],
  [
    'a required binding: a code in the value set',
    { resource: { resourceType: 'Patient', gender: 'female' }, want: [] },
  ],
  [
    'a required binding: a code not in it',
    { resource: { resourceType: 'Patient', gender: 'woman' }, want: ['error code-invalid Patient.gender'] },
  ],
  [
    'a binding that cannot be expanded is reported as not checked',
    { resource: { resourceType: 'Patient', language: 'en-GB' }, want: [], info: ['not-supported Patient.language'] },
  ],
  [
    'a reference to an allowed target',
    {
      resource: {
        resourceType: 'Patient',
        generalPractitioner: [
          { reference: 'Organization/1' },
          { reference: 'https://x.org/fhir/Practitioner/2/_history/3' },
        ],
      },
      want: [],
    },
  ],
  [
    'a reference to a target not allowed',
    {
      resource: { resourceType: 'Patient', generalPractitioner: [{ reference: 'Patient/1' }] },
      want: ['error value Patient.generalPractitioner[0]'],
    },
  ],
  [
    'a reference whose type says a target not allowed',
    {
      resource: { resourceType: 'Patient', generalPractitioner: [{ type: 'Patient', display: 'x' }] },
      want: ['error value Patient.generalPractitioner[0]'],
    },
  ],
  [
    'a contained reference resolves to the contained resource type',
    {
      resource: {
        resourceType: 'Patient',
        contained: [{ resourceType: 'Patient', id: 'p' }],
        generalPractitioner: [{ reference: '#p' }],
      },
      want: ['error value Patient.generalPractitioner[0]'],
    },
  ],
  [
    'ref-1: a local reference without its contained resource',
    {
      resource: { resourceType: 'Patient', generalPractitioner: [{ reference: '#nothing' }] },
      want: ['error invariant Patient.generalPractitioner[0]'],
    },
  ],
  [
    'contained resources are validated against their type',
    {
      resource: {
        resourceType: 'Patient',
        contained: [{ resourceType: 'Organization', id: 'o', nmae: 'x' }],
        generalPractitioner: [{ reference: '#o' }],
      },
      want: ['error structure Patient.contained[0].nmae'],
    },
  ],
  [
    'dom-3: a contained resource nobody references',
    {
      resource: { resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o' }] },
      want: ['error invariant Patient'],
    },
  ],
  [
    'dom-2: no contained inside contained',
    {
      resource: {
        resourceType: 'Patient',
        contained: [{ resourceType: 'Organization', id: 'o', contained: [{ resourceType: 'Organization', id: 'p' }] }],
        generalPractitioner: [{ reference: '#o' }, { reference: '#p' }],
      },
      want: [
        'error invariant Patient',
        'error invariant Patient.contained[0]',
        'error invariant Patient.generalPractitioner[1]',
      ],
    },
  ],
  [
    'ele-1: an empty object',
    { resource: { resourceType: 'Patient', identifier: [{}] }, want: ['error invariant Patient.identifier[0]'] },
  ],
  [
    'ext-1: an extension with a value and extensions',
    {
      resource: {
        resourceType: 'Patient',
        extension: [{ url: 'https://x', valueString: 'a', extension: [{ url: 'b', valueBoolean: true }] }],
      },
      want: ['error invariant Patient.extension[0]'],
    },
  ],
  [
    'an extension without its url',
    {
      resource: { resourceType: 'Patient', extension: [{ valueString: 'a' }] },
      want: ['error required Patient.extension[0].url'],
    },
  ],
  [
    'a contentReference: nested contacts use the contact definition',
    {
      resource: { resourceType: 'Patient', contact: [{ contact: [{ name: 'x', bad: 1 }] }] },
      want: ['error structure Patient.contact[0].contact[0].bad'],
    },
  ],
  [
    'a fhirpath invariant that holds',
    {
      resource: {
        resourceType: 'Patient',
        active: true,
        link: [{ other: { reference: 'Patient/2' }, type: 'seealso' }],
      },
      want: [],
    },
  ],
  [
    'a fhirpath invariant that fails, with its severity',
    {
      resource: {
        resourceType: 'Patient',
        active: true,
        link: [{ other: { reference: 'Patient/2', display: 'x' }, type: 'seealso' }],
      },
      want: ['error invariant Patient.link[0]'],
    },
  ],
  [
    'a warning invariant is a warning',
    {
      resource: { resourceType: 'Patient', link: [{ other: { reference: 'Patient/2' }, type: 'refer' }] },
      want: ['warning invariant Patient'],
    },
  ],
  [
    'an invariant fhirpath cannot evaluate is reported as not checked',
    {
      resource: { resourceType: 'Patient', contact: [{ name: 'x' }] },
      want: [],
      info: ['not-supported Patient.contact[0]'],
    },
  ],
  [
    'invariants can be switched off',
    { resource: { resourceType: 'Patient', identifier: [{}] }, invariants: false, want: [] },
  ],
  ['the profile: a valid resource', { resource: profiled({}), want: [] }],
  [
    'the profile comes from meta.profile; its required slice missing',
    {
      resource: profiled({ identifier: [{ system: 'https://x', value: '1' }] }),
      want: ['error required Patient.identifier'],
    },
  ],
  [
    'the profile from the options beats the base',
    { resource: { resourceType: 'Patient' }, profile: PROFILE, want: ['error required Patient.identifier'] },
  ],
  [
    'an unknown profile in the options is an error',
    { resource: { resourceType: 'Patient' }, profile: 'https://nowhere/x', want: ['error not-found Patient'] },
  ],
  [
    'an unknown profile in meta.profile is a warning; the base type is checked',
    {
      resource: { resourceType: 'Patient', meta: { profile: ['https://nowhere/x'] } },
      want: ['warning not-found Patient'],
    },
  ],
  ['a fixed value', { resource: profiled({ active: false }), want: ['error value Patient.active'] }],
  [
    'a pattern value holds with more codings',
    {
      resource: profiled({
        maritalStatus: {
          coding: [
            { system: 'https://other' },
            { system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' },
          ],
        },
      }),
      want: [],
    },
  ],
  [
    'a pattern value that does not hold',
    {
      resource: profiled({ maritalStatus: { coding: [{ system: 'https://other', code: 'M' }] } }),
      want: ['error value Patient.maritalStatus'],
    },
  ],
  [
    'a slice too often',
    { resource: profiled({ identifier: [NHS, NHS] }), want: ['error structure Patient.identifier'] },
  ],
  [
    'a slice item checked against the slice',
    {
      resource: profiled({ identifier: [{ system: NHS.system }] }),
      want: ['error required Patient.identifier[0].value'],
    },
  ],
  [
    'open slicing accepts other items',
    { resource: profiled({ identifier: [NHS, { system: 'https://x', value: '1' }] }), want: [] },
  ],
  [
    'closed slicing rejects other items',
    {
      resource: {
        ...profiled({ identifier: [NHS, { system: 'https://x', value: '1' }] }),
        meta: { profile: [CLOSED_PROFILE] },
      },
      want: ['error structure Patient.identifier[1]'],
    },
  ],
  [
    'ordered slicing rejects items out of order',
    {
      resource: {
        ...profiled({ identifier: [{ system: 'https://example.org/local', value: '1' }, NHS] }),
        meta: { profile: [CLOSED_PROFILE] },
      },
      want: ['error structure Patient.identifier[1]'],
    },
  ],
  [
    'an extension slice is checked against its definition',
    {
      resource: profiled({ extension: [{ url: ETHNIC, valueString: 'x' }] }),
      want: ['error structure Patient.extension[0].valueString'],
    },
  ],
  [
    'an extension slice with its value type',
    { resource: profiled({ extension: [{ url: ETHNIC, valueCodeableConcept: { text: 'x' } }] }), want: [] },
  ],
  [
    'an extension slice too often',
    {
      resource: profiled({
        extension: [
          { url: ETHNIC, valueCodeableConcept: { text: 'x' } },
          { url: ETHNIC, valueCodeableConcept: { text: 'y' } },
        ],
      }),
      want: ['error structure Patient.extension'],
    },
  ],
];

function nest(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { url: 'x', valueString: 'leaf' };
  for (let level = 0; level < depth; level++) value = { url: 'x', extension: [value] };
  return value;
}

describe('validator rules on hand-written tables', () => {
  test.each(rows)('%s', (_title, row) => {
    const outcome = validate(row.resource, {
      ...(row.profile === undefined ? {} : { profile: row.profile }),
      ...(row.invariants === undefined ? {} : { invariants: row.invariants }),
    });
    const got = outcome.issue
      .filter((issue) => issue.severity !== 'information')
      .map((issue) => `${issue.severity} ${issue.code} ${issue.expression[0]}`);
    expect(got.sort()).toEqual([...row.want].sort());
    if (row.info !== undefined) {
      const info = outcome.issue
        .filter((issue) => issue.severity === 'information')
        .map((issue) => `${issue.code} ${issue.expression[0]}`);
      expect(info).toEqual(row.info);
    }
  });

  test('several declared profiles: each resolved and reported first, then each known one walked in order', () => {
    const resource = {
      ...profiled({ identifier: [NHS, { system: 'https://x', value: '1' }] }),
      meta: { profile: ['https://example.org/unknown', PROFILE, ETHNIC, CLOSED_PROFILE] },
    };
    expect(
      validate(resource).issue.map((issue) => `${issue.severity} ${issue.expression[0]} ${issue.diagnostics}`),
    ).toEqual([
      'warning Patient Profile https://example.org/unknown is not known to this validator: checked against the ' +
        'base Patient only',
      `error Patient Profile ${ETHNIC} is for Extension, not Patient`,
      'error Patient.identifier[1] Patient.identifier[1]: does not match any slice of Patient.identifier ' +
        '(slicing is closed)',
    ]);
  });

  test('a clean resource gives one informational issue, as FHIR wants at least one', () => {
    expect(validate({ resourceType: 'Patient' })).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'information', code: 'informational', diagnostics: 'No issues found', expression: ['$this'] },
      ],
    });
  });

  test('frozen tables work as well (the derived facts go beside them, not on them)', () => {
    const freeze = (value: unknown): unknown => {
      if (typeof value === 'object' && value !== null) {
        for (const item of Object.values(value)) freeze(item);
        Object.freeze(value);
      }
      return value;
    };
    const frozen = createValidator(freeze(structuredClone(fixtureTables)) as typeof fixtureTables);
    expect(
      frozen({ resourceType: 'Patient', birthDate: '2000-13-45' }).issue.map((issue) => issue.expression[0]),
    ).toEqual(['Patient.birthDate']);
  });

  test('deep nesting is bounded: an error at the limit, not a stack overflow', () => {
    const issues = validate({ resourceType: 'Patient', extension: [nest(3000)] }).issue;
    expect(issues.filter((issue) => issue.severity === 'fatal')).toEqual([]);
    expect(issues.some((issue) => issue.diagnostics.endsWith('nested deeper than 400 levels'))).toBe(true);
  });

  test('each issue says what is wrong and where', () => {
    const [issue] = validate({ resourceType: 'Patient', birthDate: '2000-13-45' }).issue;
    expect(issue).toEqual({
      severity: 'error',
      code: 'value',
      diagnostics: "Patient.birthDate: '2000-13-45' is not a valid date",
      expression: ['Patient.birthDate'],
    });
  });
});
