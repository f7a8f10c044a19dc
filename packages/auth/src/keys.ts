import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject, type JsonWebKey } from 'node:crypto';
import { inspect, promisify } from 'node:util';
import { SigningKeyError } from './errors.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** API Platform requires RS512 for client assertions [ISA-CA]. */
export const CLIENT_ASSERTION_ALG = 'RS512';

/** A private RSA key with its `kid`. Printing it never shows the key material. */
export class SigningKey {
  readonly kid: string;
  readonly alg = CLIENT_ASSERTION_ALG;
  readonly #key: KeyObject;

  constructor(kid: string, key: KeyObject) {
    if (typeof kid !== 'string' || kid.length === 0) throw new SigningKeyError('kid: a key id is required');
    if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
      throw new SigningKeyError(
        `kid ${kid}: an RSA private key is required for RS512; got ${key.type} ${key.asymmetricKeyType ?? ''}`.trim(),
      );
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048)
      throw new SigningKeyError(
        `kid ${kid}: RSA key of ${bits} bits is too short; 2048 at least (4096 for API Platform onboarding)`,
      );
    this.kid = kid;
    this.#key = key;
  }

  /** The node:crypto key, for jose. */
  get keyObject(): KeyObject {
    return this.#key;
  }

  get modulusLength(): number {
    return this.#key.asymmetricKeyDetails?.modulusLength ?? 0;
  }

  /** The public half as a JWK with `kid`, `alg: RS512`, `use: sig`. */
  publicJwk(): PublicSigningJwk {
    const jwk = createPublicKey(this.#key).export({ format: 'jwk' }) as JsonWebKey;
    return { kty: 'RSA', n: String(jwk.n), e: String(jwk.e), kid: this.kid, alg: CLIENT_ASSERTION_ALG, use: 'sig' };
  }

  /** PKCS#8 PEM of the private key. Handle with care: this is the secret. */
  exportPkcs8Pem(): string {
    return this.#key.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  toString(): string {
    return `SigningKey(kid=${this.kid}, RSA ${this.modulusLength})`;
  }

  toJSON(): Record<string, unknown> {
    return { kid: this.kid, alg: this.alg, modulusLength: this.modulusLength };
  }

  [inspect.custom](): string {
    return `SigningKey { kid: '${this.kid}', alg: 'RS512', modulusLength: ${this.modulusLength} }`;
  }
}

export interface PublicSigningJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS512';
  use: 'sig';
}

export interface Jwks {
  keys: PublicSigningJwk[];
}

/** Load a private key from PEM (PKCS#8 or PKCS#1), or from a private JWK. */
export function loadSigningKey(source: string | Buffer | JsonWebKey, kid: string, passphrase?: string): SigningKey {
  let key: KeyObject;
  try {
    if (typeof source === 'string' || Buffer.isBuffer(source)) {
      key = createPrivateKey(passphrase ? { key: source, format: 'pem', passphrase } : { key: source, format: 'pem' });
    } else {
      key = createPrivateKey({ key: source, format: 'jwk' });
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // The node:crypto message names no key material, but take only its code to be sure.
    throw new SigningKeyError(
      `kid ${kid}: could not load the private key (${typeof code === 'string' ? code : 'unreadable key'})`,
    );
  }
  return new SigningKey(kid, key);
}

/** Load a private key from a JWK, taking `kid` from it when none is given. */
export function loadSigningKeyFromJwk(jwk: JsonWebKey & { kid?: string }, kid?: string): SigningKey {
  const id = kid ?? jwk.kid;
  if (!id) throw new SigningKeyError('kid: the JWK has no kid and none was given');
  return loadSigningKey(jwk, id);
}

export interface GeneratedSigningKey {
  readonly signingKey: SigningKey;
  /** PKCS#8 PEM of the private key. */
  readonly privateKeyPem: string;
  /** `{ keys: [public JWK] }`, ready to host as the app's JWKS. */
  readonly jwks: Jwks;
}

/** Generate an RSA key pair for API Platform signed-JWT auth (4096 bits by default, as onboarding asks). */
export async function generateSigningKey(kid: string, modulusLength = 4096): Promise<GeneratedSigningKey> {
  if (!Number.isInteger(modulusLength) || modulusLength < 2048)
    throw new SigningKeyError(`modulusLength must be an integer of at least 2048; got ${modulusLength}`);
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength, publicExponent: 0x10001 });
  const signingKey = new SigningKey(kid, privateKey);
  return { signingKey, privateKeyPem: signingKey.exportPkcs8Pem(), jwks: { keys: [signingKey.publicJwk()] } };
}
