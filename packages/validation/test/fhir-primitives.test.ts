import { beforeAll, describe, expect, test } from 'vitest';
import { createValidator, type OperationOutcome, type Validate } from '../src/index.js';
import { fixtureTables } from './fixture-tables.js';
import { compileRealPackages, type CompiledPackage } from './real-packages.js';

// Primitives as FHIR defines them (issue 14): ids (Resource.id included), calendar dates, Unicode and the
// 1 MB limit of strings; and the options unknownProfile and bestPractice. The hand-written tables hold the
// date rules; the id rules are checked on the real tables, where R4 types Resource.id as a plain string.

const fixture = createValidator(fixtureTables);
const errorsAt = (outcome: OperationOutcome): string[] =>
  outcome.issue
    .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map((issue) => `${issue.code} ${issue.expression[0]}`);

describe('dates that do not exist', () => {
  const impossible = ['2020-02-30', '2021-02-29', '2020-04-31', '1900-02-29', '2020-06-31'];
  test.each(impossible)('date %s is an error', (day) => {
    expect(errorsAt(fixture({ resourceType: 'Patient', birthDate: day }))).toEqual(['value Patient.birthDate']);
  });
  test.each(impossible)('dateTime %sT10:00:00Z is an error', (day) => {
    expect(errorsAt(fixture({ resourceType: 'Patient', deceasedDateTime: `${day}T10:00:00Z` }))).toEqual([
      'value Patient.deceasedDateTime',
    ]);
  });
  test.each(impossible)('instant %sT10:00:00.000+01:00 is an error', (day) => {
    const observation = { resourceType: 'Observation', status: 'final', valueInstant: `${day}T10:00:00.000+01:00` };
    expect(errorsAt(fixture(observation))).toEqual(['value Observation.valueInstant']);
  });
  test.each(['2020-02-29', '2000-02-29', '2021-02-28', '2020-04-30', '2020-12-31', '2020-02', '2020'])(
    '%s is a date (leap years, last days, partial dates)',
    (day) => {
      expect(errorsAt(fixture({ resourceType: 'Patient', birthDate: day }))).toEqual([]);
    },
  );
  test('a real instant passes (a leap day, a leap second, the widest time zones)', () => {
    const observation = { resourceType: 'Observation', status: 'final', valueInstant: '2020-02-29T23:59:60.5-14:00' };
    expect(errorsAt(fixture(observation))).toEqual([]);
    expect(errorsAt(fixture({ ...observation, valueInstant: '2000-02-29T00:00:00+14:00' }))).toEqual([]);
  });
  test('the message says why', () => {
    expect(fixture({ resourceType: 'Patient', birthDate: '2021-02-29' }).issue[0]?.diagnostics).toBe(
      "Patient.birthDate: '2021-02-29' is not a day of the calendar (2021-02 has 28 days)",
    );
  });
  test.each([
    ['a time without a time zone', '2020-01-01T10:00:00'],
    ['a time zone past +14:00', '2020-01-01T10:00:00+15:00'],
    ['an hour 24', '2020-01-01T24:00:00Z'],
  ])('dateTime with %s is an error', (_title, value) => {
    expect(errorsAt(fixture({ resourceType: 'Patient', deceasedDateTime: value }))).toEqual([
      'value Patient.deceasedDateTime',
    ]);
  });
});

describe('strings', () => {
  test('a lone surrogate is an error (a high one, a low one); a surrogate pair is a character', () => {
    for (const text of ['a\uD800b', '\uDC00', 'end\uD83D'])
      expect(errorsAt(fixture({ resourceType: 'Patient', contact: [{ name: text }] }))).toEqual([
        'structure Patient.contact[0].name',
      ]);
    expect(errorsAt(fixture({ resourceType: 'Patient', contact: [{ name: 'smile \uD83D\uDE00 é' }] }))).toEqual([]);
  });
  test('a lone surrogate in a code and in a uri is an error too', () => {
    expect(errorsAt(fixture({ resourceType: 'Patient', gender: 'male\uD800' }))).toContain('structure Patient.gender');
    expect(errorsAt(fixture({ resourceType: 'Patient', meta: { profile: ['https://x/\uDFFF'] } }))).toContain(
      'structure Patient.meta.profile[0]',
    );
  });
  test('1 MB (1024 * 1024 characters) is the limit of a string', () => {
    const at = (length: number) =>
      errorsAt(fixture({ resourceType: 'Patient', contact: [{ name: 'x'.repeat(length) }] }));
    expect(at(1024 * 1024)).toEqual([]);
    expect(at(1024 * 1024 + 1)).toEqual(['structure Patient.contact[0].name']);
  });
});

