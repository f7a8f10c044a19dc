import type { OperationOutcome } from './fhir.js';

/** Why a search came back with nothing, and what the server said, when it said more than an empty Bundle. */
export interface NoData {
  /**
   * `empty-searchset`: a searchset with no entries; `not-found`: an OperationOutcome whose issues are all
   * `not-found` or `NO_RECORD_FOUND`; `operation-outcome`: a 200 OperationOutcome in place of a Bundle
   * (PDS: `TOO_MANY_MATCHES`, `MULTIPLE_MATCHES`).
   */
  readonly reason: 'empty-searchset' | 'not-found' | 'operation-outcome';
  /** The NHS detail code, when the server sent an OperationOutcome. */
  readonly code?: string;
  readonly outcome?: OperationOutcome;
}

/** What the runtime saw of the HTTP exchange behind a returned body. */
export interface ResponseInfo {
  readonly status: number;
  readonly requestId: string;
  /** 1 when the first attempt succeeded. */
  readonly attempts: number;
  /** The `ETag` header, as sent (opaque: never parsed). */
  readonly etag?: string;
  readonly lastModified?: string;
  readonly location?: string;
  readonly contentType: string;
  /** Set when a search's answer was normalised to an empty searchset. */
  readonly noData?: NoData;
  /**
   * The id a read asked for, when the server answered with a resource of another id (PDS answers a
   * superseded NHS number with the record that replaced it).
   */
  readonly requestedId?: string;
}

const infos = new WeakMap<object, ResponseInfo>();

export function attachResponseInfo<T>(body: T, info: ResponseInfo): T {
  if (typeof body === 'object' && body !== null) infos.set(body, info);
  return body;
}

/**
 * The status, request id, `ETag` and "no data" reason behind a body a client returned:
 * `responseOf(patient)?.etag`. Undefined for objects the client did not return.
 */
export function responseOf(body: object): ResponseInfo | undefined {
  return infos.get(body);
}
