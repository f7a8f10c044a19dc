import { inspect } from 'node:util';
import { fetch, type Response } from 'undici';
import type { AuthContext } from './context.js';
import { TokenEndpointError, TokenResponseError, TransportError } from './errors.js';

/**
 * A token response as the API Platform sends it: numbers arrive as strings (`"599"`) [ISA-CC-TEST]
 * [ISA-TX-TEST]; they are parsed here. Printing it never shows the tokens.
 */
export class TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Seconds, as sent. */
  readonly expiresIn: number;
  /** Milliseconds since the epoch, from the local clock when the response arrived. */
  readonly expiresAt: number;
  readonly refreshToken: string | undefined;
  /** Milliseconds since the epoch, when the server said how long the refresh token lives. */
  readonly refreshTokenExpiresAt: number | undefined;
  readonly refreshCount: number | undefined;
  readonly issuedTokenType: string | undefined;
  readonly scope: string | undefined;
  /** Only in OIDC code-exchange responses. */
  readonly idToken: string | undefined;

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

  toString(): string {
    return `TokenSet(${this.tokenType}, expires in ${this.expiresIn} s)`;
  }

  [inspect.custom](): string {
    return `TokenSet ${inspect(this.toJSON())}`;
  }
}

/** A number the platform may send as a string or a number. */
function numeric(value: unknown, field: string, tokenUrl: string, required: boolean): number | undefined {
  if (value === undefined || value === null) {
    if (required) throw new TokenResponseError(tokenUrl, `${field} is missing`);
    return undefined;
  }
  const parsed =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new TokenResponseError(tokenUrl, `${field} is not a non-negative number: ${JSON.stringify(value)}`);
  return parsed;
}

function optionalString(value: unknown, field: string, tokenUrl: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TokenResponseError(tokenUrl, `${field} is not a string`);
  return value;
}

/** Parse a successful token response body. */
export function parseTokenResponse(body: unknown, tokenUrl: string, receivedAt: number): TokenSet {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new TokenResponseError(tokenUrl, 'response body is not a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token.length === 0)
    throw new TokenResponseError(tokenUrl, 'access_token is missing');
  const tokenType = optionalString(b.token_type, 'token_type', tokenUrl) ?? 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer')
    throw new TokenResponseError(tokenUrl, `token_type ${JSON.stringify(tokenType)} is not Bearer`);
  return new TokenSet({
    accessToken: b.access_token,
    tokenType: 'Bearer',
    expiresIn: numeric(b.expires_in, 'expires_in', tokenUrl, true) as number,
    receivedAt,
    refreshToken: optionalString(b.refresh_token, 'refresh_token', tokenUrl),
    refreshTokenExpiresIn: numeric(b.refresh_token_expires_in, 'refresh_token_expires_in', tokenUrl, false),
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

/** POST a form to a token endpoint and parse the answer, turning OAuth errors into {@link TokenEndpointError}. */
export async function requestToken(
  context: AuthContext,
  tokenUrl: string,
  form: Record<string, string>,
): Promise<TokenSet> {
  const grantType = form.grant_type ?? 'unknown';
  for (const field of SECRET_FORM_FIELDS) context.redactor.add(form[field]);
  context.emit('token.request', 'debug', { tokenUrl, grantType, form });

  let response: Response;
  try {
    response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      ...(context.dispatcher ? { dispatcher: context.dispatcher } : {}),
    });
  } catch (error) {
    const cause = context.redactor.safeCause(error);
    context.emit('token.error', 'error', { tokenUrl, grantType, cause });
    throw new TransportError(tokenUrl, `token request (${grantType}) failed`, { cause });
  }

  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const b = (body ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? context.redactor.redact(v) : undefined);
    const error = new TokenEndpointError({
      status: response.status,
      error: str(b.error) ?? 'unknown_error',
      errorDescription:
        str(b.error_description) ?? (body === undefined ? context.redactor.redact(text.slice(0, 200)) : undefined),
      messageId: str(b.message_id),
      tokenUrl,
      grantType,
    });
    context.emit('token.error', 'warn', {
      tokenUrl,
      grantType,
      status: response.status,
      error: error.error,
      errorDescription: error.errorDescription,
      messageId: error.messageId,
    });
    throw error;
  }
  if (body === undefined) throw new TokenResponseError(tokenUrl, `HTTP ${response.status} body is not JSON`);
  const tokens = parseTokenResponse(body, tokenUrl, context.now());
  context.redactor.add(tokens.accessToken);
  context.redactor.add(tokens.refreshToken);
  context.redactor.add(tokens.idToken);
  context.emit('token.response', 'info', { tokenUrl, grantType, status: response.status, tokens: tokens.toJSON() });
  return tokens;
}
