import { Fhir, type ValidatorOptions } from 'fhir';
import { shorten, reasonOf, type BenchValidator } from '../bench-validator.js';
import { installedVersion } from '../installed-version.js';

// FHIR.js (`fhir`): new Fhir().validate(resource, options) against the R4 definitions and value sets it ships; valid is
// false when any message is an error. Unexpected properties are errors, as in its README's first example.

const OPTIONS: ValidatorOptions = { errorOnUnexpected: true };

export function fhirJsValidator(): BenchValidator {
  const fhir = new Fhir();
  return {
    label: `FHIR.js (fhir ${installedVersion('fhir')})`,
    against: 'base R4 (its bundled 4.0.0 definitions and value sets)',
    notes: ['validate(resource, { errorOnUnexpected: true })'],
    check(resource) {
      try {
        const response = fhir.validate(resource as object, OPTIONS);
        if (response.valid) return undefined;
        const error = response.messages.find((message) => message.severity === 'error' || message.severity === 'fatal');
        return error === undefined ? 'not valid' : shorten(`${error.location ?? ''}: ${error.message ?? ''}`);
      } catch (error) {
        return `threw: ${reasonOf(error)}`;
      }
    },
  };
}
