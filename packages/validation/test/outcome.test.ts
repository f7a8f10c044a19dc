import { describe, expect, test } from 'vitest';
import { IssueList, toOutcome } from '../src/outcome.js';

// An issue found twice (a node checked against a slicing entry and against its slice) is kept once: repeats are found
// by comparing fields while the list is short, by key past that.

const texts = (list: IssueList): string[] =>
  list.issues.map((issue) => `${issue.severity} ${issue.code} ${issue.expression[0]} ${issue.diagnostics}`);

describe('IssueList repeats', () => {
  test('an issue equal in all four fields is kept once; one differing in any field is kept', () => {
    const list = new IssueList();
    list.add('error', 'value', 'Patient.gender', 'bad');
    list.add('error', 'value', 'Patient.gender', 'bad');
    list.add('warning', 'value', 'Patient.gender', 'bad');
    list.add('error', 'structure', 'Patient.gender', 'bad');
    list.add('error', 'value', 'Patient.name', 'bad');
    list.add('error', 'value', 'Patient.gender', 'worse');
    expect(texts(list)).toEqual([
      'error value Patient.gender bad',
      'warning value Patient.gender bad',
      'error structure Patient.gender bad',
      'error value Patient.name bad',
      'error value Patient.gender worse',
    ]);
    expect(list.errors).toBe(4);
  });

  test('past the issues compared one by one, repeats of early and late issues are still kept once', () => {
    const list = new IssueList();
    for (let round = 0; round < 3; round++)
      for (let position = 0; position < 40; position++)
        list.add('error', 'value', { toString: () => `Patient.identifier[${position}]` }, `bad ${position}`);
    expect(list.issues).toHaveLength(40);
    expect(list.errors).toBe(40);
    expect(new Set(texts(list)).size).toBe(40);
    expect(toOutcome(list).issue).toHaveLength(40);
  });

  test('repeats past maxIssues are counted, as before', () => {
    const list = new IssueList(2);
    for (let round = 0; round < 2; round++) for (const at of ['a', 'b', 'c']) list.add('error', 'value', at, 'bad');
    expect(texts(list)).toEqual(['error value a bad', 'error value b bad']);
    expect(toOutcome(list).issue.at(-1)!.diagnostics).toMatch(/^4 more issues were left out/);
  });
});
