import { createValidator, type OperationOutcome, type Validate, type ValidateOptions } from '@nhs-fhir/validation';
import { shorten, type BenchValidator } from './bench-validator.js';
import type { Corpus } from './corpus.js';

/** The first error of an outcome, as `expression: diagnostics`, or undefined when there is none. */
export function firstError(outcome: OperationOutcome): string | undefined {
  const issue = outcome.issue.find((candidate) => candidate.severity === 'error' || candidate.severity === 'fatal');
  return issue === undefined ? undefined : shorten(`${issue.expression[0]}: ${issue.diagnostics}`);
}

/**
 * Our two rows: each example is validated with its own package's tables, against the profile it declares (or its file
 * name names).
 */
export function ourValidators(corpus: Corpus): BenchValidator[] {
  const validatorOf = new Map<unknown, Validate>();
  for (const examples of corpus.packages) {
    const validate = createValidator(examples.tables);
    for (const resource of examples.resources) validatorOf.set(resource, validate);
  }
  const row = (label: string, options: ValidateOptions, goal: string): BenchValidator => ({
    label,
    goal,
    against: 'declared UK Core / NHS England profile',
    check: (resource) => firstError(validatorOf.get(resource)!(resource, options)),
  });
  return [
    row('@nhs-fhir/validation profiles + invariants', {}, 'at most 3x'),
    row('@nhs-fhir/validation structure only', { invariants: false }, 'at most 1.25x'),
  ];
}
