import type { FhirpathInvariants, FhirpathVerdict } from '../fhirpath-invariants.js';
import type { InvariantScope, NativeInvariant } from '../native-invariants.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';
import type { InvariantTable } from '../tables.js';

/** An invariant as an element runs it: natively compiled when it can be, else through the fhirpath evaluator. */
export interface ElementInvariant {
  id: string;
  table: InvariantTable;
  native: NativeInvariant | undefined;
  /** The element's path without `[x]`, for fhirpath's type information. */
  basePath: string;
}

export interface InvariantRun {
  issues: IssueList;
  /** Best-practice invariants are reported (as their severity says) rather than skipped. */
  bestPractice: boolean;
  scope: InvariantScope;
}

/**
 * Each invariant on the node: a failed one is an `invariant` issue of its severity; one fhirpath cannot evaluate is
 * reported as not checked (information).
 */
export function checkInvariants(
  list: readonly ElementInvariant[],
  node: unknown,
  path: Path,
  run: InvariantRun,
  fhirpath: FhirpathInvariants,
): void {
  // Two invariants with one native check in a row (txt-1 and txt-2 are both `htmlChecks()`) share its verdict: a
  // native check depends on the node and scope alone, and the narrative check is one of the costliest.
  let lastNative: NativeInvariant | undefined;
  let lastVerdict = true;
  for (let position = 0; position < list.length; position++) {
    const { table: invariant, native, basePath } = list[position]!;
    if (invariant.bestPractice === true && !run.bestPractice) continue;
    let verdict: FhirpathVerdict;
    if (native === undefined) verdict = fhirpath.evaluate(invariant.expression, basePath, node, run.scope);
    else {
      if (native !== lastNative) {
        lastVerdict = native(node, run.scope);
        lastNative = native;
      }
      verdict = lastVerdict;
    }
    if (verdict === true) continue;
    if (verdict === false) {
      if (run.issues.keeps(invariant.severity))
        run.issues.add(invariant.severity, 'invariant', path, `${invariant.key}: ${invariant.human}`);
    } else {
      if (run.issues.keeps('information'))
        run.issues.add('information', 'not-supported', path, `${invariant.key} not checked: ${verdict.notChecked}`);
    }
  }
}
