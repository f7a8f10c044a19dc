import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ClientAssertionLifetimeError, InvalidAuthInputError } from './errors.js';
import type { SigningKey } from './keys.js';
import { assertHttpUrl } from './spine-jwt.js';

/** The platform rejects assertions whose `exp` is more than 5 minutes (300 seconds) ahead [ISA-CA]. */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

/** The `client_assertion_type` form value sent with every client assertion (RFC 7523). */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Inputs of {@link createClientAssertion}. */
export interface ClientAssertionInput {
  /** The app's API key: both `iss` and `sub`. */
  readonly apiKey: string;
  /** The token endpoint URL, exactly: the `aud`. */
  readonly tokenUrl: string;
  /** The key whose public half is in the app's JWKS; its `kid` goes in the header. */
  readonly signingKey: SigningKey;
  /** Seconds until `exp`; more than 0 and at most 300. Defaults to 300. */
  readonly lifetimeSeconds?: number;
  /** Milliseconds since the epoch. Default `Date.now()`. */
  readonly now?: number;
  /** Defaults to a random UUID; must never repeat. */
  readonly jti?: string;
}

/**
 * Check a client assertion lifetime: more than 0 and at most 300 seconds.
 *
 * @throws {@link ClientAssertionLifetimeError} when it is not.
 */
export function assertAssertionLifetime(lifetimeSeconds: number): void {
  if (
    !Number.isFinite(lifetimeSeconds) ||
    lifetimeSeconds <= 0 ||
    lifetimeSeconds > MAX_CLIENT_ASSERTION_LIFETIME_SECONDS
  ) {
    throw new ClientAssertionLifetimeError(lifetimeSeconds, MAX_CLIENT_ASSERTION_LIFETIME_SECONDS);
  }
}

/**
 * The RS512 client assertion for the API Platform token endpoint: header `kid`, `iss` = `sub` =
 * API key, `aud` = the token URL, a fresh `jti`, `exp` at most 5 minutes ahead. The auth classes
 * make these themselves; use this to call a token endpoint on your own.
 *
 * @returns The compact signed JWT.
 * @throws {@link InvalidAuthInputError} when the API key is empty or `tokenUrl` is not an http(s)
 * URL; {@link ClientAssertionLifetimeError} when `lifetimeSeconds` is not in (0, 300].
 */
export async function createClientAssertion(input: ClientAssertionInput): Promise<string> {
  if (typeof input.apiKey !== 'string' || input.apiKey.length === 0)
    throw new InvalidAuthInputError('apiKey', 'the API key is required');
  assertHttpUrl(input.tokenUrl, 'tokenUrl');
  const lifetime = input.lifetimeSeconds ?? MAX_CLIENT_ASSERTION_LIFETIME_SECONDS;
  assertAssertionLifetime(lifetime);
  const iat = Math.floor((input.now ?? Date.now()) / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: input.signingKey.kid })
    .setIssuer(input.apiKey)
    .setSubject(input.apiKey)
    .setAudience(input.tokenUrl)
    .setJti(input.jti ?? randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + Math.floor(lifetime))
    .sign(input.signingKey.keyObject);
}
