import type { OperationOutcome, OutcomeIssue } from './model.js';

/** An OperationOutcome with one issue; `detail` goes in `details.coding[0].code` (the NHS detail code). */
export function outcome(
  severity: string,
  code: string,
  diagnostics: string,
  detail?: string,
  expression?: string[],
): OperationOutcome {
  const issue: OutcomeIssue = { severity, code };
  if (detail !== undefined) issue.details = { coding: [{ code: detail }] };
  issue.diagnostics = diagnostics;
  if (expression !== undefined) issue.expression = expression;
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

/** Whether an outcome refuses the resource: any issue of severity `error` or `fatal`. */
export function refuses(result: unknown): boolean {
  const issues = (result as { issue?: unknown } | null)?.issue;
  return (
    Array.isArray(issues) &&
    issues.some((issue) => ['error', 'fatal'].includes(String((issue as { severity?: unknown })?.severity)))
  );
}
