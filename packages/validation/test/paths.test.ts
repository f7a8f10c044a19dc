import { describe, expect, test } from 'vitest';
import { createValidator, type OperationOutcome, type ValidationTables } from '../src/index.js';
import { PROFILE, fixtureTables } from './fixture-tables.js';

// The walk reuses one path step per depth (src/path.ts) and checks most primitives in validateObject's own loop:
// each issue must still name its own node, whatever was walked before and after it.

const validate = createValidator(fixtureTables);
const NHS = { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' };
const errorsAt = (outcome: OperationOutcome): string[] =>
  outcome.issue.filter((issue) => issue.severity === 'error').map((issue) => issue.expression[0]);

describe('issue paths', () => {
  test('siblings and nested items each have their own path, in walk order', () => {
    const outcome = validate({
      resourceType: 'Patient',
      birthDate: 'soon',
      identifier: [{ sytem: 'a' }, { value: 'ok' }, { system: 'a b', value: 'x' }],
      contact: [{ name: 'x' }, { contact: [{ name: 1 }, { nmae: 'y' }] }],
      gender: '',
    });
    expect(errorsAt(outcome)).toEqual([
      'Patient.birthDate',
      'Patient.identifier[0].sytem',
      'Patient.identifier[2].system',
      'Patient.contact[1].contact[0].name',
      'Patient.contact[1].contact[1].nmae',
      'Patient.gender',
      'Patient.gender',
    ]);
  });

  test('an issue found on an object after its children are walked names the object', () => {
    const outcome = validate({
      resourceType: 'Patient',
      meta: { profile: [PROFILE] },
      identifier: [{ system: NHS.system, value: 'x', sytem: 'y' }],
      link: [{ type: 'seealso', other: { display: 'x', reference: 'Patient/1', refrence: 'x' } }, { type: 'refer' }],
    });
    expect(errorsAt(outcome)).toEqual([
      'Patient.identifier[0].sytem',
      'Patient.link[0].other.refrence',
      'Patient.link[0]',
      'Patient.link[1].other',
    ]);
  });

  test('a primitive checked in the object loop names its property, in a datatype and in a choice', () => {
    const outcome = validate({
      resourceType: 'Observation',
      status: 'final',
      valueInstant: 'now',
      effectivePeriod: { start: '2020-01-01', end: 'later' },
    });
    expect(errorsAt(outcome)).toEqual(['Observation.valueInstant', 'Observation.effectivePeriod.end']);
  });

  test('matching an item against a slice by trial leaves the paths of the walk around it intact', () => {
    // The NHS number slice undetermined: each identifier is validated against the slice, on its own trail, to match.
    const tables = structuredClone(fixtureTables) as ValidationTables;
    const slice = tables.structures[PROFILE]!.elements.find((element) => element.id === 'Patient.identifier:nhsNumber');
    slice!.match = [{ path: 'system', type: 'value', undetermined: true }];
    const outcome = createValidator(tables)({
      resourceType: 'Patient',
      meta: { profile: [PROFILE] },
      identifier: [{ system: 'https://x', value: 'y', sytem: 'z' }, NHS],
      contact: [{ nmae: 'x' }],
    });
    expect(errorsAt(outcome)).toEqual(['Patient.identifier[0].sytem', 'Patient.contact[0].nmae']);
  });

  test('one validator, call after call: each path starts at its own resource, however deep the last walk went', () => {
    const deep = { resourceType: 'Patient', contact: [{ contact: [{ contact: [{ nmae: 'x' }] }] }] };
    expect(errorsAt(validate(deep))).toEqual(['Patient.contact[0].contact[0].contact[0].nmae']);
    expect(errorsAt(validate({ resourceType: 'Organization', nmae: 'x' }))).toEqual(['Organization.nmae']);
    expect(errorsAt(validate({ resourceType: 'Patient', contact: [{ nmae: 'x' }] }))).toEqual([
      'Patient.contact[0].nmae',
    ]);
  });

  test('maxIssues counts the issues past it, whether found in the object loop or deeper', () => {
    const resource = {
      resourceType: 'Patient',
      birthDate: 'soon',
      gender: '',
      identifier: [{ sytem: 'a' }, { sytem: 'b' }],
    };
    const outcome = validate(resource, { maxIssues: 2 });
    expect(outcome.issue.map((issue) => `${issue.severity} ${issue.code} ${issue.expression[0]}`)).toEqual([
      'error value Patient.birthDate',
      'error structure Patient.gender',
      'error too-costly $this',
    ]);
    expect(outcome.issue[2]!.diagnostics).toMatch(/^3 more issues were left out \(3 error;/);
  });
});

describe('required children, met in the object loop or looked up after it', () => {
  test('a required choice met by a variant, by its extension alone, or missing', () => {
    const observation = (extra: Record<string, unknown>) =>
      errorsAt(validate({ resourceType: 'Observation', valueString: 'x', ...extra }));
    expect(observation({ status: 'final' })).toEqual([]);
    expect(observation({ _status: { extension: [{ url: 'https://x', valueString: 'y' }] } })).toEqual([]);
    expect(observation({})).toEqual(['Observation.status']);
    expect(observation({ status: null })).toEqual(['Observation.status']);
  });
  test('past 31 required children, the rest are looked up, each reported once in order', () => {
    const tables = structuredClone(fixtureTables) as ValidationTables;
    const organization = Object.values(tables.structures).find((table) => table.type === 'Organization')!;
    const root = organization.elements[0]!;
    for (let position = 0; position < 40; position++) {
      const name = `field${position}`;
      root.children = { ...root.children, [name]: organization.elements.length };
      organization.elements.push({
        id: `Organization.${name}`,
        path: `Organization.${name}`,
        min: 1,
        max: 1,
        array: false,
        types: [{ code: 'string' }],
      });
    }
    const resource: Record<string, unknown> = { resourceType: 'Organization' };
    for (let position = 0; position < 40; position++) if (position % 3 !== 0) resource[`field${position}`] = 'x';
    const missing = Array.from({ length: 40 }, (_, position) => position)
      .filter((position) => position % 3 === 0)
      .map((position) => `Organization.field${position}`);
    expect(errorsAt(createValidator(tables)(resource))).toEqual(missing);
  });
});

describe("children found by their key's position in the last object of the element", () => {
  test('objects of one element with their keys in other orders, and unknown keys where known ones were', () => {
    const identifiers = [
      { system: 'a b', value: 'x' },
      { value: 1, system: 'https://x' },
      { sytem: 'x', value: 'y' },
      { value: 'y', system: 'x', valeu: 'z' },
      { system: 'ok', value: 'ok' },
    ];
    expect(errorsAt(validate({ resourceType: 'Patient', identifier: identifiers }))).toEqual([
      'Patient.identifier[0].system',
      'Patient.identifier[1].value',
      'Patient.identifier[2].sytem',
      'Patient.identifier[3].valeu',
    ]);
  });

  test('objects of one element alternating between two key orders', () => {
    // Each position remembers its last two keys: the alternation is met from the second way, not the Map.
    const identifiers = [
      { system: 'a b', value: 'x' },
      { value: 1, system: 'https://x' },
      { system: 'https://x', value: 2 },
      { value: 'ok', system: 'a b' },
      { system: 'https://x', valeu: 'y' },
      { value: 'ok', sytem: 'x' },
    ];
    expect(errorsAt(validate({ resourceType: 'Patient', identifier: identifiers }))).toEqual([
      'Patient.identifier[0].system',
      'Patient.identifier[1].value',
      'Patient.identifier[2].value',
      'Patient.identifier[3].system',
      'Patient.identifier[4].valeu',
      'Patient.identifier[5].sytem',
    ]);
  });

  test('an object with more keys than are remembered, then ordinary ones', () => {
    const wide: Record<string, unknown> = { system: 'x' };
    for (let position = 0; position < 100; position++) wide[`extra${position}`] = position;
    wide['value'] = 2;
    const outcome = validate({ resourceType: 'Patient', identifier: [wide, { system: 'x', value: 3 }] });
    expect(errorsAt(outcome)).toEqual([
      ...Array.from({ length: 100 }, (_, position) => `Patient.identifier[0].extra${position}`),
      'Patient.identifier[0].value',
      'Patient.identifier[1].value',
    ]);
  });
});

describe('a datatype met again', () => {
  // After a child's first object, the walk goes straight to the type's structure when the element adds nothing to
  // check: later objects, and later calls, must be checked as fully as the first.
  const observation = (period: Record<string, unknown>) => ({
    resourceType: 'Observation',
    status: 'final',
    effectivePeriod: period,
  });
  const reversed = { start: '2020-02-01', end: '2020-01-01' };

  test("the type's invariants run on every object, and only when invariants are asked for", () => {
    const fresh = createValidator(fixtureTables);
    for (let call = 0; call < 3; call++) {
      const outcome = fresh(observation(reversed));
      expect(outcome.issue.map((issue) => issue.diagnostics.slice(0, 6))).toEqual(['per-1:']);
      expect(errorsAt(fresh(observation(reversed), { invariants: false }))).toEqual([]);
    }
  });

  test('unknown keys, bad values and a value that is not an object, after the first object', () => {
    const fresh = createValidator(fixtureTables);
    expect(errorsAt(fresh(observation({ start: '2020-01-01' })))).toEqual([]);
    expect(errorsAt(fresh(observation({ start: 'soon', strat: 'x' })))).toEqual([
      'Observation.effectivePeriod.start',
      'Observation.effectivePeriod.strat',
    ]);
    expect(errorsAt(fresh({ resourceType: 'Observation', status: 'final', effectivePeriod: 'soon' }))).toEqual([
      'Observation.effectivePeriod',
    ]);
  });
});
