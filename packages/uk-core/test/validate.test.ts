import { describe, expect, it } from 'vitest';
import { validate } from '../src/index.js';

// The checks every generated package shares (examples, README, consumer program, validate on the package's examples
// and on hand-made bad resources) are in tools/generated-packages-tests. This one needs R4's best-practice dom-6.
describe('validate (the @nhs-fhir/validation runtime on tables compiled from the same snapshots)', () => {
  it('passes the validation options through: unknownProfile, bestPractice, maxIssues, invariants', () => {
    const unknown = { resourceType: 'Patient', meta: { profile: ['https://example.org/StructureDefinition/Nope'] } };
    const severityOfNotFound = (outcome: ReturnType<typeof validate>) =>
      outcome.issue.filter((issue) => issue.code === 'not-found').map((issue) => issue.severity);
    expect(severityOfNotFound(validate(unknown))).toEqual(['warning']);
    expect(severityOfNotFound(validate(unknown, { unknownProfile: 'error' }))).toEqual(['error']);
    const dom6 = (outcome: ReturnType<typeof validate>) =>
      outcome.issue.some((issue) => issue.diagnostics?.startsWith('dom-6:') === true);
    expect(dom6(validate({ resourceType: 'Patient' }))).toBe(true);
    expect(dom6(validate({ resourceType: 'Patient' }, { bestPractice: 'ignore' }))).toBe(false);
    expect(dom6(validate({ resourceType: 'Patient' }, { invariants: false }))).toBe(false);
    const nulls = { resourceType: 'Patient', name: [null, null, null, null, null] };
    const limited = validate(nulls, { maxIssues: 2 }).issue;
    expect(limited.map((issue) => issue.code)).toEqual(['structure', 'structure', 'too-costly']);
  });
});
