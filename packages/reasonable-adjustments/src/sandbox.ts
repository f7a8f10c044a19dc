// `nhs-fhir sandbox reasonable-adjustments` loads this: the operations model, the examples, and the validator.
import { validate } from '@nhs-fhir/reasonable-adjustments-stu3';
import { sandboxModel, sandboxSeed } from './generated/proxy/sandbox-data.js';

export const sandboxApi = { model: sandboxModel, seed: sandboxSeed, validate: (resource: unknown) => validate(resource) };
