import { createPrivateKey, createPublicKey, generateKeyPair, KeyObject, type JsonWebKey } from 'node:crypto';
import { inspect, promisify } from 'node:util';
import { InvalidAuthInputError, preview, SigningKeyError } from './errors.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** API Platform requires RS512 for client assertions [ISA-CA]. */
export const CLIENT_ASSERTION_ALG = 'RS512';

/**
 * A private RSA key (2048 bits at least) with its `kid`, for signing API Platform client
 * assertions. Printing it (`toString`, `JSON.stringify`, `util.inspect`) never shows the key
 * material. Get one from {@link loadSigningKey}, {@link loadSigningKeyFromJwk} or
 * {@link generateSigningKey}.
 */
export class SigningKey {
  /** The key id: the assertion header's `kid`, which must match a key in the app's registered JWKS. */
  readonly kid: string;
  /** Always `RS512`. */
  readonly alg = CLIENT_ASSERTION_ALG;
  readonly #key: KeyObject;

  /**
   * @param kid - The key id, 1 to 256 characters.
   * @param key - A private RSA node:crypto `KeyObject`.
   * @throws {@link SigningKeyError} when `kid` is empty or too long, or the key is not a private
   * RSA key of 2048 bits or more.
   */
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

  /** The key size in bits, e.g. 4096. */
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

  /** `SigningKey(kid=..., RSA <bits>)`; no key material. */
  toString(): string {
    return `SigningKey(kid=${this.kid}, RSA ${this.modulusLength})`;
  }

  /** `kid`, `alg` and `modulusLength`; no key material. */
  toJSON(): Record<string, unknown> {
    return { kid: this.kid, alg: this.alg, modulusLength: this.modulusLength };
  }

  /** What `util.inspect` shows: `kid`, `alg` and `modulusLength`; no key material. */
  [inspect.custom](): string {
    return `SigningKey { kid: '${this.kid}', alg: 'RS512', modulusLength: ${this.modulusLength} }`;
  }
}

/** The public half of a {@link SigningKey} as a JWK, as the app's JWKS publishes it. */
export interface PublicSigningJwk {
  /** Always `RSA`. */
  kty: 'RSA';
  /** The modulus, base64url. */
  n: string;
  /** The public exponent, base64url. */
  e: string;
  /** The key id the client assertions name. */
  kid: string;
  /** Always `RS512`. */
  alg: 'RS512';
  /** Always `sig`. */
  use: 'sig';
}

/** A JSON Web Key Set: what the app hosts at the JWKS URL registered with the API Platform. */
export interface Jwks {
  /** The public keys; keep the old one listed while rotating to a new one. */
  keys: PublicSigningJwk[];
}

/** Larger than any RSA private key this package would use; refused before parsing. */
const MAX_KEY_SOURCE_LENGTH = 1024 * 1024;

/** A PEM that says it is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`, or PKCS#1 `Proc-Type: 4,ENCRYPTED`). */
function isEncryptedPem(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(text);
}

/**
 * Load the app's private key for API Platform signed-JWT auth from PEM (PKCS#8 or PKCS#1,
 * encrypted ones with `passphrase`), or from a private JWK. A JWK that names an `alg` must name
 * RS512 (the algorithm used), and a `use`, `sig`. Sources over 1 MB are refused before parsing.
 *
 * @param source - PEM text (string or Buffer) or a private RSA JWK.
 * @param kid - The key id registered in the app's JWKS.
 * @param passphrase - For an encrypted PEM.
 * @throws {@link SigningKeyError} for every failure, naming the kid and what is wrong (never the key).
 *
 * @example
 * ```ts
 * const signingKey = loadSigningKey(readFileSync(process.env.NHS_PRIVATE_KEY!), process.env.NHS_KID!);
 * ```
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

/**
 * Load a private key from a JWK, taking `kid` from it when none is given; otherwise as
 * {@link loadSigningKey}.
 *
 * @throws {@link SigningKeyError} when there is no kid or the JWK is not a usable private RSA key.
 */
export function loadSigningKeyFromJwk(jwk: JsonWebKey & { kid?: string }, kid?: string): SigningKey {
  if (jwk === null || typeof jwk !== 'object') throw new SigningKeyError('jwk: a private JWK object is required');
  const id = kid ?? jwk.kid;
  if (!id) throw new SigningKeyError('kid: the JWK has no kid and none was given');
  return loadSigningKey(jwk, id);
}

/** A new key from {@link generateSigningKey}. */
export interface GeneratedSigningKey {
  /** The key, ready for the auth classes. */
  readonly signingKey: SigningKey;
  /** PKCS#8 PEM of the private key, unencrypted: store it as a secret. */
  readonly privateKeyPem: string;
  /** `{ keys: [public JWK] }`, ready to host as the app's JWKS. */
  readonly jwks: Jwks;
}

/**
 * Generate an RSA key pair for API Platform signed-JWT auth (4096 bits by default, as onboarding
 * asks). Host `jwks` at the app's JWKS URL; keep `privateKeyPem` secret.
 *
 * @param kid - The key id to give it.
 * @param modulusLength - Bits, 2048 at least. Default 4096.
 * @throws {@link SigningKeyError} when `modulusLength` is under 2048 or `kid` is empty.
 *
 * @example
 * ```ts
 * const { privateKeyPem, jwks } = await generateSigningKey('my-app-2026-11');
 * ```
 */
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
