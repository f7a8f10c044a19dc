import { inspect } from 'node:util';
import type { OperationOutcome } from './fhir.js';

/** Where an error happened: enough to find the call in the API's logs, nothing secret. */
export interface CallSite {
  readonly api: string;
  readonly operation: string;
  readonly method: string;
  /** Origin and path, no query string. */
  readonly url: string;
  /** The `X-Request-ID` every attempt of the call carried. */
  readonly requestId: string;
}

/**
 * Base class of every error a client throws. Messages are built from the operation, the status and
 * the server's redacted text; they never hold a token, key or the request's headers.
 */
export class NhsApiError extends Error {
  /** The API's short name (`pds`); undefined for an error raised before a call had an API. */
  readonly api: string | undefined;
  /** The client method the call was made through (`getPatient`). */
  readonly operation: string | undefined;
  /** The `X-Request-ID` of the call, to quote to the API's support. */
  readonly requestId: string | undefined;
  /** The HTTP method of the call. */
  readonly method: string | undefined;
  /** Origin and path of the call, no query string. */
  readonly url: string | undefined;

  constructor(site: Partial<CallSite>, message: string, options?: { cause?: unknown }) {
    const prefix = site.api && site.operation ? `${site.api}.${site.operation}: ` : '';
    super(`${prefix}${message}`);
    this.name = new.target.name;
    this.api = site.api;
    this.operation = site.operation;
    this.requestId = site.requestId;
    this.method = site.method;
    this.url = site.url;
    if (options?.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: false });
    }
  }

  /** Fields safe to show; subclasses add theirs. */
  protected details(): Record<string, unknown> {
    return {};
  }

  /**
   * The fields safe to log or send on: `name`, `message`, `api`, `operation`, `requestId` and the subclass's own
   * (`status`, `code`, `outcome`, ...). `JSON.stringify(error)` uses it.
   */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      api: this.api,
      operation: this.operation,
      requestId: this.requestId,
      ...this.details(),
    };
  }

  /** How `console.log` and `util.inspect` show the error: its name, message and {@link NhsApiError.toJSON}. */
  [inspect.custom](): string {
    return `${this.name}: ${this.message} ${inspect(this.toJSON(), { depth: 4, breakLength: Infinity })}`;
  }
}

/** An argument is missing, unknown or of the wrong type; nothing was sent. */
export class InvalidArgumentError extends NhsApiError {
  /** The argument at fault, by its API name (`body` for the request body). */
  readonly parameter: string;
  constructor(site: Partial<CallSite>, parameter: string, message: string) {
    super(site, `${parameter}: ${message}`);
    this.parameter = parameter;
  }
  protected override details() {
    return { parameter: this.parameter };
  }
}

/** The client was built with options it cannot use. */
export class ClientConfigError extends NhsApiError {
  /** The option (or header, or method) at fault: `baseUrl`, `timeoutMs`, `If-Match`, ... */
  readonly option: string;
  constructor(api: string, option: string, message: string) {
    super({ api }, `${api} client: ${option}: ${message}`);
    this.option = option;
  }
  protected override details() {
    return { option: this.option };
  }
}

/** The server answered with an error status. `code` is the NHS detail code, when the body had one. */
export class ApiResponseError extends NhsApiError {
  /** The HTTP status of the last attempt. */
  readonly status: number;
  /** `issue[0].details.coding[0].code` of the OperationOutcome (`RESOURCE_NOT_FOUND`, ...). */
  readonly code: string | undefined;
  /** The OperationOutcome the server sent (redacted), when it sent one. */
  readonly outcome: OperationOutcome | undefined;

  constructor(site: CallSite, status: number, outcome: OperationOutcome | undefined, summary: string) {
    const code = detailCode(outcome);
    super(site, `${status}${code ? ` ${code}` : ''}${summary ? ` (${summary})` : ''} [X-Request-ID ${site.requestId}]`);
    this.status = status;
    this.code = code;
    this.outcome = outcome;
  }
  protected override details() {
    return { status: this.status, code: this.code, ...(this.outcome ? { outcome: this.outcome } : {}) };
  }
}

