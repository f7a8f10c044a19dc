import { responseOf } from '@nhs-fhir/client';
import type { Patient } from '@nhs-fhir/r4';

export * from './generated/index.js';
export * from './patch.js';
export {
  responseOf,
  ifMatchFrom,
  type ClientOptions,
  type CallOptions,
  type ResponseInfo,
  NhsApiError,
  ApiResponseError,
  BadRequestError,
  NotFoundError,
  VersionConflictError,
  PreconditionFailedError,
  TooManyRequestsError,
  ServerError,
  InvalidArgumentError,
  ClientConfigError,
  UnexpectedResponseError,
  ResponseValidationError,
  TimeoutError,
  NetworkError,
  AbortedError,
} from '@nhs-fhir/client';

/**
 * The NHS number a read asked for, when PDS answered with the record that superseded it (the
 * returned Patient's `id` is the new NHS number); undefined otherwise [PDS-GET].
 */
export function supersededNhsNumber(patient: Patient): string | undefined {
  return responseOf(patient)?.requestedId;
}

/**
 * PDS's detail code when a search came back as a 200 OperationOutcome instead of a Bundle:
 * `TOO_MANY_MATCHES` (refine the search), `MULTIPLE_MATCHES` (application-restricted mode) [PDS-SEARCH].
 * The client returns an empty searchset then; check this before reading "no match" into it.
 */
export function searchRefusal(bundle: object): string | undefined {
  const noData = responseOf(bundle)?.noData;
  return noData?.reason === 'operation-outcome' ? noData.code : undefined;
}
