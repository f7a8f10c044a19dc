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
  | 'invalid'
  | 'too-costly';
/** How bad an issue is: `fatal` and `error` mean the resource does not conform. */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';

/** One issue the validator found. */
export interface OperationOutcomeIssue {
  /** How bad it is. */
  severity: IssueSeverity;
  /** What kind of issue it is (FHIR issue-type code). */
  code: IssueCode;
  /** What is wrong, in words. */
  diagnostics: string;
  /** FHIRPath to the element, e.g. `Patient.identifier[0].system`. */
  expression: [string];
}

/** The validator's report: a FHIR OperationOutcome, with no issue when the resource conforms. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** The default of `maxIssues`: enough for any real resource, and a bound on what a hostile one can make us hold. */
export const DEFAULT_MAX_ISSUES = 1_000;

/**
 * Collects issues once each: a node checked against both a slicing entry and its slice reports a defect once.
 * Past `max` issues, further ones are only counted (by severity), never built: the outcome stays small
 * whatever the input (a million nulls would otherwise be a million issues).
 */
export class IssueList {
  readonly issues: OperationOutcomeIssue[] = [];
  /**
   * The issues kept, by key, made once REPEATS_SCANNED are kept; before that a repeat is found by comparing fields,
   * which builds no key (most outcomes hold one or two issues).
   */
  private seen: Set<string> | undefined = undefined;
  errors = 0;
  /**
   * Issues found after the limit, by severity; not de-duplicated (that would mean keeping them), so a repeat counts
   * again.
   */
  readonly dropped = { fatal: 0, error: 0, warning: 0, information: 0 };

  constructor(readonly max: number = Number.POSITIVE_INFINITY) {}

  /**
   * No further issue is kept: a caller about to build an issue's text (a path, a message) counts it with `skip`
   * instead.
   */
  get full(): boolean {
    return this.issues.length >= this.max;
  }

  /** Counts an issue past the limit without building it. */
  skip(severity: IssueSeverity): void {
    if (severity === 'error' || severity === 'fatal') this.errors++;
    this.dropped[severity]++;
  }

  /**
   * Whether an issue of this severity will be kept: past the limit it is counted here instead, and the caller builds
   * neither its path text nor its message (`if (issues.keeps('error')) issues.add('error', ...)`). The rules report
   * so, without a closure per call.
   */
  keeps(severity: IssueSeverity): boolean {
    if (this.issues.length < this.max) return true;
    this.skip(severity);
    return false;
  }

  /** `expression`: the path, as text or as anything whose toString() gives it (the validator's lazily built paths). */
  add(severity: IssueSeverity, code: IssueCode, where: string | { toString(): string }, diagnostics: string): void {
    if (this.issues.length >= this.max) {
      // Counted, not kept: the path text is not built, so nothing grows with the input.
      this.skip(severity);
      return;
    }
    const expression = String(where);
    if (this.isRepeat(severity, code, expression, diagnostics)) return;
    if (severity === 'error' || severity === 'fatal') this.errors++;
    this.issues.push({ severity, code, diagnostics, expression: [expression] });
  }

  /** Whether this issue is kept already (a node checked against both a slicing entry and its slice). */
  private isRepeat(severity: IssueSeverity, code: IssueCode, expression: string, diagnostics: string): boolean {
    const { issues } = this;
    if (issues.length < REPEATS_SCANNED) {
      for (let position = 0; position < issues.length; position++) {
        const issue = issues[position]!;
        if (
          issue.diagnostics === diagnostics &&
          issue.expression[0] === expression &&
          issue.code === code &&
          issue.severity === severity
        )
          return true;
      }
      return false;
    }
    this.seen ??= new Set(
      issues.map((issue) => issueKey(issue.severity, issue.code, issue.expression[0], issue.diagnostics)),
    );
    const key = issueKey(severity, code, expression, diagnostics);
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    return false;
  }
}

/** While fewer issues than this are kept, a new one is compared with each; from then on, looked up by key. */
const REPEATS_SCANNED = 16;

const issueKey = (severity: IssueSeverity, code: IssueCode, expression: string, diagnostics: string): string =>
  `${severity}\u0000${code}\u0000${expression}\u0000${diagnostics}`;

/** One issue saying how many were left out past `maxIssues`, as severe as the worst of them. */
function droppedIssue(list: IssueList): OperationOutcomeIssue | undefined {
  const { fatal, error, warning, information } = list.dropped;
  const total = fatal + error + warning + information;
  if (total === 0) return undefined;
  const parts = [
    [fatal, 'fatal'],
    [error, 'error'],
    [warning, 'warning'],
    [information, 'information'],
  ]
    .filter(([count]) => (count as number) > 0)
    .map(([count, name]) => `${count} ${name}`);
  return {
    severity: fatal + error > 0 ? 'error' : warning > 0 ? 'warning' : 'information',
    code: 'too-costly',
    diagnostics:
      `${total} more issues were left out (${parts.join(', ')}; repeats not removed): ` + `maxIssues is ${list.max}`,
    expression: ['$this'],
  };
}

/** An outcome with no issues still says so, as FHIR requires at least one issue. */
export function toOutcome(list: IssueList): OperationOutcome {
  const dropped = droppedIssue(list);
  if (dropped !== undefined) list.issues.push(dropped);
  if (list.issues.length > 0) return { resourceType: 'OperationOutcome', issue: list.issues };
  // Built level by level: a literal nested four deep is past what optimized code allocates inline, and most
  // resources end here.
  const expression: [string] = ['$this'];
  const issue: OperationOutcomeIssue = {
    severity: 'information',
    code: 'informational',
    diagnostics: 'No issues found',
    expression,
  };
  return { resourceType: 'OperationOutcome', issue: [issue] };
}
