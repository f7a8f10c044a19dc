import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { describe, expect, test } from 'vitest';
import { compileSubset, Unsupported } from '../src/fhirpath-subset.js';

// The subset compiler against fhirpath itself: each case gives its expected result, and fhirpath (with the R4
// model) must give the same, so a case cannot encode a wrong reading of FHIRPath. "outside" means the closure
// must refuse the value (fhirpath decides it instead).

const CHOICES = new Set(['value', 'onset', 'effective']);

interface Case {
  title: string;
  base: string;
  expression: string;
  node: Record<string, unknown>;
  want: unknown[] | 'outside';
  /** fhirpath cannot evaluate it here (resolve() needs its async mode): only the closure's result is checked. */
  noOracle?: true;
}

const cases: Case[] = [
  {
    title: 'dateTimes with zones compare as instants',
    base: 'Task',
    expression: 'lastModified >= authoredOn',
    node: { resourceType: 'Task', authoredOn: '2020-01-01T09:30:00Z', lastModified: '2020-01-01T10:00:00+01:00' },
    want: [false],
  },
  {
    title: 'dates of different precision that agree as far as both go compare as empty',
    base: 'Period',
    expression: 'start <= end',
    node: { start: '2020', end: '2020-05' },
    want: [],
  },
  {
    title: 'dates of different precision that differ compare at the lesser precision',
    base: 'Period',
    expression: 'start <= end',
    node: { start: '2021-01-05', end: '2020-05' },
    want: [false],
  },
  {
    title: 'a dateTime without a zone depends on the machine: outside',
    base: 'Period',
    expression: 'start <= end',
    node: { start: '2020-01-01T10:00:00', end: '2020-01-01T11:00:00Z' },
    want: 'outside',
  },
  {
    title: 'matches() finds the pattern anywhere in the string',
    base: 'Questionnaire',
    expression: "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
    node: { resourceType: 'Questionnaire', status: 'draft', name: 'fitness Note' },
    want: [true],
  },
  {
    title: 'matches() is false when the pattern is nowhere',
    base: 'Questionnaire',
    expression: "name.matches('[A-Z]([A-Za-z0-9_]){0,254}')",
    node: { resourceType: 'Questionnaire', status: 'draft', name: 'fitness' },
    want: [false],
  },
  {
    title: 'descendants().linkId finds nested items, not the focus itself',
    base: 'Questionnaire',
    expression: 'descendants().linkId.isDistinct()',
    node: {
      resourceType: 'Questionnaire',
      status: 'draft',
      item: [{ linkId: '1', type: 'group', item: [{ linkId: '1', type: 'string' }] }],
    },
    want: [false],
  },
  {
    title: 'descendants().linkId.count() over several levels',
    base: 'Questionnaire',
    expression: 'descendants().linkId.count()',
    node: {
      resourceType: 'Questionnaire',
      status: 'draft',
      item: [
        {
          linkId: '1',
          type: 'group',
          item: [
            { linkId: '1.1', type: 'string' },
            { linkId: '1.2', type: 'string' },
          ],
        },
      ],
    },
    want: [3],
  },
  {
    title: 'descendants() meeting a primitive extension: outside',
    base: 'Questionnaire',
    expression: 'descendants().linkId.isDistinct()',
    node: {
      resourceType: 'Questionnaire',
      status: 'draft',
      item: [{ linkId: '1', _linkId: { id: 'a' }, type: 'string' }],
    },
    want: 'outside',
  },
  {
    title: 'a choice name is found under its typed name',
    base: 'Observation',
    expression: 'value.exists()',
    node: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1 } },
    want: [true],
  },
  {
    title: 'a name that is no choice is not found under a longer key (referenceRange is not reference)',
    base: 'Observation',
    expression: 'reference.exists()',
    node: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, referenceRange: [{ text: 'normal' }] },
    want: [false],
  },
  {
    title: 'a function outside the subset is not reached when the left of implies is false',
    base: 'CareTeam',
    expression: 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))',
    node: { participant: [{ member: { reference: 'Practitioner/1' } }] },
    want: [true],
    noOracle: true,
  },
  {
    title: 'a function outside the subset is outside when reached',
    base: 'CareTeam',
    expression: 'onBehalfOf.exists() implies (member.resolve().iif(empty(), true, ofType(Practitioner).exists()))',
    node: { member: { reference: 'Practitioner/1' }, onBehalfOf: { reference: 'Organization/1' } },
    want: 'outside',
    noOracle: true,
  },
];

describe('the FHIRPath subset compiled to closures', () => {
  test.each(cases)('$title', ({ base, expression, node, want, noOracle }) => {
    const closure = compileSubset(expression, CHOICES);
    if (want === 'outside') expect(() => closure(node, node)).toThrow(Unsupported);
    else expect(closure(node, node)).toEqual(want);
    if (noOracle === true || want === 'outside') return;
    expect(fhirpath.evaluate(node, { base, expression }, undefined, r4Model)).toEqual(want);
  });

  test('syntax outside the subset is refused when compiled', () => {
    expect(() => compileSubset("name.matches('a'")).toThrow(Unsupported);
    expect(() => compileSubset('a ## b')).toThrow(Unsupported);
  });
});

describe('collections are shared, not copied', () => {
  // Results are read, never changed: a member's list may be the resource's own array, and each compiled expression
  // refills one focus per call. Neither may leak into what a caller holds or into the resource.
  test("a member's values, with and without nulls in the resource's array", () => {
    const given = compileSubset('given');
    const name = { given: ['Ann', 'Bea'] };
    expect(given(name, name)).toEqual(['Ann', 'Bea']);
    const withNull = { given: ['Ann', null, 'Cy'], _given: [null, { id: 'x' }, null] };
    expect(given(withNull, withNull)).toEqual(['Ann', 'Cy']);
    expect(withNull.given).toEqual(['Ann', null, 'Cy']);
    expect(compileSubset('given.count()')(withNull, withNull)).toEqual([2]);
    expect(compileSubset("given | 'Zed'")(name, name)).toEqual(['Ann', 'Bea', 'Zed']);
    expect(name.given).toEqual(['Ann', 'Bea']);
  });

  test('a result kept by the caller stays as it was after the next evaluation', () => {
    const self = compileSubset('$this');
    const first = { id: 'a' };
    const kept = self(first, first);
    expect(self({ id: 'b' }, first)).toEqual([{ id: 'b' }]);
    expect(kept).toEqual([{ id: 'a' }]);
    const exists = compileSubset('id.exists()');
    const yes = exists(first, first);
    expect(exists({}, first)).toEqual([false]);
    expect(yes).toEqual([true]);
  });

  test('an evaluation that refuses its value leaves the next one unaffected', () => {
    const compare = compileSubset('start <= end');
    expect(() => compare({ start: 1, end: '2020' }, {})).toThrow(Unsupported);
    expect(compare({ start: '2020-01-01', end: '2020-02-01' }, {})).toEqual([true]);
  });
});
