import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { importJWK, jwtVerify } from 'jose';
import {
  createClientAssertion,
  generateSigningKey,
  loadSigningKey,
  loadSigningKeyFromJwk,
  SigningKeyError,
  type GeneratedSigningKey,
} from '../src/index.js';

let generated: GeneratedSigningKey;
beforeAll(async () => {
  generated = await generateSigningKey('kid-keys', 2048);
});

describe('signing keys', () => {
  it('generates a PKCS#8 PEM and a JWKS with kid, alg RS512, use sig', () => {
    expect(generated.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(generated.jwks.keys).toHaveLength(1);
    const [jwk] = generated.jwks.keys;
    expect(jwk).toMatchObject({ kty: 'RSA', kid: 'kid-keys', alg: 'RS512', use: 'sig', e: 'AQAB' });
    expect(Object.keys(jwk ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(generated.signingKey.modulusLength).toBe(2048);
  });

  it('an assertion signed with the loaded PEM verifies with the published JWK', async () => {
    const key = loadSigningKey(generated.privateKeyPem, 'kid-keys');
    const token = await createClientAssertion({
      apiKey: 'k',
      tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
      signingKey: key,
    });
    const publicKey = await importJWK(generated.jwks.keys[0] as unknown as Parameters<typeof importJWK>[0], 'RS512');
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      algorithms: ['RS512'],
      audience: 'https://int.api.service.nhs.uk/oauth2/token',
      issuer: 'k',
    });
    expect(protectedHeader.kid).toBe('kid-keys');
    expect(payload.sub).toBe('k');
  });

  it('loads PKCS#1 PEM and a private JWK, taking kid from the JWK', () => {
    const pkcs1 = generated.signingKey.keyObject.export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(loadSigningKey(pkcs1, 'a').publicJwk().n).toBe(generated.jwks.keys[0]?.n);
    const jwk = { ...(generated.signingKey.keyObject.export({ format: 'jwk' }) as JsonWebKey), kid: 'from-jwk' };
    expect(loadSigningKeyFromJwk(jwk).kid).toBe('from-jwk');
    expect(() => loadSigningKeyFromJwk({ ...jwk, kid: undefined })).toThrow(SigningKeyError);
  });

  it.each([
    [
      'an EC key',
      () =>
        generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ format: 'pem', type: 'pkcs8' })
          .toString(),
      /RSA private key is required/,
    ],
    [
      'a 1024-bit key',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 1024 })
          .privateKey.export({ format: 'pem', type: 'pkcs8' })
          .toString(),
      /too short/,
    ],
    [
      'a public key',
      () =>
        generateKeyPairSync('rsa', { modulusLength: 2048 })
          .publicKey.export({ format: 'pem', type: 'spki' })
          .toString(),
      /could not load/,
    ],
  ])('refuses %s', (_title, make, message) => {
    const error = (() => {
      try {
        loadSigningKey(make(), 'x');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SigningKeyError);
    expect((error as SigningKeyError).code).toBe('ERR_AUTH_KEY');
    expect(String((error as Error).message)).toMatch(message);
  });

  it('a damaged PEM gives an error that does not quote the key', () => {
    const lines = generated.privateKeyPem.split('\n');
    const damaged = [lines[0], ...lines.slice(1, -3).map((l) => l.replace(/[A-M]/g, 'z')), ...lines.slice(-3)].join(
      '\n',
    );
    const error = (() => {
      try {
        loadSigningKey(damaged, 'x');
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a failure');
    })();
    const shown = `${error.message}\n${inspect(error, { depth: 5, showHidden: true })}\n${JSON.stringify(error)}`;
    for (const line of lines.slice(1, -2)) if (line.length > 20) expect(shown).not.toContain(line);
  });

  it('printing a key shows the kid, not the key', () => {
    const shown = [
      inspect(generated.signingKey),
      String(generated.signingKey),
      JSON.stringify(generated.signingKey),
    ].join('\n');
    expect(shown).toContain('kid-keys');
    expect(shown).not.toContain(String(generated.jwks.keys[0]?.n).slice(0, 40));
    expect(shown).not.toContain('PRIVATE KEY');
  });

  it('refuses to generate a key shorter than 2048 bits', async () => {
    await expect(generateSigningKey('k', 1024)).rejects.toBeInstanceOf(SigningKeyError);
  });
});
