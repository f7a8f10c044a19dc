// `nhs-fhir sandbox patient-flags` loads this: the operations model, the IG's own examples, and the validator.
import { validate } from '@nhs-fhir/nhs-england';
import { sandboxModel, sandboxSeed } from './generated/sandbox-data.js';

/**
 * What `nhs-fhir sandbox patient-flags` serves (a `SandboxApi` of `@nhs-fhir/sandbox`): the operations model, the
 * resources to start with (the examples of the implementation guide), and the validator that checks a body
 * before it is stored.
 */
export const sandboxApi = {
  /** The operations the sandbox serves, from the generated operations model. */
  model: sandboxModel,
  /** The resources the sandbox starts with. */
  seed: sandboxSeed,
  /** Checks a body before it is stored; an issue of severity `error` or `fatal` refuses it with 422. */
  validate: (resource: unknown) => validate(resource),
};
