import { fetch, Headers, type Dispatcher, type RequestInit, type Response } from 'undici';
import { TransportError } from './errors.js';
import { inspect } from 'node:util';
import { Redactor, REDACTED } from './redact.js';

/**
 * A Spine interaction: the `InteractionID` header and the JWT `scope` it needs. Spine-direct
 * requests must name one; see {@link reasonableAdjustmentsInteractions} for Reasonable Adjustments.
 */
export interface SpineInteraction {
  /** The `InteractionID`, e.g. `urn:nhs:names:services:raflags:Flag.read:1`. */
  readonly id: string;
  /** The SMART-style JWT scope, e.g. `user/Flag.read`. */
  readonly scope: string;
}

/** What an auth mode needs to know about the request it prepares. */
export interface AuthRequest {
  /** The URL to be called; Spine-direct uses it (without the query) as the JWT `aud`. */
  readonly url: string | URL;
  /** The HTTP method, e.g. `GET`. */
  readonly method?: string;
  /** Spine-direct only: which interaction this request is. */
  readonly interaction?: SpineInteraction;
}

/** Headers to add and, for mutual TLS, the undici dispatcher to send through. */
export interface PreparedRequest {
  /**
   * Headers to set on the request (`Authorization` and the mode's own). `JSON.stringify` and
   * `util.inspect` show `Authorization` redacted.
   */
  readonly headers: Record<string, string>;
  /** Spine-direct only: the mutual-TLS undici `Agent` to send the request through. */
  readonly dispatcher?: Dispatcher;
}

/**
 * The one interface all three modes implement ({@link SpineDirectAuth},
 * {@link ApplicationRestrictedAuth}, {@link UserRestrictedAuth}): API clients take any
 * `RequestAuth`, and a test can pass a fake one. {@link authorisedFetch} is the ready-made caller.
 */
export interface RequestAuth {
  /** Which mode this is. */
  readonly mode: 'spine-direct' | 'application-restricted' | 'user-restricted';
  /**
   * The headers to add to `request` and, for mutual TLS, the dispatcher to send it through.
   * May fetch or refresh a token first; rejects with an {@link NhsAuthError} when it cannot.
   */
  prepare(request: AuthRequest): Promise<PreparedRequest>;
}

/** undici's `RequestInit` for {@link authorisedFetch}; the dispatcher comes from the auth. */
export interface AuthorisedFetchInit extends Omit<RequestInit, 'dispatcher'> {
  /** Spine-direct only (required there): the interaction, giving the `InteractionID` and JWT scope. */
  interaction?: SpineInteraction;
}

/**
 * `fetch` (undici's, so the mTLS `Agent` from this package's undici is accepted) with the
 * request prepared by `auth`. Caller headers are kept; auth headers win on a clash. The time
 * limits of the auth object cover only its own requests (token, discovery); pass `signal` in
 * `init` to limit the API call itself.
 *
 * @param auth - Any mode: {@link SpineDirectAuth}, {@link ApplicationRestrictedAuth}, {@link UserRestrictedAuth}.
 * @param url - The API URL.
 * @param init - As for `fetch`, plus `interaction` for Spine-direct.
 * @returns The API's response, whatever its status.
 * @throws Whatever `auth.prepare` rejects with (an {@link NhsAuthError}); {@link TransportError}
 * when the API call itself fails to connect.
 *
 * @example
 * ```ts
 * const response = await authorisedFetch(auth, `${baseUrl}/Patient/9000000009`, {
 *   headers: { 'X-Request-ID': crypto.randomUUID() },
 * });
 * ```
 */
export async function authorisedFetch(
  auth: RequestAuth,
  url: string | URL,
  init: AuthorisedFetchInit = {},
): Promise<Response> {
  const { interaction, headers, ...rest } = init;
  const prepared = await auth.prepare({
    url,
    ...(rest.method ? { method: rest.method } : {}),
    ...(interaction ? { interaction } : {}),
  });
  const merged = new Headers(headers);
  for (const [name, value] of Object.entries(prepared.headers)) merged.set(name, value);
  try {
    return await fetch(url, {
      ...rest,
      headers: merged,
      ...(prepared.dispatcher ? { dispatcher: prepared.dispatcher } : {}),
    });
  } catch (error) {
    throw new TransportError(String(url), 'request failed', { cause: new Redactor().safeCause(error) });
  }
}

const SECRET_HEADERS = new Set(['authorization']);

/**
 * Headers as a plain record that still prints safely: `util.inspect` and `JSON.stringify` show
 * `Authorization` as redacted, while iterating it (as fetch does) gives the real values. For a
 * custom {@link RequestAuth} that builds its own headers.
 *
 * @param headers - Changed in place.
 * @returns The same object.
 */
export function protectHeaders(headers: Record<string, string>): Record<string, string> {
  const safe = () =>
    Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, SECRET_HEADERS.has(name.toLowerCase()) ? REDACTED : value]),
    );
  Object.defineProperty(headers, 'toJSON', { value: safe, enumerable: false });
  Object.defineProperty(headers, inspect.custom, { value: () => safe(), enumerable: false });
  return headers;
}
