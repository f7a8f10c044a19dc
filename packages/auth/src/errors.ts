import { inspect } from 'node:util';

/** Stable machine-readable codes, one per failure kind (the jose habit). */
export type NhsAuthErrorCode =
  | 'ERR_AUTH_INVALID_INPUT'
  | 'ERR_AUTH_KEY'
  | 'ERR_SPINE_NO_CLIENT_CERTIFICATE'
  | 'ERR_CLIENT_ASSERTION_LIFETIME'
  | 'ERR_TOKEN_ENDPOINT'
  | 'ERR_TOKEN_RESPONSE'
  | 'ERR_TOKEN_REFRESH_FAILED'
  | 'ERR_OIDC_DISCOVERY'
  | 'ERR_OIDC_AUTHORIZATION_RESPONSE'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ASSURANCE_LEVEL'
  | 'ERR_USERINFO'
  | 'ERR_ROLE_SELECTION'
  | 'ERR_TRANSPORT'
  | 'ERR_AUTH_TIMEOUT'
  | 'ERR_AUTH_ABORTED';

/** Longest piece of a caller's value that an error message quotes. */
export const PREVIEW_LENGTH = 40;

/**
 * A value as an error message quotes it: JSON, cut to {@link PREVIEW_LENGTH} characters with the
 * full length said, so a 100 kB input is not echoed whole. Redact before calling this, never after.
 */