describe('on the real tables', () => {
  let packages: CompiledPackage[];
  let ukCore: Validate;
  let rarecord: Validate;
  beforeAll(async () => {
    packages = await compileRealPackages();
    ukCore = packages[0]!.validate;
    rarecord = packages[2]!.validate;
  }, 120_000);

  const badIds: [string, string][] = [
    ['a space', 'a b'],
    ['65 characters', 'a'.repeat(65)],
    ['a non-ASCII letter', 'é'],
    ['an empty string', ''],
    ['50 million characters', 'x'.repeat(50_000_000)],
  ];
  test.each(badIds)('a resource id with %s is an error (R4: Resource.id is typed string, defined as id)', (_t, id) => {
    expect(errorsAt(ukCore({ resourceType: 'Patient', id }))).toEqual(['structure Patient.id']);
    expect(
      errorsAt(
        rarecord({ resourceType: 'Flag', id, status: 'active', code: { text: 'x' }, subject: { display: 'x' } }),
      ),
    ).toEqual(['structure Flag.id']);
  });
  test('64 characters of [A-Za-z0-9-.] is an id; so is meta.versionId; element ids stay strings', () => {
    const id = `${'A-z.9'.repeat(12)}abcd`;
    expect(id).toHaveLength(64);
    expect(errorsAt(ukCore({ resourceType: 'Patient', id, meta: { versionId: id } }))).toEqual([]);
    expect(errorsAt(ukCore({ resourceType: 'Patient', meta: { versionId: 'a b' } }))).toEqual([
      'structure Patient.meta.versionId',
    ]);
    // Element.id is a string in R4, not an id: any text is allowed there.
    expect(errorsAt(ukCore({ resourceType: 'Patient', name: [{ id: 'a b é', family: 'X' }] }))).toEqual([]);
  });
  test('resource ids inside a Bundle and in contained are checked as ids', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:6f1c1a2e-0d63-4b4f-9a3e-6a0d1c2b3e4f', resource: { resourceType: 'Patient', id: 'a b' } },
      ],
    };
    expect(errorsAt(ukCore(bundle))).toEqual(['structure Bundle.entry[0].resource.id']);
  });

  test('an unknown meta.profile: a warning by default, an error with unknownProfile: error', () => {
    const patient = { resourceType: 'Patient', meta: { profile: ['https://example.org/StructureDefinition/Nope'] } };
    const notFound = (outcome: OperationOutcome) =>
      outcome.issue.filter((issue) => issue.code === 'not-found').map((issue) => issue.severity);
    expect(notFound(ukCore(patient))).toEqual(['warning']);
    expect(notFound(ukCore(patient, { unknownProfile: 'warning' }))).toEqual(['warning']);
    expect(notFound(ukCore(patient, { unknownProfile: 'error' }))).toEqual(['error']);
    // A profile the tables know is no issue either way.
    const known = {
      resourceType: 'Patient',
      meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
    };
    expect(notFound(ukCore(known, { unknownProfile: 'error' }))).toEqual([]);
  });

  test('best-practice invariants (dom-6, a resource without narrative): a warning by default, none with bestPractice: ignore', () => {
    const tables = packages[0]!.tables;
    expect(tables.invariants['dom-6']?.bestPractice).toBe(true);
    const bestPractice = Object.values(tables.invariants).filter((invariant) => invariant.bestPractice === true);
    expect(bestPractice.every((invariant) => invariant.severity === 'warning')).toBe(true);
    const keys = (outcome: OperationOutcome) =>
      outcome.issue.filter((issue) => issue.code === 'invariant').map((issue) => issue.diagnostics.split(':')[0]);
    const patient = { resourceType: 'Patient', contact: [{ gender: 'male' }] };
    expect(keys(ukCore(patient))).toContain('dom-6');
    expect(keys(ukCore(patient, { bestPractice: 'warning' }))).toContain('dom-6');
    const ignored = keys(ukCore(patient, { bestPractice: 'ignore' }));
    expect(ignored).not.toContain('dom-6');
    // Only best practice goes: pat-1 (a contact has details or an organization) is an error all the same.
    expect(ignored).toContain('pat-1');
  });
});
