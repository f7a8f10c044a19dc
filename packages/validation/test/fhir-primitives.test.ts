import { describe, expect, test } from 'vitest';
import { createValidator, type OperationOutcome } from '../src/index.js';
import { withoutCaptures } from '../src/primitives.js';
import { fixtureTables } from './fixture-tables.js';

// Primitives as FHIR defines them (issue 14): ids (Resource.id included), calendar dates, Unicode and the
// 1 MB limit of strings; and the options unknownProfile and bestPractice. The hand-written tables hold the
// date rules; the id rules are checked on the real tables (tools/validation-conformance/test/real-primitives.test.ts),
// where R4 types Resource.id as a plain string.

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

describe('formats checked without a regex match or a counted repeat', () => {
  test('an id is 1 to 64 of its characters (the {1,64} of its format, checked as a length)', () => {
    const at = (id: string) => errorsAt(fixture({ resourceType: 'Patient', id }));
    expect(at('a'.repeat(64))).toEqual([]);
    expect(at('A-1.b')).toEqual([]);
    expect(at('a'.repeat(65))).toEqual(['structure Patient.id']);
    expect(at('a b')).toEqual(['structure Patient.id']);
    expect(at('a_b')).toEqual(['structure Patient.id']);
    expect(at('')).toEqual(['structure Patient.id']);
  });
  test("a date's day is read after a leading minus, where the format allows one (the specification's)", () => {
    const specDates = createValidator({
      ...fixtureTables,
      primitives: { ...fixtureTables.primitives, date: { json: 'string' } },
    });
    const birth = (day: string) => specDates({ resourceType: 'Patient', birthDate: day }).issue;
    expect(birth('-2020-02-29').filter((issue) => issue.severity === 'error')).toEqual([]);
    expect(birth('-2021-02-29')[0]?.diagnostics).toBe(
      "Patient.birthDate: '-2021-02-29' is not a day of the calendar (2021-02 has 28 days)",
    );
    expect(birth('0000-04-31')[0]?.diagnostics).toBe(
      "Patient.birthDate: '0000-04-31' is not a day of the calendar (0-04 has 30 days)",
    );
    expect(birth('2021-01-00')[0]?.diagnostics).toBe(
      "Patient.birthDate: '2021-01-00' is not a day of the calendar (2021-01 has 31 days)",
    );
  });
});

describe('a table format of one class repeated', () => {
  const withFormat = (regex: string) =>
    createValidator({ ...fixtureTables, primitives: { ...fixtureTables.primitives, id: { json: 'string', regex } } });
  test('{1,n} is read as a length and the class', () => {
    const validate = withFormat('[a-c]{1,3}');
    expect(errorsAt(validate({ resourceType: 'Patient', id: 'abc' }))).toEqual([]);
    expect(errorsAt(validate({ resourceType: 'Patient', id: 'abca' }))).toEqual(['structure Patient.id']);
    expect(errorsAt(validate({ resourceType: 'Patient', id: 'abd' }))).toEqual(['structure Patient.id']);
  });
  test('{1,0}, which is no regex, leaves only the checks every string has', () => {
    expect(errorsAt(withFormat('[a-c]{1,0}')({ resourceType: 'Patient', id: 'xyz' }))).toEqual([]);
  });
});

describe('a table format tested without its captures', () => {
  test('groups become non-capturing; escaped parentheses, classes and existing groups stay as they are', () => {
    expect(withoutCaptures('[^\\s]+(\\s[^\\s]+)*')).toBe('[^\\s]+(?:\\s[^\\s]+)*');
    expect(withoutCaptures('\\(a(b)[(]x')).toBe('\\(a(?:b)[(]x');
    expect(withoutCaptures('[\\](]x(y)')).toBe('[\\](]x(?:y)');
    expect(withoutCaptures('(?:a)(?=b)(c)')).toBe('(?:a)(?=b)(?:c)');
  });
  test('a format that refers back to a group keeps its groups', () => {
    expect(withoutCaptures('(a)b\\1')).toBe('(a)b\\1');
    expect(withoutCaptures('(?<x>a)\\k<x>')).toBe('(?<x>a)\\k<x>');
  });
  test('a format with a back reference still means what it says', () => {
    const validate = createValidator({
      ...fixtureTables,
      primitives: { ...fixtureTables.primitives, id: { json: 'string', regex: '([a-c])-\\1' } },
    });
    expect(errorsAt(validate({ resourceType: 'Patient', id: 'a-a' }))).toEqual([]);
    expect(errorsAt(validate({ resourceType: 'Patient', id: 'a-b' }))).toEqual(['structure Patient.id']);
  });
});
