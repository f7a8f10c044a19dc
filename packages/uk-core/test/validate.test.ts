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
});
