import type { JsonObject } from '../json-values.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';
import type { ElementTable } from '../tables.js';

/** Cardinality: an array where the element repeats and one value where it does not, min and max, required children. */

/** A child with min >= 1, and the JSON keys whose presence meets it. */
export interface RequiredChild {
  index: number;
  element: ElementTable;
  /** `name` and `_name`; for a choice, the `_variant` keys (its variants themselves are tracked as they are met). */
  keys: string[];
  choice: boolean;
}

/**
 * The items of a property's value: the array where the element repeats (a single value there is an error, then
 * walked as one item), the value as one item where it does not; undefined when an array stands where one value is
 * expected (an error; nothing to walk).
 */
export function itemsOf(value: unknown, element: ElementTable, path: Path, issues: IssueList): unknown[] | undefined {
  if (element.array) {
    const items = Array.isArray(value) ? value : [value];
    if (!Array.isArray(value)) {
      if (issues.keeps('error'))
        issues.add('error', 'structure', path, `${path}: must be an array (${element.path} repeats)`);
    } else if (value.length === 0) {
      if (issues.keeps('error')) issues.add('error', 'structure', path, `${path}: arrays must not be empty`);
    }
    return items;
  }
  if (Array.isArray(value)) {
    if (issues.keeps('error'))
      issues.add('error', 'structure', path, `${path}: must be a single value, not an array (${element.path} max 1)`);
    return undefined;
  }
  return [value];
}

/** The number of items against the element's max, and its min when there are any (absence is `checkRequired`'s). */
export function checkCount(count: number, element: ElementTable, path: Path, issues: IssueList): void {
  if (element.max !== -1 && count > element.max) {
    if (issues.keeps('error'))
      issues.add('error', 'structure', path, `${element.path}: maximum allowed = ${element.max}, but found ${count}`);
  }
  if (count < element.min && count > 0) {
    if (issues.keeps('error'))
      issues.add(
        'error',
        'required',
        path,
        `${element.path}: minimum required = ${element.min}, but only found ${count}`,
      );
  }
}

/**
 * Required children absent from an object. `choices`: the choice elements met in it, as element index and key
 * pairs (a variant present meets its choice). `met`: bit `1 << position` set for each required child (up to the 31st)
 * already seen with a value, which is not looked up again.
 */
export function checkRequired(
  object: JsonObject,
  required: readonly RequiredChild[],
  choices: readonly (number | string)[] | undefined,
  met: number,
  path: Path,
  issues: IssueList,
): void {
  for (let position = 0; position < required.length; position++) {
    if (position < 31 && (met & (1 << position)) !== 0) continue;
    const { index, element, keys, choice } = required[position]!;
    let present = choice && choices !== undefined && choices.indexOf(index) !== -1;
    for (let at = 0; !present && at < keys.length; at++) present = object[keys[at]!] !== undefined;
    if (!present) {
      if (issues.keeps('error'))
        issues.add(
          'error',
          'required',
          `${path}.${element.path.slice(element.path.lastIndexOf('.') + 1).replace(/\[x\]$/, '')}`,
          `${element.path}: minimum required = ${element.min}, but only found 0`,
        );
    }
  }
}

/** Each slice's count of matched items against the slice's min and max. */
export function checkSliceCounts(
  slices: readonly ElementTable[],
  counts: readonly number[],
  path: Path,
  issues: IssueList,
): void {
  for (let position = 0; position < slices.length; position++) {
    const slice = slices[position]!;
    const count = counts[position]!;
    if (count < slice.min) {
      if (issues.keeps('error'))
        issues.add('error', 'required', path, `${slice.id}: minimum required = ${slice.min}, but only found ${count}`);
    }
    if (slice.max !== -1 && count > slice.max) {
      if (issues.keeps('error'))
        issues.add('error', 'structure', path, `${slice.id}: maximum allowed = ${slice.max}, but found ${count}`);
    }
  }
}
