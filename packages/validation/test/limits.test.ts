import { describe, expect, test } from 'vitest';
import { createValidator } from '../src/index.js';
import { fixtureTables } from './fixture-tables.js';

// Resource limits (issue 14) on the hand-written tables; the limits on the real tables (a million nulls, memory for
// a hostile 5 MB input) are tested in tools/validation-conformance/test/limits.test.ts.

describe('maxIssues', () => {
  test('errors left out still make the outcome an error, even when the kept issues are only warnings', () => {
    // The unknown profile (a warning) is met first; with maxIssues 1 the unknown elements after it are only counted.
    const validate = createValidator(fixtureTables);
    const outcome = validate(
      { resourceType: 'Patient', meta: { profile: ['https://example.org/unknown'] }, colour: 'blue', shade: 'x' },
      { maxIssues: 1 },
    );
    expect(outcome.issue.map((issue) => `${issue.severity} ${issue.code}`)).toEqual([
      'warning not-found',
      'error too-costly',
    ]);
  });
});
