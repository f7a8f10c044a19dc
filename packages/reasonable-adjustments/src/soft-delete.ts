import { InvalidArgumentError } from '@nhs-fhir/client';
import type { RemovalReason } from './remove-record.js';

const REMOVAL_REASON_URL = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-RARecord-RemovalReason-1';
const REMOVAL_REASON_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-RemovalReason-1';

/** The displays of `RARecord-RemovalReason-1`, which the extension requires with each code. */
export const REMOVAL_REASON_DISPLAY: Readonly<Record<RemovalReason, string>> = {
  Error: 'The Reasonable Adjustment Flag was created in error',
  PatientDissent: 'The patient has dissented to the creation of the Reasonable Adjustment Flag',
  ProxyDissent: 'The patient’s legal proxy has dissented to the creation of the Reasonable Adjustment Flag',
  DoesntApply: 'The Reasonable Adjustment Flag no longer applies to the patient',
  BestInterest: 'A best interest decision was taken to remove the Reasonable Adjustments Flag',
};

/** Why an RA resource is soft-deleted: the reason code and a comment, both required. */
export interface Removal {
  /** The removal reason code. */
  removalReason: RemovalReason;
  /** Free text saying more; must not be blank. */
  supportingComment: string;
}

/**
 * The only change Spine allows to an RA resource is a soft delete: status `inactive` with the
 * removal reason and a supporting comment (`Extension-RARecord-RemovalReason-1`) [RA-UPDATE] [RA-DELETE].
 * Returns a copy of the resource so changed; send it with `updateFlag`/`updateConsent` (If-Match from its
 * `meta.versionId`).
 *
 * @throws InvalidArgumentError (of `@nhs-fhir/client`) when the reason is not a RemovalReason or the comment is
 * blank; nothing is sent.
 */
export function softDeleted<T extends { resourceType: string; status?: string; extension?: unknown[] }>(
  resource: T,
  removal: Removal,
): T {
  const site = { api: 'reasonable-adjustments', operation: 'softDeleted' };
  if (!removal || !(removal.removalReason in REMOVAL_REASON_DISPLAY)) {
    throw new InvalidArgumentError(
      site,
      'removalReason',
      `expected one of ${Object.keys(REMOVAL_REASON_DISPLAY).join(', ')}`,
    );
  }
  if (typeof removal.supportingComment !== 'string' || removal.supportingComment.trim() === '') {
    throw new InvalidArgumentError(site, 'supportingComment', 'a removal needs a supporting comment');
  }
  const extension = {
    url: REMOVAL_REASON_URL,
    extension: [
      {
        url: 'removalReason',
        valueCodeableConcept: {
          coding: [
            {
              system: REMOVAL_REASON_SYSTEM,
              code: removal.removalReason,
              display: REMOVAL_REASON_DISPLAY[removal.removalReason],
            },
          ],
        },
      },
      { url: 'supportingComment', valueString: removal.supportingComment },
    ],
  };
  const kept = (resource.extension ?? []).filter(
    (item) => (item as { url?: unknown } | null)?.url !== REMOVAL_REASON_URL,
  );
  return { ...structuredClone(resource), status: 'inactive', extension: [...kept, extension] };
}
