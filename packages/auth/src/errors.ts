import { inspect } from 'node:util';

/**
 * Stable machine-readable codes, one per failure kind (the jose habit): switch on
 * {@link NhsAuthError.code} rather than on messages, which may change.
 */
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

/**
 * The `cause` of an {@link NhsAuthError}: what went wrong underneath (an undici or node:crypto
 * error, say), reduced to a name, a code and an already-redacted message, so it can be logged
 * without leaking a token or key.
 */
export interface SafeCause {
  /** The underlying error's `name`, e.g. `TypeError`. */
  readonly name: string;
  /** The underlying error's `code` when it had a string one, e.g. `ECONNREFUSED`. */
  readonly code?: string;
  /** The underlying error's message, redacted and cut to 300 characters. */
  readonly message: string;
}

/**
 * Base class of every error this package throws; catch it to handle any auth failure, and
 * switch on {@link NhsAuthError.code | code} for the kind. It never holds a secret: messages are
 * built from non-secret inputs or passed through the redactor, and `cause` is a
 * {@link SafeCause}, never the original error.
 *
 * @example
 * ```ts
 * try {
 *   await auth.getAccessToken();
 * } catch (error) {
 *   if (error instanceof NhsAuthError) console.error(error.code, error.message); // safe to log
 *   throw error;
 * }
 * ```
 */
export class NhsAuthError extends Error {
  /** Which kind of failure this is; stable across releases. */
  readonly code: NhsAuthErrorCode;
  /** What failed underneath, as a {@link SafeCause}; not enumerable. */
  declare readonly cause?: SafeCause;

  /**
   * @param code - The failure kind.
   * @param message - Must already be free of secrets.
   * @param options - `cause`, already reduced to a {@link SafeCause}.
   */
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

  /** `Name [CODE]: message`. */
  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  /** `name`, `code`, `message`, the subclass's fields and `cause`, for structured logs; no stack, no secrets. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...this.details(),
      ...(this.cause ? { cause: this.cause } : {}),
    };
  }

  /** What `console.log` and `util.inspect` show: {@link NhsAuthError.toString} and the fields. */
  [inspect.custom](): string {
    const details = { ...this.details(), ...(this.cause ? { cause: this.cause } : {}) };
    const suffix = Object.keys(details).length > 0 ? ` ${inspect(details, { depth: 3, breakLength: Infinity })}` : '';
    return `${this.toString()}${suffix}`;
  }
}

/**
 * A caller-supplied value has the wrong shape (ASID, ODS code, URL, option out of range, a TLS
 * certificate that does not parse). Mostly thrown by the constructors, so mistakes show when the
 * object is made rather than at the first request. Code `ERR_AUTH_INVALID_INPUT`.
 */
export class InvalidAuthInputError extends NhsAuthError {
  /** The option at fault, e.g. `apiKey`, `environment`, `tls.key`, `tls.ca[1]`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super('ERR_AUTH_INVALID_INPUT', `${field}: ${message}`);
    this.field = field;
  }
  protected override details() {
    return { field: this.field };
  }
}

/**
 * A private key could not be loaded or is unfit for RS512: not PEM or a private RSA JWK, encrypted
 * without a passphrase, shorter than 2048 bits, a JWK whose `alg` or `use` is wrong, no `kid`.
 * The message names the kid, never the key. Code `ERR_AUTH_KEY`.
 */
export class SigningKeyError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_AUTH_KEY', message, options);
  }
}

/**
 * Spine-direct refuses to send without a client certificate and key (`tls.cert` and `tls.key` of
 * {@link SpineDirectAuthOptions}): thrown by {@link SpineDirectAuth.prepare} and
 * {@link SpineDirectAuth.dispatcher}, before any byte is sent. Code `ERR_SPINE_NO_CLIENT_CERTIFICATE`.
 */
export class MissingClientCertificateError extends NhsAuthError {
  constructor() {
    super(
      'ERR_SPINE_NO_CLIENT_CERTIFICATE',
      'Spine-direct requests need a client TLS certificate and key (tls.cert and tls.key); refusing to send',
    );
  }
}

