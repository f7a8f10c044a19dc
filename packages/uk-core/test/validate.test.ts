import { describe, expect, it } from 'vitest';
import { validate } from '../src/index.js';
import { loadExamples } from './example-profiles.js';

describe('validate (the @nhs-fhir/validation runtime on tables compiled from the same snapshots)', () => {
  it('accepts every UK Core example against the profile its file name names, with no errors', async () => {
    const examples = await loadExamples();
    expect(examples.length).toBe(162);
    const rejected = examples
      .map((example) => ({
        source: example.source,
        errors: validate(example.json).issue.filter(
          (issue) => issue.severity === 'error' || issue.severity === 'fatal',
        ),
      }))
      .filter((result) => result.errors.length > 0)
      .map(
        (result) =>
          `${result.source}: ${result.errors.map((issue) => `${issue.code} ${issue.expression?.[0] ?? ''} ${issue.diagnostics ?? ''}`).join('; ')}`,
      );
    expect(rejected).toEqual([]);
  });

  it('reports the NHS number slice by its expression, takes the profile from options, and never throws', () => {
    const patient = {
      resourceType: 'Patient',
      meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number' }],
    };
    const errors = validate(patient).issue.filter((issue) => issue.severity === 'error');
    expect(errors.map((issue) => issue.expression?.[0])).toContain('Patient.identifier[0].value');
    expect(
      validate(
        { resourceType: 'Patient', gender: 'woman' },
        { profile: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient' },
      ).issue.some((issue) => issue.expression?.[0] === 'Patient.gender'),
    ).toBe(true);
    for (const input of [undefined, null, 42, 'Patient', [], { resourceType: 'Nope' }])
      expect(validate(input).resourceType).toBe('OperationOutcome');
  });

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
