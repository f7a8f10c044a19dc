import { fetch, Headers, type Dispatcher, type RequestInit, type Response } from 'undici';
import { TransportError } from './errors.js';
import { inspect } from 'node:util';
import { Redactor, REDACTED } from './redact.js';

/** A Spine interaction: the `InteractionID` header and the JWT `scope` it needs. */
export interface SpineInteraction {
  readonly id: string;
  readonly scope: string;
}

/** What an auth mode needs to know about the request it prepares. */
export interface AuthRequest {
  readonly url: string | URL;
  readonly method?: string;
  /** Spine-direct only: which interaction this request is. */
  readonly interaction?: SpineInteraction;
}

/** Headers to add and, for mutual TLS, the undici dispatcher to send through. */
export interface PreparedRequest {
  readonly headers: Record<string, string>;
  readonly dispatcher?: Dispatcher;
}

/** The one interface all three modes implement. */
export interface RequestAuth {
  readonly mode: 'spine-direct' | 'application-restricted' | 'user-restricted';
  prepare(request: AuthRequest): Promise<PreparedRequest>;
}

export interface AuthorisedFetchInit extends Omit<RequestInit, 'dispatcher'> {
  interaction?: SpineInteraction;
}

/**
 * `fetch` (undici's, so the mTLS `Agent` from this package's undici is accepted) with the
 * request prepared by `auth`. Caller headers are kept; auth headers win on a clash.
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
 * `Authorization` as redacted, while iterating it (as fetch does) gives the real values.
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
