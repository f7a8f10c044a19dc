import { inspect } from 'node:util';
import type { AuthContext } from './context.js';
import { InvalidAuthInputError, type NhsAuthError, preview, TokenEndpointError, TokenResponseError } from './errors.js';
import { limitedFetch, type LimitedResponse } from './http.js';

/**
 * A token response as the API Platform sends it: numbers arrive as strings (`"599"`) [ISA-CC-TEST]
 * [ISA-TX-TEST]; they are parsed here. Printing it (`toString`, `JSON.stringify`, `util.inspect`)
 * never shows the tokens, and they are not enumerable.
 */
export class TokenSet {
  /** The access token, for `Authorization: Bearer`. A secret. */
  readonly accessToken: string;
  /** Always `Bearer`. */
  readonly tokenType: string;
  /** Lifetime in seconds, as sent (`expires_in`). */
  readonly expiresIn: number;
  /** Milliseconds since the epoch, from the local clock when the response arrived. */
  readonly expiresAt: number;
  /** The refresh token, when the response has one (the token exchange and refresh do). A secret. */
  readonly refreshToken: string | undefined;
  /** Milliseconds since the epoch, when the server said how long the refresh token lives. */
  readonly refreshTokenExpiresAt: number | undefined;
  /** How many times the token has been refreshed (`refresh_count`), when sent. */
  readonly refreshCount: number | undefined;
  /** `issued_token_type`, sent by the token exchange only. */
  readonly issuedTokenType: string | undefined;
  /** The granted `scope`, when sent. */
  readonly scope: string | undefined;
  /** Only in OIDC code-exchange responses (CIS2). A secret. */
  readonly idToken: string | undefined;

  /**
   * Usually made by {@link parseTokenResponse}. `expiresIn` and `refreshTokenExpiresIn` are
   * seconds; `receivedAt` is milliseconds since the epoch.
   */
  constructor(init: {
    accessToken: string;
    tokenType: string;
    expiresIn: number;
    receivedAt: number;
    refreshToken?: string | undefined;
    refreshTokenExpiresIn?: number | undefined;
    refreshCount?: number | undefined;
    issuedTokenType?: string | undefined;
    scope?: string | undefined;
    idToken?: string | undefined;
  }) {
    this.accessToken = init.accessToken;
    this.tokenType = init.tokenType;
    this.expiresIn = init.expiresIn;
    this.expiresAt = init.receivedAt + init.expiresIn * 1000;
    this.refreshToken = init.refreshToken;
    this.refreshTokenExpiresAt =
      init.refreshTokenExpiresIn === undefined ? undefined : init.receivedAt + init.refreshTokenExpiresIn * 1000;
    this.refreshCount = init.refreshCount;
    this.issuedTokenType = init.issuedTokenType;
    this.scope = init.scope;
    this.idToken = init.idToken;
    // Keep the secrets out of Object.keys / JSON.stringify / structuredClone-by-spread.
    Object.defineProperty(this, 'accessToken', { enumerable: false });
    Object.defineProperty(this, 'refreshToken', { enumerable: false });
    Object.defineProperty(this, 'idToken', { enumerable: false });
  }

  /** The non-secret fields, with `hasRefreshToken` and `hasIdToken` in place of the tokens. */
  toJSON(): Record<string, unknown> {
    return {
      tokenType: this.tokenType,
      expiresIn: this.expiresIn,
      expiresAt: this.expiresAt,
      hasRefreshToken: this.refreshToken !== undefined,
      hasIdToken: this.idToken !== undefined,
      refreshCount: this.refreshCount,
      issuedTokenType: this.issuedTokenType,
      scope: this.scope,
    };
  }

  /** `TokenSet(Bearer, expires in <seconds> s)`. */
  toString(): string {
    return `TokenSet(${this.tokenType}, expires in ${this.expiresIn} s)`;
  }

  /** What `util.inspect` shows: {@link TokenSet.toJSON}. */
  [inspect.custom](): string {
    return `TokenSet ${inspect(this.toJSON())}`;
  }
}

/** A number the platform may send as a string or a number. */
function numeric(
  value: unknown,
  field: string,
  tokenUrl: string,
  required: boolean,
  positive = false,
): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw new TokenResponseError(tokenUrl, `${field} is missing`);
    return undefined;
  }
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d{1,15}(\.\d{1,15})?\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  // More than ten years is no token lifetime: it is a mistake (and would overflow a Date).
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 315_360_000 || (positive && parsed <= 0)) {
    const shown = typeof value === 'string' || typeof value === 'number' ? preview(String(value)) : preview(value);
    throw new TokenResponseError(
      tokenUrl,
      `${field} is not a ${positive ? 'positive' : 'non-negative'} number of seconds: ${shown}`,
    );
  }
  return parsed;
}

function optionalString(value: unknown, field: string, tokenUrl: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TokenResponseError(tokenUrl, `${field} is not a string`);
  return value;
}

