import { isObject } from '../json-values.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';

/**
 * Required bindings: the code of a `code`, `string` or `uri`, of a `Coding` or `Quantity`, or some coding of a
 * `CodeableConcept`, in the value set's offline expansion (`codes`; null when it cannot be expanded: reported as not
 * checked).
 */
export function checkBinding(
  valueSet: string,
  codes: ReadonlySet<string> | null,
  code: string,
  item: unknown,
  path: Path,
  issues: IssueList,
): void {
  if (codes === null) {
    if (issues.keeps('information'))
      issues.add(
        'information',
        'not-supported',
        path,
        `Value set ${valueSet} cannot be expanded offline: binding not checked`,
      );
    return;
  }
  // The common cases without building arrays: one code, in the value set.
  if (code === 'Coding' || code === 'Quantity') {
    const given = isObject(item) ? item['code'] : undefined;
    if (typeof given === 'string' && codes.has(given)) return;
  } else if (code === 'CodeableConcept') {
    if (someCodingIn(item, codes)) return;
  } else if (typeof item === 'string' && codes.has(item)) return;
  checkCodes(valueSet, codes, code, item, path, issues);
}

/** Whether some coding of a CodeableConcept has a code in the value set (read in place, without a list of codes). */
function someCodingIn(item: unknown, codes: ReadonlySet<string>): boolean {
  const codings = isObject(item) ? item['coding'] : undefined;
  if (!Array.isArray(codings)) return false;
  for (let position = 0; position < codings.length; position++) {
    const coding: unknown = codings[position];
    const given = isObject(coding) ? coding['code'] : undefined;
    if (typeof given === 'string' && codes.has(given)) return true;
  }
  return false;
}

/** The codes an item gives against the value set (apart from the common cases: its closures would cost every call). */
function checkCodes(
  valueSet: string,
  codes: ReadonlySet<string>,
  code: string,
  item: unknown,
  path: Path,
  issues: IssueList,
): void {
  let given: unknown[];
  if (code === 'Coding' || code === 'Quantity') given = isObject(item) ? [item['code']] : [];
  else if (code === 'CodeableConcept')
    given =
      isObject(item) && Array.isArray(item['coding'])
        ? item['coding'].map((coding) => (isObject(coding) ? coding['code'] : undefined))
        : [];
  else given = [item];
  const strings = given.filter((value): value is string => typeof value === 'string');
  if (strings.length === 0) {
    if (code === 'CodeableConcept' || code === 'Coding') {
      if (issues.keeps('error'))
        issues.add('error', 'code-invalid', path, `No code given; a code from ${valueSet} is required`);
    }
    return;
  }
  if (!strings.some((value) => codes.has(value))) {
    if (issues.keeps('error'))
      issues.add(
        'error',
        'code-invalid',
        path,
        `Code '${strings.join("', '")}' is not in the required value set ${valueSet}`,
      );
  }
}
