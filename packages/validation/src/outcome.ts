/** FHIR issue-type codes this validator uses. */
export type IssueCode =
  | 'structure'
  | 'required'
  | 'value'
  | 'code-invalid'
  | 'invariant'
  | 'not-found'
  | 'not-supported'
  | 'informational'
  | 'exception'
  | 'invalid';
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueCode;
  diagnostics: string;
  /** FHIRPath to the element, e.g. `Patient.identifier[0].system`. */
  expression: [string];
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** Collects issues once each: a node checked against both a slicing entry and its slice reports a defect once. */
export class IssueList {
  readonly issues: OperationOutcomeIssue[] = [];
  private readonly seen = new Set<string>();
  errors = 0;

  /** `expression`: the path, as text or as anything whose toString() gives it (the validator's lazily built paths). */
  add(severity: IssueSeverity, code: IssueCode, where: string | { toString(): string }, diagnostics: string): void {
    const expression = String(where);
    const key = `${severity}\u0000${code}\u0000${expression}\u0000${diagnostics}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (severity === 'error' || severity === 'fatal') this.errors++;
    this.issues.push({ severity, code, diagnostics, expression: [expression] });
  }
}

/** An outcome with no issues still says so, as FHIR requires at least one issue. */
export function toOutcome(list: IssueList): OperationOutcome {
  if (list.issues.length > 0) return { resourceType: 'OperationOutcome', issue: list.issues };
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'information', code: 'informational', diagnostics: 'No issues found', expression: ['$this'] }],
  };
}
