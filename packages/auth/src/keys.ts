import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject, type JsonWebKey } from 'node:crypto';
import { inspect, promisify } from 'node:util';
import { InvalidAuthInputError, preview, SigningKeyError } from './errors.js';

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
    if (kid.length > 256) throw new SigningKeyError(`kid: at most 256 characters; got ${kid.length}`);
    if (!(key instanceof KeyObject)) throw new SigningKeyError(`kid ${kid}: key must be a node:crypto KeyObject`);
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

/** Larger than any RSA private key this package would use; refused before parsing. */
const MAX_KEY_SOURCE_LENGTH = 1024 * 1024;

/** A PEM that says it is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`, or PKCS#1 `Proc-Type: 4,ENCRYPTED`). */
function isEncryptedPem(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(text);
}

/**
 * Load a private key from PEM (PKCS#8 or PKCS#1, encrypted ones with `passphrase`), or from a
 * private JWK. A JWK that names an `alg` must name RS512 (the algorithm used), and a `use`, `sig`.
 * Every failure is a {@link SigningKeyError} that names the kid and what is wrong.
 */
export function loadSigningKey(source: string | Buffer | JsonWebKey, kid: string, passphrase?: string): SigningKey {
  if (typeof kid !== 'string' || kid.length === 0) throw new SigningKeyError('kid: a key id is required');
  const name = `kid ${preview(kid)}`;
  if (passphrase !== undefined && typeof passphrase !== 'string')
    throw new SigningKeyError(`${name}: passphrase must be a string`);
  const isText = typeof source === 'string' || Buffer.isBuffer(source);
  if (!isText && (source === null || typeof source !== 'object' || Array.isArray(source)))
    throw new SigningKeyError(`${name}: the key must be PEM text (a string or Buffer) or a private JWK object`);
  if (isText && source.length > MAX_KEY_SOURCE_LENGTH)
    throw new SigningKeyError(`${name}: the key is over ${MAX_KEY_SOURCE_LENGTH} bytes; not a private key`);
  if (isText) {
    const text = String(source);
    if (!text.includes('-----BEGIN ')) throw new SigningKeyError(`${name}: not a PEM private key (no BEGIN line)`);
    if (isEncryptedPem(text) && !passphrase)
      throw new SigningKeyError(`${name}: the private key is encrypted; pass its passphrase`);
  } else {
    const jwk = source as JsonWebKey & { use?: unknown; alg?: unknown };
    if (jwk.kty !== 'RSA') throw new SigningKeyError(`${name}: the JWK kty must be RSA; got ${preview(jwk.kty)}`);
    if (jwk.alg !== undefined && jwk.alg !== CLIENT_ASSERTION_ALG)
      throw new SigningKeyError(
        `${name}: the JWK alg is ${preview(jwk.alg)} but client assertions are signed with ${CLIENT_ASSERTION_ALG}`,
      );
    if (jwk.use !== undefined && jwk.use !== 'sig')
      throw new SigningKeyError(`${name}: the JWK use is ${preview(jwk.use)}; a signing key has use sig`);
    if (typeof jwk.d !== 'string') throw new SigningKeyError(`${name}: the JWK has no private part (d)`);
  }
  let key: KeyObject;
  try {
    if (isText) {
      key = createPrivateKey(passphrase ? { key: source, format: 'pem', passphrase } : { key: source, format: 'pem' });
    } else {
      key = createPrivateKey({ key: source as JsonWebKey, format: 'jwk' });
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // The node:crypto message names no key material, but take only its code to be sure.
    const reason =
      passphrase && isText && isEncryptedPem(String(source))
        ? 'wrong passphrase or damaged key'
        : typeof code === 'string'
          ? code
          : 'unreadable key';
    throw new SigningKeyError(`${name}: could not load the private key (${reason})`);
  }
  return new SigningKey(kid, key);
}

/** Load a private key from a JWK, taking `kid` from it when none is given. */
export function loadSigningKeyFromJwk(jwk: JsonWebKey & { kid?: string }, kid?: string): SigningKey {
  if (jwk === null || typeof jwk !== 'object') throw new SigningKeyError('jwk: a private JWK object is required');
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

/** An option that must be a {@link SigningKey} (from `loadSigningKey` or `generateSigningKey`). */
export function assertSigningKeyOption(value: unknown, field: string): asserts value is SigningKey {
  if (value === undefined || value === null)
    throw new InvalidAuthInputError(field, 'a signing key is required (loadSigningKey or generateSigningKey)');
  if (!(value instanceof SigningKey))
    throw new InvalidAuthInputError(
      field,
      `must be a SigningKey from loadSigningKey or generateSigningKey; got ${preview(value)}`,
    );
}
