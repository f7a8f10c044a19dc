// `nhs-fhir sandbox reasonable-adjustments` loads this: the Spine API's operations model, the RARecord
// package's own examples, the validator, and what $removerarecord does, which no model can say.
import { validate } from '@nhs-fhir/reasonable-adjustments-stu3';
import { sandboxModel, sandboxSeed } from './generated/spine/sandbox-data.js';
import { softDeleted } from './soft-delete.js';
import type { RemovalReason } from './remove-record.js';

interface Part {
  name?: string;
  valueString?: string;
  valueCodeableConcept?: { coding?: Array<{ code?: string }> };
}
interface Stored {
  resourceType: string;
  id: string;
  status?: string;
  subject?: { reference?: string; identifier?: { value?: string } };
  patient?: { reference?: string; identifier?: { value?: string } };
}
/** What the `$removerarecord` handler uses of the sandbox's store (a `SandboxStore` of `@nhs-fhir/sandbox`). */
export interface RaSandboxStore {
  /** Every stored resource of a type. */
  list(resourceType?: string): object[];
  /** Replaces the stored resource with the same id. */
  update(resource: object): object;
}

const outcome = (severity: string, code: string, text: string) => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics: text }],
});

/**
 * `$removerarecord` as Spine describes it [RA-REMOVE]: every active Flag and Consent of the patient set
 * inactive with the removal reason, and every current List with it; answered with an informational "OK".
 */
function removeRecord(request: { body: unknown }, store: RaSandboxStore) {
  const parts = ((request.body as { parameter?: Array<{ part?: Part[] }> })?.parameter?.[0]?.part ?? []) as Part[];
  const value = (name: string) => parts.find((part) => part.name === name);
  const nhsNumber = value('nhsNumber')?.valueString;
  const removalReason = value('removalReason')?.valueCodeableConcept?.coding?.[0]?.code as RemovalReason | undefined;
  const supportingComment = value('supportingComment')?.valueString;
  if (!nhsNumber || !removalReason || !supportingComment) {
    return {
      status: 400,
      body: outcome('error', 'required', 'nhsNumber, removalReason and supportingComment are all required'),
    };
  }
  const ofPatient = (resource: Stored) => {
    const reference = resource.subject ?? resource.patient;
    return reference?.identifier?.value === nhsNumber || (reference?.reference ?? '').endsWith(`/${nhsNumber}`);
  };
  let removed = 0;
  for (const type of ['Flag', 'Consent', 'List']) {
    for (const resource of store.list(type) as Stored[]) {
      if (!ofPatient(resource) || (resource.status !== 'active' && resource.status !== 'current')) continue;
      const next = softDeleted(resource, { removalReason, supportingComment });
      store.update(type === 'List' ? { ...next, status: 'retired' } : next);
      removed++;
    }
  }
  if (removed === 0) return { status: 404, body: outcome('error', 'not-found', 'NO_RECORD_FOUND') };
  return { status: 200, body: outcome('information', 'informational', 'OK') };
}

/**
 * What `nhs-fhir sandbox reasonable-adjustments` serves (a `SandboxApi` of `@nhs-fhir/sandbox`): the operations
 * model, the resources to start with (the examples of the RARecord package), the validator that checks a body
 * before it is stored, and the handler of `$removerarecord`.
 */
export const sandboxApi = {
  /** The operations the sandbox serves, from the generated operations model. */
  model: sandboxModel,
  /** The resources the sandbox starts with. */
  seed: sandboxSeed,
  /** Checks a body before it is stored; an issue of severity `error` or `fatal` refuses it with 422. */
  validate: (resource: unknown) => validate(resource),
  /** Operations the sandbox answers with code instead of from the model. */
  handlers: {
    /** `$removerarecord`: soft-deletes the patient's active Flags and Consents and retires their Lists. */
    removeRecord,
  },
};
