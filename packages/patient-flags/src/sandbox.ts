// `nhs-fhir sandbox patient-flags` loads this: the operations model, the IG's own examples, and the validator.
import { validate } from '@nhs-fhir/nhs-england';
import { sandboxModel, sandboxSeed } from './generated/sandbox-data.js';

export const sandboxApi = {
  model: sandboxModel,
  seed: sandboxSeed,
  validate: (resource: unknown) => validate(resource),
};
