// `nhs-fhir sandbox reasonable-adjustments` loads this: the Spine API's operations model, the RARecord
// package's own examples, and the validator.
import { validate } from '@nhs-fhir/reasonable-adjustments-stu3';
import { sandboxModel, sandboxSeed } from './generated/spine/sandbox-data.js';

export const sandboxApi = {
  model: sandboxModel,
  seed: sandboxSeed,
  validate: (resource: unknown) => validate(resource),
};
