import { expect, test } from 'vitest';
import { FhirpathInvariants } from '../../src/fhirpath-invariants.js';
import { NATIVE_INVARIANTS } from '../../src/native-invariants.js';
import { IssueList } from '../../src/outcome.js';
import { checkInvariants, type ElementInvariant } from '../../src/rules/invariants.js';
import type { InvariantTable } from '../../src/tables.js';

const invariant = (table: InvariantTable): ElementInvariant => ({
  id: table.key,
  table,
  native: NATIVE_INVARIANTS.get(table.expression),
  basePath: 'Patient.contact',
});
const PAT_1 = invariant({
  key: 'pat-1',
  severity: 'error',
  human: "SHALL at least contain a contact's details or a reference to an organization",
  expression: 'name.exists() or telecom.exists() or address.exists() or organization.exists()',
});
const BEST = invariant({
  key: 'bp-1',
  severity: 'warning',
  human: 'should have a name',
  expression: 'name.exists()',
  bestPractice: true,
});
const fhirpath = new FhirpathInvariants('R4', true, new Set());

function run(list: ElementInvariant[], node: unknown, bestPractice = true): string[] {
  const issues = new IssueList();
  const scope = { container: {}, resource: {} };
  checkInvariants(list, node, 'Patient.contact[0]', { issues, bestPractice, scope }, fhirpath);
  return issues.issues.map((issue) => `${issue.severity} ${issue.code} ${issue.diagnostics.split(':')[0]}`);
}

test.each([
  ['pat-1 met', [PAT_1], { name: { family: 'x' } }, []],
  ['pat-1 broken', [PAT_1], { gender: 'male' }, ['error invariant pat-1']],
  ['a best-practice invariant broken: its warning', [BEST], { gender: 'male' }, ['warning invariant bp-1']],
] as const)('%s', (_title, list, node, want) => {
  expect(run([...list], node)).toEqual(want);
});

test('best-practice invariants are skipped when asked', () => {
  expect(run([BEST], { gender: 'male' }, false)).toEqual([]);
});

test('two invariants with one native check in a row (txt-1, txt-2) run it once and report each', () => {
  const calls: unknown[] = [];
  const native = (node: unknown) => {
    calls.push(node);
    return false;
  };
  const table = (key: string): InvariantTable => ({ key, severity: 'error', human: key, expression: 'htmlChecks()' });
  const list: ElementInvariant[] = ['txt-1', 'txt-2'].map((key) => ({
    id: key,
    table: table(key),
    native,
    basePath: 'x',
  }));
  const other: ElementInvariant = { ...invariant({ ...table('txt-3'), expression: 'x' }), native: () => true };
  expect(run([...list, other, list[0]!], '<div/>')).toEqual(['error invariant txt-1', 'error invariant txt-2']);
  // The third run of it follows another check: evaluated again (issues are kept once each, so no third issue).
  expect(calls).toEqual(['<div/>', '<div/>']);
});
