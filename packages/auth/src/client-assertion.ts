import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ClientAssertionLifetimeError, InvalidAuthInputError } from './errors.js';
import type { SigningKey } from './keys.js';
import { assertHttpUrl } from './spine-jwt.js';

/** The platform rejects assertions whose `exp` is more than 5 minutes ahead [ISA-CA]. */
export const MAX_CLIENT_ASSERTION_LIFETIME_SECONDS = 300;

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface ClientAssertionInput {
  /** The app's API key: both `iss` and `sub`. */
  readonly apiKey: string;
  /** The token endpoint URL, exactly: the `aud`. */
  readonly tokenUrl: string;
  readonly signingKey: SigningKey;
  /** Seconds until `exp`; more than 0 and at most 300. Defaults to 300. */
  readonly lifetimeSeconds?: number;
  /** Milliseconds since the epoch. */
  readonly now?: number;
  /** Defaults to a random UUID; must never repeat. */
  readonly jti?: string;
}

export function assertAssertionLifetime(lifetimeSeconds: number): void {
  if (
    !Number.isFinite(lifetimeSeconds) ||
    lifetimeSeconds <= 0 ||
    lifetimeSeconds > MAX_CLIENT_ASSERTION_LIFETIME_SECONDS
  ) {
    throw new ClientAssertionLifetimeError(lifetimeSeconds, MAX_CLIENT_ASSERTION_LIFETIME_SECONDS);
  }
}

/** RS512 client assertion for the API Platform token endpoint: `kid` header, iss = sub = API key. */
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
