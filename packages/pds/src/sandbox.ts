// `nhs-fhir sandbox pds` loads this: the operations model, the description's own examples, and the validator.
import { validate } from '@nhs-fhir/uk-core';
import { sandboxModel, sandboxSeed } from './generated/sandbox-data.js';

export const sandboxApi = {
  model: sandboxModel,
  seed: sandboxSeed,
  validate: (resource: unknown) => validate(resource),
};