/**
 * The client assertion's lifetime is not in (0, 300] seconds: the API Platform rejects an
 * assertion whose `exp` is more than 5 minutes ahead. Code `ERR_CLIENT_ASSERTION_LIFETIME`.
 */
export class ClientAssertionLifetimeError extends NhsAuthError {
  /** The lifetime asked for, in seconds. */
  readonly lifetimeSeconds: number;
  /** The most allowed, in seconds (300). */
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
 * The token endpoint answered with an HTTP error (a bad client assertion, an unreachable JWKS, a
 * rejected ID token or refresh token). Its body is never echoed: the error keeps the OAuth fields
 * the platform defines (`error`, `error_description`, `message_id`, already redacted) and a
 * summary of the rest (content type and length). Code `ERR_TOKEN_ENDPOINT`.
 */
export class TokenEndpointError extends NhsAuthError {
  /** The HTTP status, e.g. 400, 401 or 403. */
  readonly status: number;
  /** The OAuth `error`, e.g. `invalid_request`; `unknown_error` when the body had none. */
  readonly error: string;
  /** The OAuth `error_description`, redacted and cut to 500 characters. */
  readonly errorDescription: string | undefined;
  /** The platform's `message_id`, to quote to NHS England support. */
  readonly messageId: string | undefined;
  /** The token endpoint called. */
  readonly tokenUrl: string;
  /** The `grant_type` sent, e.g. `client_credentials`, `refresh_token` or the token-exchange grant. */
  readonly grantType: string;
  /** The response's content type, cut short. */
  readonly contentType: string | undefined;
  /** The response body's length in bytes. */
  readonly bodyLength: number | undefined;
  /** @param init - The fields above, already redacted. */
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

/**
 * The token endpoint's success response is not what the platform documents: not JSON, no
 * `access_token`, a `token_type` other than Bearer, or an `expires_in` that is not a positive
 * number of seconds (`"0"`, `"-1"`, `"soon"`). Code `ERR_TOKEN_RESPONSE`.
 */
export class TokenResponseError extends NhsAuthError {
  /** The token endpoint called. */
  readonly tokenUrl: string;
  constructor(tokenUrl: string, message: string, options?: { cause?: SafeCause }) {
    super('ERR_TOKEN_RESPONSE', `${tokenUrl}: ${message}`, options);
    this.tokenUrl = tokenUrl;
  }
}

/**
 * Getting a fresh access token failed; every caller waiting on that refresh gets this error, and
 * the next call tries again. `cause` says what failed (often a {@link TokenEndpointError}). A time
 * limit or an abort is not wrapped: those reject with {@link AuthTimeoutError} or
 * {@link AuthAbortedError}. Code `ERR_TOKEN_REFRESH_FAILED`.
 */
export class TokenRefreshError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_TOKEN_REFRESH_FAILED', message, options);
  }
}

/**
 * The CIS2 discovery document could not be fetched or lacks what is needed (`issuer`,
 * `authorization_endpoint`, `token_endpoint`, `jwks_uri`), or names an endpoint on plain `http://`
 * other than loopback. Code `ERR_OIDC_DISCOVERY`.
 */
export class DiscoveryError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_OIDC_DISCOVERY', message, options);
  }
}

/**
 * The CIS2 authorization callback is wrong: state mismatch, an `error` parameter (the user
 * cancelled, say), an `iss` that is not the discovered issuer, or no code. Code
 * `ERR_OIDC_AUTHORIZATION_RESPONSE`.
 */
export class AuthorizationResponseError extends NhsAuthError {
  /** The callback's `error` parameter, e.g. `access_denied`, when it had one. */
  readonly error: string | undefined;
  constructor(message: string, error?: string) {
    super('ERR_OIDC_AUTHORIZATION_RESPONSE', message);
    this.error = error;
  }
  protected override details() {
    return { error: this.error };
  }
}

