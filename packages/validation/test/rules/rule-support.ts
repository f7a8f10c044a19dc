import { IssueList } from '../../src/outcome.js';
import type { ElementTable } from '../../src/tables.js';

/** An element row of a hand-written table: a path, min..max, whether the JSON holds an array. */
export const element = (path: string, min: number, max: number, extra: Partial<ElementTable> = {}): ElementTable => ({
  id: path,
  path,
  min,
  max,
  array: max !== 1,
  types: [],
  ...extra,
});

/** Runs a rule on a fresh issue list and gives its issues as `severity code expression`. */
export function issuesOf(rule: (issues: IssueList) => void): string[] {
  const issues = new IssueList();
  rule(issues);
  return issues.issues.map((issue) => `${issue.severity} ${issue.code} ${issue.expression[0]}`);
}
