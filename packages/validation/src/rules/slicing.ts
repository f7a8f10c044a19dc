import { deepEqual, isObject, matchesPattern, valuesAt } from '../json-values.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';
import type { ElementTable, SliceMatch } from '../tables.js';

/** Slicing: which slice an item is in, by its compiled discriminators; closed, openAtEnd and ordered slicing. */

const SIMPLE_PATH = /^[a-z][A-Za-z0-9]*$/;

/**
 * Whether an item meets every determined discriminator of a slice (`code`: the item's type, for a `type`
 * discriminator on the item itself). An undetermined one is the caller's to decide (by validating against the slice).
 */
export function matchesDiscriminators(
  item: unknown,
  code: string | undefined,
  matches: readonly SliceMatch[],
): boolean {
  for (let position = 0; position < matches.length; position++) {
    const match = matches[position]!;
    if (match.undetermined !== true && !discriminatorHolds(item, code, match)) return false;
  }
  return true;
}

export function discriminatorHolds(item: unknown, code: string | undefined, match: SliceMatch): boolean {
  // Most discriminators are a primitive value one step down (`url`, `system`): read it without collecting.
  if (match.type === 'value' && typeof match.value !== 'object' && SIMPLE_PATH.test(match.path)) {
    if (!isObject(item)) return false;
    const direct = item[match.path];
    if (!Array.isArray(direct)) return direct === match.value;
  }
  return holdsOnValues(valuesAt(item, match.path), code, match);
}

/** The discriminator on the values at its path (apart from the fast path: its closures would cost every call). */
function holdsOnValues(values: unknown[], code: string | undefined, match: SliceMatch): boolean {
  switch (match.type) {
    case 'value':
      return values.some((value) =>
        isObject(match.value) || Array.isArray(match.value)
          ? matchesPattern(value, match.value)
          : deepEqual(value, match.value),
      );
    case 'pattern':
      return values.some((value) => matchesPattern(value, match.value));
    case 'exists':
      return values.length > 0 === match.exists;
    case 'type': {
      const onItem = match.path === '$this' || match.path === '';
      return values.some((value) => {
        const type =
          isObject(value) && typeof value['resourceType'] === 'string'
            ? value['resourceType']
            : onItem
              ? code
              : undefined;
        return type !== undefined && (match.codes ?? []).includes(type);
      });
    }
    case 'profile':
      return values.some(
        (value) =>
          isObject(value) &&
          isObject(value['meta']) &&
          Array.isArray(value['meta']['profile']) &&
          value['meta']['profile'].some((profile) => (match.codes ?? []).includes(profile)),
      );
  }
}

/** Where a walk over a sliced element's items is: the last slice met, and whether an unsliced item came before. */
export interface SliceWalk {
  lastSlice: number;
  unmatchedSeen: boolean;
}

/**
 * One item of a sliced element, in the slice at `found` (an index into `slices`, -1 for none): an unmatched item
 * where slicing is closed, a slice after an unmatched item where it is openAtEnd, a slice out of order where it is
 * ordered.
 */
export function checkSlicePosition(
  walk: SliceWalk,
  found: number,
  sliced: ElementTable,
  slices: readonly ElementTable[],
  path: Path,
  issues: IssueList,
): void {
  const slicing = sliced.slicing!;
  if (found === -1) {
    if (slicing.rules === 'closed') {
      if (issues.keeps('error'))
        issues.add('error', 'structure', path, `${path}: does not match any slice of ${sliced.id} (slicing is closed)`);
    }
    walk.unmatchedSeen = true;
    return;
  }
  if (slicing.rules === 'openAtEnd' && walk.unmatchedSeen) {
    if (issues.keeps('error'))
      issues.add(
        'error',
        'structure',
        path,
        `${path}: slice ${slices[found]!.sliceName} after an unsliced item (slicing is openAtEnd)`,
      );
  }
  if (slicing.ordered && found < walk.lastSlice) {
    if (issues.keeps('error'))
      issues.add(
        'error',
        'structure',
        path,
        `${path}: slice ${slices[found]!.sliceName} is out of order (slicing is ordered)`,
      );
  }
  walk.lastSlice = Math.max(walk.lastSlice, found);
}