/**
 * Which check an ID token failed ({@link IdTokenValidationError.reason}): `malformed` (not a JWT,
 * or no `id_token` in the response), `signature` (does not verify with the provider's JWKS, or an
 * algorithm not allowed), `issuer`, `audience`, `expired`, `not-yet-valid` (`iat` or `nbf` in the
 * future), `nonce`, or `claims` (another claim check).
 */
export type IdTokenFailure =
  | 'malformed'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'not-yet-valid'
  | 'nonce'
  | 'claims';

/**
 * The CIS2 ID token failed a check; `reason` says which. Its message never quotes the token.
 * Code `ERR_ID_TOKEN_INVALID`.
 */
export class IdTokenValidationError extends NhsAuthError {
  /** The check that failed. */
  readonly reason: IdTokenFailure;
  constructor(reason: IdTokenFailure, message: string) {
    super('ERR_ID_TOKEN_INVALID', `ID token rejected (${reason}): ${message}`);
    this.reason = reason;
  }
  protected override details() {
    return { reason: this.reason };
  }
}

/**
 * The ID token's authentication assurance level (`authentication_assurance_level`, else the
 * `acr` prefix) is missing or below what the caller requires (AAL3 unless
 * `requiredAssuranceLevel` says otherwise). Code `ERR_ASSURANCE_LEVEL`.
 */
export class AssuranceLevelError extends NhsAuthError {
  /** The lowest level accepted: 1, 2 or 3. */
  readonly required: number;
  /** The token's level, or undefined when it names none. */
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

/**
 * The CIS2 UserInfo call failed: discovery names no `userinfo_endpoint`, the request failed, or
 * the answer is not a UserInfo object with a `sub`. Code `ERR_USERINFO`.
 */
export class UserInfoError extends NhsAuthError {
  constructor(message: string, options?: { cause?: SafeCause }) {
    super('ERR_USERINFO', message, options);
  }
}

/**
 * Why no session role could be chosen ({@link RoleSelectionError.reason}): `no-roles` (no
 * `selected_roleid` and no UserInfo roles), `ambiguous` (several roles and none selected),
 * `not-found` (the chosen id is not one of the user's roles) or `invalid` (not digits).
 */
export type RoleSelectionFailure = 'no-roles' | 'ambiguous' | 'not-found' | 'invalid';

/**
 * No single role could be chosen for `NHSD-Session-URID`; thrown by {@link selectSessionRole}.
 * Code `ERR_ROLE_SELECTION`.
 */
export class RoleSelectionError extends NhsAuthError {
  /** Why. */
  readonly reason: RoleSelectionFailure;
  constructor(reason: RoleSelectionFailure, message: string) {
    super('ERR_ROLE_SELECTION', message);
    this.reason = reason;
  }
  protected override details() {
    return { reason: this.reason };
  }
}

/**
 * The network call itself failed (DNS, TLS handshake, connection refused); `cause` holds the
 * redacted detail. Code `ERR_TRANSPORT`.
 */
export class TransportError extends NhsAuthError {
  /** The URL called. */
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: SafeCause }) {
    super('ERR_TRANSPORT', `${url}: ${message}`, options);
    this.url = url;
  }
}

/**
 * A request this package made itself (token, discovery, JWKS, UserInfo) got no complete answer
 * within `timeoutMs` (default {@link DEFAULT_TIMEOUT_MS}), counted from sending to the last byte.
 * Code `ERR_AUTH_TIMEOUT`.
 */
export class AuthTimeoutError extends NhsAuthError {
  /** The URL called. */
  readonly url: string;
  /** The limit that ran out, in milliseconds. */
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

/**
 * The caller's `signal` (see {@link CommonAuthOptions.signal}) aborted a request this package was
 * making. Code `ERR_AUTH_ABORTED`.
 */
export class AuthAbortedError extends NhsAuthError {
  /** The URL called. */
  readonly url: string;
  constructor(url: string, what: string) {
    super('ERR_AUTH_ABORTED', `${url}: ${what} was aborted by the caller's signal`);
    this.url = url;
  }
  protected override details() {
    return { url: this.url };
  }
}