/**
 * Parse a successful token response body (the parsed JSON) into a {@link TokenSet}. `expires_in`,
 * `refresh_token_expires_in` and `refresh_count` may be numbers or numeric strings; `token_type`
 * must be Bearer (default when absent).
 *
 * @param tokenUrl - The endpoint that answered, for error messages.
 * @param receivedAt - When the response arrived, milliseconds since the epoch.
 * @throws {@link TokenResponseError} when the body is not a JSON object, has no `access_token`, or
 * its `expires_in` is not a positive number of seconds; {@link InvalidAuthInputError} for a bad
 * `tokenUrl` or `receivedAt`.
 */
export function parseTokenResponse(body: unknown, tokenUrl: string, receivedAt: number): TokenSet {
  if (typeof tokenUrl !== 'string') throw new InvalidAuthInputError('tokenUrl', 'must be a string');
  // Within the range of a Date (so adding a lifetime stays exact and comparable).
  if (typeof receivedAt !== 'number' || !Number.isFinite(receivedAt) || receivedAt < 0 || receivedAt > 8.64e15)
    throw new InvalidAuthInputError('receivedAt', 'must be milliseconds since the epoch');
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new TokenResponseError(tokenUrl, 'response body is not a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token.length === 0)
    throw new TokenResponseError(tokenUrl, 'access_token is missing');
  const tokenType = optionalString(b.token_type, 'token_type', tokenUrl) ?? 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer')
    throw new TokenResponseError(tokenUrl, `token_type ${preview(tokenType)} is not Bearer`);
  return new TokenSet({
    accessToken: b.access_token,
    tokenType: 'Bearer',
    expiresIn: numeric(b.expires_in, 'expires_in', tokenUrl, true, true) as number,
    receivedAt,
    refreshToken: optionalString(b.refresh_token, 'refresh_token', tokenUrl),
    refreshTokenExpiresIn: numeric(b.refresh_token_expires_in, 'refresh_token_expires_in', tokenUrl, false, true),
    refreshCount: numeric(b.refresh_count, 'refresh_count', tokenUrl, false),
    issuedTokenType: optionalString(b.issued_token_type, 'issued_token_type', tokenUrl),
    scope: optionalString(b.scope, 'scope', tokenUrl),
    idToken: optionalString(b.id_token, 'id_token', tokenUrl),
  });
}

/** Form field names whose values are secrets; registered with the redactor before sending. */
const SECRET_FORM_FIELDS = [
  'client_assertion',
  'client_secret',
  'subject_token',
  'refresh_token',
  'code',
  'code_verifier',
];

/** An OAuth error field (`error`, `error_description`, `message_id`): redacted whole, then cut. */
function errorField(context: AuthContext, value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Control characters (a forged log line, a terminal escape) become spaces.
  const redacted = [...context.redactor.redact(value)]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('');
  return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
}

/**
 * POST a form to a token endpoint and parse the answer, turning OAuth errors into
 * {@link TokenEndpointError}. A failed call's body is summarised, never echoed.
 */
export async function requestToken(
  context: AuthContext,
  tokenUrl: string,
  form: Record<string, string>,
): Promise<TokenSet> {
  const grantType = form.grant_type ?? 'unknown';
  for (const field of SECRET_FORM_FIELDS) context.redactor.add(form[field]);
  context.emit('token.request', 'debug', { tokenUrl, grantType, form });

  let response: LimitedResponse;
  try {
    response = await limitedFetch(
      context,
      tokenUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
      },
      `token request (${grantType})`,
    );
  } catch (error) {
    const failure = error as NhsAuthError;
    context.emit('token.error', 'error', {
      tokenUrl,
      grantType,
      cause: { name: failure.name, code: failure.code, message: failure.message },
    });
    throw error;
  }

  let body: unknown;
  try {
    body = response.truncated ? undefined : JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const b = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const error = new TokenEndpointError({
      status: response.status,
      error: errorField(context, b.error, 100) ?? 'unknown_error',
      errorDescription: errorField(context, b.error_description, 500),
      messageId: errorField(context, b.message_id, 100),
      tokenUrl,
      grantType,
      contentType: response.contentType,
      bodyLength: response.length,
    });
    context.emit('token.error', 'warn', {
      tokenUrl,
      grantType,
      status: response.status,
      error: error.error,
      errorDescription: error.errorDescription,
      messageId: error.messageId,
      contentType: error.contentType,
      bodyLength: error.bodyLength,
    });
    throw error;
  }
  if (body === undefined)
    throw new TokenResponseError(
      tokenUrl,
      `HTTP ${response.status} body is not JSON (${response.contentType ?? 'no content type'}, ` +
        `${response.length}${response.truncated ? '+' : ''} bytes)`,
    );
  let tokens: TokenSet;
  try {
    tokens = parseTokenResponse(body, tokenUrl, context.now());
  } catch (error) {
    // The parser quotes what the server sent; a careless server may have sent a secret there.
    const message = error instanceof Error ? error.message : String(error);
    const detail = message.startsWith(`${tokenUrl}: `) ? message.slice(tokenUrl.length + 2) : message;
    throw new TokenResponseError(tokenUrl, context.redactor.redact(detail));
  }
  context.redactor.add(tokens.accessToken);
  context.redactor.add(tokens.refreshToken);
  context.redactor.add(tokens.idToken);
  context.emit('token.response', 'info', { tokenUrl, grantType, status: response.status, tokens: tokens.toJSON() });
  return tokens;
}
