// Generated inputs (fast-check, 10,000 each) for the parts that take outside data: loading a
// signing key, parsing a token response, and the redactor. Each may only return or throw this
// package's typed errors; anything else (a TypeError, a RangeError) is a bug. A hang fails the
// test by its timeout.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadSigningKey,
  NhsAuthError,
  parseTokenResponse,
  REDACTED,
  Redactor,
  SigningKey,
  TokenSet,
} from '../src/index.js';

const RUNS = 10_000;
/** Fixed, so a run is repeatable; set FUZZ_SEED to explore other inputs (a failure prints its seed). */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const TIMEOUT = 120_000;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8 = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const pkcs1 = privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const encrypted = privateKey
  .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-128-cbc', passphrase: 'fuzz-pass' })
  .toString();
const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>;

/** Call `work`; a typed error is fine, anything else is returned for the property to fail on. */
function untypedThrow(work: () => unknown): unknown {
  try {
    work();
    return undefined;
  } catch (error) {
    return error instanceof NhsAuthError ? undefined : error;
  }
}

const base64 = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n'),
});
const pemLabel = fc.constantFrom(
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'EC PRIVATE KEY',
  'PUBLIC KEY',
  'CERTIFICATE',
);
const PROC_TYPE = 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n';
const pemShaped = fc
  .tuple(pemLabel, base64, pemLabel, fc.boolean())
  .map(([a, body, b, procType]) => `-----BEGIN ${a}-----\n${procType ? PROC_TYPE : ''}${body}\n-----END ${b}-----\n`);
/** A real key with one character changed, cut, or with text inserted. */
const mutated = fc
  .tuple(
    fc.constantFrom(pkcs8, pkcs1, encrypted),
    fc.nat(),
    fc.string({ maxLength: 4 }),
    fc.constantFrom('replace', 'cut', 'insert'),
  )
  .map(([pem, at, text, how]) => {
    const i = at % pem.length;
    if (how === 'cut') return pem.slice(0, i);
    if (how === 'insert') return pem.slice(0, i) + text + pem.slice(i);
    return pem.slice(0, i) + (text || 'x') + pem.slice(i + 1);
  });
const jwkShaped = fc.record(
  {
    kty: fc.oneof(fc.constantFrom('RSA', 'EC', 'oct', 'OKP'), fc.anything()),
    n: fc.oneof(fc.constant(jwk.n), fc.base64String({ maxLength: 64 }), fc.anything()),
    e: fc.oneof(fc.constant(jwk.e), fc.constantFrom('AQAB', 'Aw', ''), fc.anything()),
    d: fc.oneof(fc.constant(jwk.d), fc.base64String({ maxLength: 64 }), fc.anything()),
    p: fc.oneof(fc.constant(jwk.p), fc.string()),
    q: fc.oneof(fc.constant(jwk.q), fc.string()),
    dp: fc.constant(jwk.dp),
    dq: fc.constant(jwk.dq),
    qi: fc.constant(jwk.qi),
    alg: fc.oneof(fc.constantFrom('RS512', 'RS256', 'ES256', 'none'), fc.anything()),
    use: fc.oneof(fc.constantFrom('sig', 'enc'), fc.anything()),
  },
  { requiredKeys: [] },
);
const keySource = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
  pemShaped,
  pemShaped.map((text) => Buffer.from(text)),
  mutated,
  jwkShaped,
  fc.anything(),
);

describe('loadSigningKey', () => {
  it(
    `returns a SigningKey or throws a typed error for ${RUNS} generated keys, kids and passphrases`,
    () => {
      let loaded = 0;
      fc.assert(
        fc.property(
          keySource,
          fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
          fc.option(fc.oneof(fc.constant('fuzz-pass'), fc.string(), fc.anything()), { nil: undefined }),
          (source, kid, passphrase) => {
            let result: unknown;
            const error = untypedThrow(() => {
              result = loadSigningKey(source as never, kid as never, passphrase as never);
            });
            if (result !== undefined) {
              loaded++;
              expect(result).toBeInstanceOf(SigningKey);
            }
            expect(error).toBeUndefined();
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
      // The generator reaches the success path too, not only refusals.
      expect(loaded).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});

const numberish = fc.oneof(
  fc.integer().map(String),
  fc.double().map(String),
  fc.integer(),
  fc.double(),
  fc.constantFrom('599', '0', '-1', '1e999', ' 60 ', '', 'NaN', '9'.repeat(400)),
  fc.anything(),
);
const tokenBody = fc.oneof(
  fc.record(
    {
      access_token: fc.oneof(fc.string(), fc.anything()),
      token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'MAC'), fc.anything()),
      expires_in: numberish,
      refresh_token: fc.oneof(fc.string(), fc.anything()),
      refresh_token_expires_in: numberish,
      refresh_count: numberish,
      issued_token_type: fc.oneof(fc.string(), fc.anything()),
      scope: fc.oneof(fc.string(), fc.anything()),
      id_token: fc.oneof(fc.string(), fc.anything()),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.json().map((text) => JSON.parse(text) as unknown),
);

describe('parseTokenResponse', () => {
  it(
    `returns a usable TokenSet or throws a typed error for ${RUNS} generated bodies`,
    () => {
      fc.assert(
        fc.property(
          tokenBody,
          fc.oneof(fc.webUrl(), fc.anything()),
          fc.oneof(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.double(), fc.anything()),
          (body, tokenUrl, receivedAt) => {
            let tokens: unknown;
            const error = untypedThrow(() => {
              tokens = parseTokenResponse(body, tokenUrl as never, receivedAt as never);
            });
            expect(error).toBeUndefined();
            if (tokens !== undefined) {
              const set = tokens as TokenSet;
              expect(set).toBeInstanceOf(TokenSet);
              expect(set.expiresIn).toBeGreaterThan(0);
              expect(Number.isFinite(set.expiresAt)).toBe(true);
              expect(set.expiresAt).toBeGreaterThan(receivedAt as number);
            }
          },
        ),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('Redactor', () => {
  it(
    'no 12-character piece of a known secret survives, wherever it is cut and whatever surrounds it',
    () => {
      fc.assert(
        fc.property(
          fc.string({ minLength: 12, maxLength: 80 }),
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40 }),
          fc.nat(),
          fc.nat(),
          (secret, before, after, a, b) => {
            const redactor = new Redactor();
            redactor.add(secret, 'fixed');
            const start = a % (secret.length - 11);
            const end = Math.min(secret.length, start + 12 + (b % secret.length));
            const out = redactor.redact(`${before}${secret.slice(start, end)}${after}`);
            for (let i = 0; i + 12 <= secret.length; i++) expect(out).not.toContain(secret.slice(i, i + 12));
            expect(out).toContain(REDACTED);
          },
        ),
        { seed: SEED, numRuns: 2_000 },
      );
    },
    TIMEOUT,
  );
});
