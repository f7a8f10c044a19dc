/** What changed between two versions of a spec, as plain data: printable as text and as JSON. */

export type ChangeKind =
  | 'profile-added'
  | 'profile-removed'
  | 'element-added'
  | 'element-removed'
  | 'cardinality'
  | 'types'
  | 'target-profiles'
  | 'binding'
  | 'fixed'
  | 'pattern'
  | 'slice-added'
  | 'slice-removed'
  | 'must-support'
  | 'invariant-added'
  | 'invariant-removed'
  | 'invariant-changed'
  | 'api-added'
  | 'api-removed'
  | 'operation-added'
  | 'operation-removed'
  | 'parameter-added'
  | 'parameter-removed'
  | 'parameter-required'
  | 'header-added'
  | 'header-removed'
  | 'header-required';

export interface SpecChange {
  /** The profile's canonical URL, or the API (`openapi:<id>`, a CapabilityStatement's URL). */
  subject: string;
  /** The element id, or the operation (`GET /Patient/{id}`); absent for a change of the whole subject. */
  element?: string;
  kind: ChangeKind;
  /** Whether code written against the old generated TypeScript may no longer compile or be accepted. */
  breaking: boolean;
  before?: string;
  after?: string;
  /** One line for people. */
  detail: string;
}

/** A profile (or API) that could not be compared, and why. */
export interface NotCompared {
  subject: string;
  side: 'old' | 'new';
  reason: string;
}

export type SemverBump = 'major' | 'minor' | 'patch';

export interface ChangeReport {
  old: string;
  new: string;
  /** The packages and APIs compared, `id: old-version -> new-version`. */
  compared: string[];
  changes: SpecChange[];
  notCompared: NotCompared[];
  /** breaking -> major, additions -> minor, else patch (see {@link suggestBump}). */
  bump: SemverBump;
}

const ADDITIONS: ReadonlySet<ChangeKind> = new Set([
  'profile-added',
  'element-added',
  'slice-added',
  'api-added',
  'operation-added',
  'parameter-added',
  'header-added',
]);

/**
 * The semver bump the changes call for: any breaking change -> major; else anything added -> minor;
 * else patch. Said in semver terms: a 0.x package (as this SDK is) applies it one place down itself,
 * 0.x's minor for "major" and its patch for "minor" (see the README).
 */
export function suggestBump(changes: readonly SpecChange[]): SemverBump {
  if (changes.some((change) => change.breaking)) return 'major';
  if (changes.some((change) => ADDITIONS.has(change.kind))) return 'minor';
  return 'patch';
}

/** The report as text: one line per change, grouped by subject, then the suggested bump. */
export function formatChangeReport(report: ChangeReport): string {
  const lines: string[] = [`spec changes: ${report.old} -> ${report.new}`];
  for (const compared of report.compared) lines.push(`  compared ${compared}`);
  let subject: string | undefined;
  for (const change of report.changes) {
    if (change.subject !== subject) {
      subject = change.subject;
      lines.push('', subject);
    }
    const where = change.element === undefined ? '' : `${change.element}: `;
    lines.push(`  ${change.breaking ? 'BREAKING' : 'ok      '} ${change.kind.padEnd(17)} ${where}${change.detail}`);
  }
  if (report.changes.length === 0) lines.push('', 'no changes that matter to users');
  if (report.notCompared.length > 0) {
    lines.push('', 'not compared:');
    for (const skipped of report.notCompared) lines.push(`  ${skipped.side} ${skipped.subject}: ${skipped.reason}`);
  }
  const breaking = report.changes.filter((change) => change.breaking).length;
  lines.push(
    '',
    `${report.changes.length} change${report.changes.length === 1 ? '' : 's'}, ${breaking} breaking; ` +
      `suggested bump: ${report.bump}` +
      (report.bump === 'patch' ? '' : ` (on 0.x: ${report.bump === 'major' ? 'minor' : 'patch'})`),
  );
  return `${lines.join('\n')}\n`;
}