export function preview(value: unknown): string {
  if (typeof value !== 'string') {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    return typeof value === 'object' ? 'an object' : typeof value === 'undefined' ? 'nothing' : typeof value;
  }
  if (value.length <= PREVIEW_LENGTH) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, PREVIEW_LENGTH))}… (${value.length} characters)`;
}

/** A cause that carries only a name, a code and an already-redacted message. */
export interface SafeCause {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
}

/**
 * Base class of every error this package throws. It never holds a secret: messages are built
 * from non-secret inputs or passed through the redactor, and `cause` is a {@link SafeCause}.
 */
export class NhsAuthError extends Error {
  readonly code: NhsAuthErrorCode;
  declare readonly cause?: SafeCause;

  constructor(code: NhsAuthErrorCode, message: string, options?: { cause?: SafeCause }) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (options?.cause) {
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: false });
    }
  }

  /** Fields safe to show; subclasses add theirs. */
  protected details(): Record<string, unknown> {
    return {};
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...this.details(),
      ...(this.cause ? { cause: this.cause } : {}),
    };
  }

  [inspect.custom](): string {
    const details = { ...this.details(), ...(this.cause ? { cause: this.cause } : {}) };
    const suffix = Object.keys(details).length > 0 ? ` ${inspect(details, { depth: 3, breakLength: Infinity })}` : '';
    return `${this.toString()}${suffix}`;
  }
}

/** A caller-supplied value has the wrong shape (ASID, ODS code, URL, option out of range). */
export class InvalidAuthInputError extends NhsAuthError {
  readonly field: string;
  constructor(field: string, message: string) {
    super('ERR_AUTH_INVALID_INPUT', `${field}: ${message}`);
    this.field = field;
  }
  protected override details() {
    return { field: this.field };
  }
}

/** A private key could not be loaded or is unfit for RS512. */
export class SigningKeyError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_AUTH_KEY', message, options);
  }
}

/** Spine-direct refuses to send without a client certificate and key. */
export class MissingClientCertificateError extends NhsAuthError {
  constructor() {
    super(
      'ERR_SPINE_NO_CLIENT_CERTIFICATE',
      'Spine-direct requests need a client TLS certificate and key (tls.cert and tls.key); refusing to send',
    );
  }
}

/** The client assertion's lifetime is not in (0, 300] seconds. */
export class ClientAssertionLifetimeError extends NhsAuthError {
  readonly lifetimeSeconds: number;
  readonly maxSeconds: number;
  constructor(lifetimeSeconds: number, maxSeconds: number) {
    super(
      'ERR_CLIENT_ASSERTION_LIFETIME',
      `client assertion lifetime must be more than 0 and at most ${maxSeconds} s; got ${lifetimeSeconds}`,
    );
    this.lifetimeSeconds = lifetimeSeconds;
    this.maxSeconds = maxSeconds;
  }
  protected override details() {
    return { lifetimeSeconds: this.lifetimeSeconds, maxSeconds: this.maxSeconds };
  }
}

/**
 * The token endpoint answered with an error. Its body is never echoed: the error keeps the OAuth
 * fields the platform defines (`error`, `error_description`, `message_id`, already redacted) and
 * a summary of the rest (content type and length).
 */
export class TokenEndpointError extends NhsAuthError {
  readonly status: number;
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly messageId: string | undefined;
  readonly tokenUrl: string;
  readonly grantType: string;
  /** The response's content type, cut short. */
  readonly contentType: string | undefined;
  /** The response body's length in bytes. */
  readonly bodyLength: number | undefined;
  constructor(init: {
    status: number;
    error: string;
    errorDescription?: string | undefined;
    messageId?: string | undefined;
    tokenUrl: string;
    grantType: string;
    contentType?: string | undefined;
    bodyLength?: number | undefined;
  }) {
    const summary =
      init.errorDescription === undefined && init.bodyLength !== undefined
        ? ` (${init.contentType ?? 'no content type'}, ${init.bodyLength} bytes)`
        : '';
    super(
      'ERR_TOKEN_ENDPOINT',
      `${init.tokenUrl} refused ${init.grantType} with HTTP ${init.status} ${init.error}` +
        (init.errorDescription ? `: ${init.errorDescription}` : '') +
        summary +
        (init.messageId ? ` (message_id ${init.messageId})` : ''),
    );
    this.status = init.status;
    this.error = init.error;
    this.errorDescription = init.errorDescription;
    this.messageId = init.messageId;
    this.tokenUrl = init.tokenUrl;
    this.grantType = init.grantType;
    this.contentType = init.contentType;
    this.bodyLength = init.bodyLength;
  }
  protected override details() {
    return {
      status: this.status,
      error: this.error,
      errorDescription: this.errorDescription,
      messageId: this.messageId,
      tokenUrl: this.tokenUrl,
      grantType: this.grantType,
      contentType: this.contentType,
      bodyLength: this.bodyLength,
    };
  }
}

/** The token endpoint's success response is not what the platform documents. */
export class TokenResponseError extends NhsAuthError {
  readonly tokenUrl: string;
  constructor(tokenUrl: string, message: string, options?: { cause?: SafeCause }) {
    super('ERR_TOKEN_RESPONSE', `${tokenUrl}: ${message}`, options);
    this.tokenUrl = tokenUrl;
  }
}

/** Getting a fresh token failed; the next call tries again. */
export class TokenRefreshError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_TOKEN_REFRESH_FAILED', message, options);
  }
}

export class DiscoveryError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_OIDC_DISCOVERY', message, options);
  }
}

/** The authorization callback is wrong: state mismatch, an `error` parameter, or no code. */
export class AuthorizationResponseError extends NhsAuthError {
  readonly error: string | undefined;
  constructor(message: string, error?: string) {
    super('ERR_OIDC_AUTHORIZATION_RESPONSE', message);
    this.error = error;
  }
  protected override details() {
    return { error: this.error };
  }
}

export type IdTokenFailure =
  | 'malformed'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not-yet-valid'
  | 'nonce'
  | 'claims';

/** The ID token failed a check; `reason` says which. */
export class IdTokenValidationError extends NhsAuthError {
  readonly reason: IdTokenFailure;
  constructor(reason: IdTokenFailure, message: string) {
    super('ERR_ID_TOKEN_INVALID', `ID token rejected (${reason}): ${message}`);
    this.reason = reason;
  }
  protected override details() {
    return { reason: this.reason };
  }
}

/** The ID token's authentication assurance level is below what the caller requires. */
export class AssuranceLevelError extends NhsAuthError {
  readonly required: number;
  readonly actual: number | undefined;
  constructor(required: number, actual: number | undefined) {
    super(
      'ERR_ASSURANCE_LEVEL',
      `ID token authentication assurance level ${actual === undefined ? 'is missing' : `is AAL${actual}`}; ` +
        `AAL${required} required`,
    );
    this.required = required;
    this.actual = actual;
  }
  protected override details() {
    return { required: this.required, actual: this.actual };
  }
}

export class UserInfoError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_USERINFO', message, options);
  }
}

export type RoleSelectionFailure = 'no-roles' | 'ambiguous' | 'not-found' | 'invalid';

/** No single role could be chosen for `NHSD-Session-URID`. */
export class RoleSelectionError extends NhsAuthError {
  readonly reason: RoleSelectionFailure;
  constructor(reason: RoleSelectionFailure, message: string) {
    super('ERR_ROLE_SELECTION', message);
    this.reason = reason;
  }
  protected override details() {
    return { reason: this.reason };
  }
}

/** The network call itself failed (DNS, TLS handshake, connection refused). */
export class TransportError extends NhsAuthError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: SafeCause }) {
    super('ERR_TRANSPORT', `${url}: ${message}`, options);
    this.url = url;
  }
}

/** A request this package made itself got no complete answer within `timeoutMs`. */
export class AuthTimeoutError extends NhsAuthError {
  readonly url: string;
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number, what: string) {
    super('ERR_AUTH_TIMEOUT', `${url}: ${what} got no answer within ${timeoutMs} ms`);
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
  protected override details() {
    return { url: this.url, timeoutMs: this.timeoutMs };
  }
}

/** The caller's `signal` aborted a request this package was making. */
export class AuthAbortedError extends NhsAuthError {
  readonly url: string;
  constructor(url: string, what: string) {
    super('ERR_AUTH_ABORTED', `${url}: ${what} was aborted by the caller's signal`);
    this.url = url;
  }
  protected override details() {
    return { url: this.url };
  }
}