/** 400: the server refused the request as malformed or invalid; `code` says why. */
export class BadRequestError extends ApiResponseError {}
/** 401: the access token was missing, invalid or expired. */
export class UnauthorizedError extends ApiResponseError {}
/** 403: the caller may not do this (its role, scope or access mode does not allow it). */
export class ForbiddenError extends ApiResponseError {}
/** 404: the resource (or the operation's path) was not found. */
export class NotFoundError extends ApiResponseError {}
/** 409 on every API, whatever its detail code: the resource changed since its version was read. */
export class VersionConflictError extends ApiResponseError {}
/** 412: a required precondition header (`If-Match`) was missing or invalid. */
export class PreconditionFailedError extends ApiResponseError {}
/** 422: the request was well formed but the server could not act on it (a business rule failed). */
export class UnprocessableEntityError extends ApiResponseError {}
/** 429 after the retries ran out. */
export class TooManyRequestsError extends ApiResponseError {}
/** 5xx after the retries (if any) ran out. */
export class ServerError extends ApiResponseError {}

const BY_STATUS: Record<number, typeof ApiResponseError> = {
  400: BadRequestError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: VersionConflictError,
  412: PreconditionFailedError,
  422: UnprocessableEntityError,
  429: TooManyRequestsError,
};

/** The typed error for an error status. */
export function errorForStatus(
  site: CallSite,
  status: number,
  outcome: OperationOutcome | undefined,
  summary: string,
): ApiResponseError {
  const ErrorClass = BY_STATUS[status] ?? (status >= 500 ? ServerError : ApiResponseError);
  return new ErrorClass(site, status, outcome, summary);
}

/** A body that is not JSON, not the declared resource, or too large. */
export class UnexpectedResponseError extends NhsApiError {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Its `Content-Type`, empty when it had none. */
  readonly contentType: string;
  constructor(site: CallSite, status: number, contentType: string, reason: string) {
    super(site, `${status} ${contentType || '(no content type)'}: ${reason} [X-Request-ID ${site.requestId}]`);
    this.status = status;
    this.contentType = contentType;
  }
  protected override details() {
    return { status: this.status, contentType: this.contentType };
  }
}

/** `validate: 'error'` and the response failed its profile. */
export class ResponseValidationError extends NhsApiError {
  /** The validator's report on the response body. */
  readonly outcome: OperationOutcome;
  constructor(site: CallSite, outcome: OperationOutcome, errors: number) {
    const first = outcome.issue?.find((issue) => issue.severity === 'error' || issue.severity === 'fatal');
    const where = first?.expression?.[0] ?? first?.location?.[0] ?? '';
    super(site, `response failed validation: ${errors} error(s)${where ? `, first at ${where}` : ''}`);
    this.outcome = outcome;
  }
  protected override details() {
    return { outcome: this.outcome };
  }
}

/** An attempt or the whole call ran past its time limit. */
export class TimeoutError extends NhsApiError {
  /** Which limit ran out: one attempt's (`timeoutMs`) or the whole call's (`totalTimeoutMs`). */
  readonly limit: 'attempt' | 'total';
  /** That limit, in milliseconds. */
  readonly timeoutMs: number;
  constructor(site: CallSite, limit: 'attempt' | 'total', timeoutMs: number) {
    super(
      site,
      `no complete answer within the ${limit} time limit of ${timeoutMs} ms [X-Request-ID ${site.requestId}]`,
    );
    this.limit = limit;
    this.timeoutMs = timeoutMs;
  }
  protected override details() {
    return { limit: this.limit, timeoutMs: this.timeoutMs };
  }
}

/** The connection failed or was dropped, and the call could not (or may not) be retried. */
export class NetworkError extends NhsApiError {
  constructor(site: CallSite, reason: string, options?: { cause?: unknown }) {
    super(site, `${reason} [X-Request-ID ${site.requestId}]`, options);
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends NhsApiError {
  constructor(site: CallSite) {
    super(site, `aborted by the caller [X-Request-ID ${site.requestId}]`);
  }
}

/** The NHS detail code of an OperationOutcome: the first `issue.details.coding.code`. */
export function detailCode(outcome: OperationOutcome | undefined): string | undefined {
  for (const issue of outcome?.issue ?? []) {
    for (const coding of issue.details?.coding ?? []) {
      if (typeof coding.code === 'string' && coding.code !== '') return coding.code;
    }
  }
  return undefined;
}
