import type { Parameters } from '@nhs-fhir/stu3';

/** The codes of `RARecord-RemovalReason-1` [RA-OPDEF]. */
export type RemovalReason = 'Error' | 'PatientDissent' | 'ProxyDissent' | 'BestInterest' | 'DoesntApply';

const REMOVAL_REASONS: ReadonlySet<string> = new Set([
  'Error',
  'PatientDissent',
  'ProxyDissent',
  'BestInterest',
  'DoesntApply',
]);
const REMOVAL_REASON_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-RemovalReason-1';

/** The arguments of `$removerarecord`: whose record, why, and a comment; all three are required. */
export interface RemovalArgs {
  /** The patient's NHS number, 10 digits. */
  nhsNumber: string;
  /** Why the record is removed. */
  removalReason: RemovalReason;
  /** Free text saying more; must not be blank. */
  supportingComment: string;
}

/**
 * The `$removerarecord` Parameters: one parameter, `removeRARecord` (the OperationDefinition's name,
 * not the Spine examples' `removerarecord`), with all three parts, each 1..1 [RA-OPDEF] [RA-EXAMPLES].
 *
 * @throws TypeError when the NHS number is not 10 digits, the reason is not a RemovalReason or the comment is blank.
 */
export function removeRecordParameters(args: RemovalArgs): Parameters {
  if (!/^\d{10}$/.test(args?.nhsNumber ?? ''))
    throw new TypeError('removeRecordParameters: nhsNumber must be 10 digits');
  if (!REMOVAL_REASONS.has(args.removalReason)) {
    throw new TypeError(`removeRecordParameters: removalReason must be one of ${[...REMOVAL_REASONS].join(', ')}`);
  }
  if (typeof args.supportingComment !== 'string' || args.supportingComment.trim() === '') {
    throw new TypeError('removeRecordParameters: supportingComment is required');
  }
  return {
    resourceType: 'Parameters',
    parameter: [
      {
        name: 'removeRARecord',
        part: [
          { name: 'nhsNumber', valueString: args.nhsNumber },
          {
            name: 'removalReason',
            valueCodeableConcept: { coding: [{ system: REMOVAL_REASON_SYSTEM, code: args.removalReason }] },
          },
          { name: 'supportingComment', valueString: args.supportingComment },
        ],
      },
    ],
  };
}
