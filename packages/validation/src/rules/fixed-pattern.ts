import { deepEqual, matchesPattern } from '../json-values.js';
import type { IssueList } from '../outcome.js';
import type { Path } from '../path.js';

/**
 * Fixed and pattern values: a fixed value equals the item exactly (JSON equality); a pattern's every property is in
 * the item and every pattern array item is matched by some item. `undefined`: none.
 */
export function checkFixedPattern(
  item: unknown,
  fixed: unknown,
  pattern: unknown,
  path: Path,
  issues: IssueList,
): void {
  if (fixed !== undefined && !deepEqual(item, fixed)) {
    if (issues.keeps('error')) issues.add('error', 'value', path, `${path}: value must be exactly ${short(fixed)}`);
  }
  if (pattern !== undefined && !matchesPattern(item, pattern)) {
    if (issues.keeps('error'))
      issues.add('error', 'value', path, `${path}: value must match the pattern ${short(pattern)}`);
  }
}

const short = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
};
