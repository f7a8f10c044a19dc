// Time limits on every request the package makes itself, and refusing at construction what would
// only fail later. Servers are real (127.0.0.1, free port) and stopped; no assertion is on time.
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationRestrictedAuth,
  AuthAbortedError,
  AuthTimeoutError,
  authorisedFetch,
  Cis2Client,
  DEFAULT_TIMEOUT_MS,
  generateSigningKey,
  InvalidAuthInputError,
  loadSigningKey,
  loadSigningKeyFromJwk,
  SigningKeyError,
  SpineDirectAuth,
  TokenRefreshError,
  UserRestrictedAuth,
  type GeneratedSigningKey,
} from '../src/index.js';
import { BlackHole, EchoEndpoint, jsonServer } from './support/hostile.js';
import { API_KEY, API_SECRET, CIS2_CLIENT_ID, CIS2_CLIENT_SECRET, REDIRECT_URI } from './support/stand-ins.js';
import { TestCa } from '@nhs-fhir/testing';

let generated: GeneratedSigningKey;
let hole: BlackHole;
let stall: BlackHole;
beforeAll(async () => {
  generated = await generateSigningKey('hardening-kid', 2048);
  hole = await new BlackHole().start();
  stall = await new BlackHole({ stallBody: true }).start();
});
afterAll(async () => {
  await hole?.stop();
  await stall?.stop();
});

const appOptions = (environment: string) => ({ apiKey: API_KEY, signingKey: generated.signingKey, environment });

describe('time limits', () => {
  it('the default is 10,000 ms', () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
  });

  it('a silent token endpoint: every waiter gets one AuthTimeoutError; the next call tries again', async () => {
    // Attempts are counted from the package's own token.request events, not from what reached the
    // server, so a slow machine cannot change the count.
    const attempts: string[] = [];
    const auth = new ApplicationRestrictedAuth({
      ...appOptions(`${hole.url}/oauth2/token`),
      timeoutMs: 150,
      logger: (event) => {
        if (event.type === 'token.request') attempts.push(event.time);
      },
    });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => auth.getAccessToken()));
    const reasons = results.map((r) => (r.status === 'rejected' ? r.reason : undefined));
    expect(new Set(reasons).size).toBe(1);
    const error = reasons[0] as AuthTimeoutError;
    expect(error).toBeInstanceOf(AuthTimeoutError);
    expect(error.code).toBe('ERR_AUTH_TIMEOUT');
    expect(error.url).toBe(`${hole.url}/oauth2/token`);
    expect(error.timeoutMs).toBe(150);
    expect(error.message).toContain('token request (client_credentials)');
    expect(attempts).toHaveLength(1);

    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(AuthTimeoutError);
    expect(attempts).toHaveLength(2);
  });

  it('authorisedFetch gives up too, without calling the API', async () => {
    const api = await new EchoEndpoint().start();
    try {
      const auth = new ApplicationRestrictedAuth({ ...appOptions(`${hole.url}/oauth2/token`), timeoutMs: 100 });
      await expect(authorisedFetch(auth, `${api.origin}/FHIR/R4/Patient/9000000009`)).rejects.toMatchObject({
        code: 'ERR_AUTH_TIMEOUT',
      });
      expect(api.requests).toHaveLength(0);
    } finally {
      await api.stop();
    }
  });

  it('an endpoint that sends headers and then never the body times out as well', async () => {
    const auth = new ApplicationRestrictedAuth({ ...appOptions(`${stall.url}/oauth2/token`), timeoutMs: 150 });
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(AuthTimeoutError);
  });

  it('user-restricted token exchange times out', async () => {
    const auth = new UserRestrictedAuth({
      ...appOptions(`${hole.url}/oauth2/token`),
      apiSecret: API_SECRET,
      idToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      timeoutMs: 100,
    });
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(AuthTimeoutError);
  });

  it('the caller signal aborts a request in flight (AuthAbortedError); once aborted, nothing is sent', async () => {
    const controller = new AbortController();
    const auth = new ApplicationRestrictedAuth({
      ...appOptions(`${hole.url}/oauth2/token`),
      signal: controller.signal,
    });
    const before = hole.requestLines.length;
    const pending = auth.getAccessToken();
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_AUTH_ABORTED' });
    await expect(auth.getAccessToken()).rejects.toBeInstanceOf(AuthAbortedError);
    expect(hole.requestLines.length - before).toBeLessThanOrEqual(1);
  });

  describe('CIS2', () => {
    let discovery: { origin: string; stop: () => Promise<void> };
    beforeAll(async () => {
      discovery = await jsonServer((path) =>
        path === '/.well-known/openid-configuration'
          ? {
              issuer: 'https://cis2.example',
              authorization_endpoint: `${hole.url}/authorize`,
              token_endpoint: `${hole.url}/access_token`,
              userinfo_endpoint: `${hole.url}/userinfo`,
              jwks_uri: `${hole.url}/jwk_uri`,
            }
          : undefined,
      );
    });
    afterAll(async () => {
      await discovery?.stop();
    });
    const client = (discoveryUrl: string) =>
      new Cis2Client({
        discovery: discoveryUrl,
        clientId: CIS2_CLIENT_ID,
        clientSecret: CIS2_CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        timeoutMs: 100,
      });

    it('discovery that never answers', async () => {
      const error = await client(`${hole.url}/.well-known/openid-configuration`)
        .discover()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthTimeoutError);
      expect((error as AuthTimeoutError).message).toContain('discovery request');
    });

    it('JWKS that never answers', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const token = await new SignJWT({ authentication_assurance_level: '3' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .setIssuer('https://cis2.example')
        .setAudience(CIS2_CLIENT_ID)
        .setSubject('u')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      const error = await client(`${discovery.origin}/.well-known/openid-configuration`)
        .validateIdToken(token)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthTimeoutError);
      expect((error as AuthTimeoutError).url).toBe(`${hole.url}/jwk_uri`);
    });

    it('UserInfo that never answers', async () => {
      const error = await client(`${discovery.origin}/.well-known/openid-configuration`)
        .fetchUserInfo('cis2-access-token-123456')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthTimeoutError);
      expect((error as AuthTimeoutError).message).toContain('UserInfo request');
    });

    it('the code exchange at a token endpoint that never answers', async () => {
      const cis2 = client(`${discovery.origin}/.well-known/openid-configuration`);
      const pending = await cis2.createAuthorizationRequest();
      await expect(
        cis2.handleCallback(`${REDIRECT_URI}?state=${pending.state}&code=abcdefgh`, pending),
      ).rejects.toBeInstanceOf(AuthTimeoutError);
    });
  });
});

describe('expires_in that is not a positive number', () => {
  let endpoint: EchoEndpoint;
  beforeAll(async () => {
    endpoint = await new EchoEndpoint().start();
    endpoint.succeed = new Set(['client_credentials']);
  });
  afterAll(async () => {
    await endpoint?.stop();
  });
  it.each(['0', '-1', 'soon', ''])('expires_in %j is refused, not handed back as an expired token', async (value) => {
    endpoint.expiresIn = value;
    const auth = new ApplicationRestrictedAuth(appOptions(endpoint.tokenUrl));
    const error = await auth.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect((error as TokenRefreshError).cause?.code).toBe('ERR_TOKEN_RESPONSE');
    expect((error as TokenRefreshError).message).toMatch(/expires_in is not a positive number/);
  });
});

describe('refused at construction', () => {
  const expectField = (make: () => unknown, field: string) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidAuthInputError);
    expect((error as InvalidAuthInputError).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  };
  // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong types, as JavaScript callers may pass
  const loose = (value: unknown) => value as any;

  it('ApplicationRestrictedAuth without a signing key names signingKey (not a TypeError later)', () => {
    expectField(() => new ApplicationRestrictedAuth(loose({ apiKey: API_KEY, environment: 'int' })), 'signingKey');
    expectField(
      () => new ApplicationRestrictedAuth(loose({ apiKey: API_KEY, environment: 'int', signingKey: 'pem' })),
      'signingKey',
    );
  });

  it.each([
    ['apiKey', { apiKey: 42 }],
    ['apiKey', { apiKey: '' }],
    ['environment', { environment: 7 }],
    ['environment', { environment: 'http://token.example.com/oauth2/token' }],
    ['timeoutMs', { timeoutMs: -1 }],
    ['timeoutMs', { timeoutMs: '1000' }],
    ['timeoutMs', { timeoutMs: 1.5 }],
    ['signal', { signal: 'stop' }],
    ['logger', { logger: 'console' }],
    ['refreshMarginSeconds', { refreshMarginSeconds: '60' }],
    ['assertionLifetimeSeconds', { assertionLifetimeSeconds: '300' }],
  ])('ApplicationRestrictedAuth names %s', (field, change) => {
    expectField(() => new ApplicationRestrictedAuth(loose({ ...appOptions('int'), ...change })), field);
  });

  it('options that are not an object', () => {
    expectField(() => new ApplicationRestrictedAuth(loose(undefined)), 'options');
    expectField(() => new UserRestrictedAuth(loose(null)), 'options');
    expectField(() => new Cis2Client(loose('int')), 'options');
    expectField(() => new SpineDirectAuth(loose(undefined)), 'options');
  });

  it.each([
    'http://127.0.0.1:8080/oauth2/token',
    'http://localhost/oauth2/token',
    'http://[::1]:9/oauth2/token',
    'https://api.example.com/oauth2/token',
  ])('accepts %s (https, or http on loopback only)', (environment) => {
    expect(new ApplicationRestrictedAuth(appOptions(environment)).tokenUrl).toBe(new URL(environment).href);
  });

  it('UserRestrictedAuth names idToken, sessionRoleId and signingKey', () => {
    const base = { ...appOptions('int'), apiSecret: API_SECRET, idToken: 'x.y.z' };
    expectField(() => new UserRestrictedAuth(loose({ ...base, idToken: 5 })), 'idToken');
    expectField(() => new UserRestrictedAuth(loose({ ...base, sessionRoleId: 555 })), 'sessionRoleId');
    expectField(() => new UserRestrictedAuth(loose({ ...base, signingKey: undefined })), 'signingKey');
    expectField(() => new UserRestrictedAuth(loose({ ...base, environment: 'http://10.0.0.1/token' })), 'environment');
  });

  it('Cis2Client refuses a plain-http discovery URL off loopback and a wrong-typed secret', () => {
    const base = { clientId: CIS2_CLIENT_ID, clientSecret: CIS2_CLIENT_SECRET, redirectUri: REDIRECT_URI };
    expectField(
      () => new Cis2Client({ ...base, discovery: 'http://cis2.example/.well-known/openid-configuration' }),
      'discovery',
    );
    expectField(() => new Cis2Client(loose({ ...base, discovery: 'int', clientSecret: 12345678 })), 'clientSecret');
    expectField(() => new Cis2Client(loose({ ...base, discovery: 'int', timeoutMs: 0 })), 'timeoutMs');
  });

  describe('signing keys', () => {
    const jwk = () => ({ ...(generated.signingKey.keyObject.export({ format: 'jwk' }) as JsonWebKey), kid: 'j' });
    const refusal = (make: () => unknown) => {
      try {
        make();
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a refusal');
    };

    it('a JWK whose alg is not RS512 (the algorithm used) is refused, naming both', () => {
      const error = refusal(() => loadSigningKeyFromJwk({ ...jwk(), alg: 'RS256' }));
      expect(error).toBeInstanceOf(SigningKeyError);
      expect(error.message).toMatch(/alg is "RS256" but client assertions are signed with RS512/);
      expect(loadSigningKeyFromJwk({ ...jwk(), alg: 'RS512' }).kid).toBe('j');
      expect(refusal(() => loadSigningKeyFromJwk({ ...jwk(), use: 'enc' })).message).toMatch(/use is "enc"/);
    });

    it('an encrypted PEM without a passphrase says one is needed; with it, it loads', () => {
      const encrypted = generated.signingKey.keyObject
        .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' })
        .toString();
      const error = refusal(() => loadSigningKey(encrypted, 'enc-kid'));
      expect(error).toBeInstanceOf(SigningKeyError);
      expect(error.message).toBe('kid "enc-kid": the private key is encrypted; pass its passphrase');
      expect(refusal(() => loadSigningKey(encrypted, 'enc-kid', 'wrong')).message).toMatch(/wrong passphrase/);
      expect(loadSigningKey(encrypted, 'enc-kid', 'correct horse').publicJwk().n).toBe(generated.jwks.keys[0]?.n);
      const pkcs1 = generated.signingKey.keyObject
        .export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'p' })
        .toString();
      expect(refusal(() => loadSigningKey(pkcs1, 'k')).message).toMatch(/encrypted; pass its passphrase/);
    });

    it.each([
      ['a number', 42],
      ['null', null],
      ['an array', []],
      ['text with no PEM', 'not a key'],
    ])('%s as the key is a SigningKeyError', (_title, source) => {
      expect(refusal(() => loadSigningKey(loose(source), 'k'))).toBeInstanceOf(SigningKeyError);
    });
  });

  describe('Spine-direct TLS', () => {
    const ca = new TestCa('hardening');
    const client = ca.issue('client');
    const other = ca.issue('other');
    const options = {
      issuer: 'https://supplier.example',
      fromAsid: '200000000205',
      toAsid: '999999999999',
      odsCode: 'RR8',
      userRoleProfileId: '555254242105',
    };
    const make = (tls: Record<string, unknown>) => () => new SpineDirectAuth(loose({ ...options, tls }));

    it('a garbage certificate names tls.cert', () => {
      expectField(make({ cert: 'garbage', key: client.keyPem }), 'tls.cert');
    });
    it('a garbage key names tls.key, without quoting it', () => {
      expectField(make({ cert: client.certPem, key: 'garbage-key-material-0123456789' }), 'tls.key');
      try {
        make({ cert: client.certPem, key: 'garbage-key-material-0123456789' })();
      } catch (error) {
        expect(String(error)).not.toContain('garbage-key-material');
      }
    });
    it('a key that is not the certificate key names tls.key', () => {
      expectField(make({ cert: client.certPem, key: other.keyPem }), 'tls.key');
    });
    it('an encrypted key without its passphrase names tls.passphrase; with it, it is accepted', () => {
      const encrypted = client.key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' });
      expectField(make({ cert: client.certPem, key: encrypted }), 'tls.passphrase');
      expectField(make({ cert: client.certPem, key: encrypted, passphrase: 'nope' }), 'tls.key');
      expect(make({ cert: client.certPem, key: encrypted, passphrase: 'pw' })()).toBeInstanceOf(SpineDirectAuth);
    });
    it('a garbage CA names tls.ca, and one of a list by its index', () => {
      expectField(make({ cert: client.certPem, key: client.keyPem, ca: 'garbage' }), 'tls.ca');
      expectField(make({ cert: client.certPem, key: client.keyPem, ca: [ca.certPem, 'garbage'] }), 'tls.ca[1]');
    });
    it('a certificate without its key names tls.key', () => {
      expectField(make({ cert: client.certPem }), 'tls.key');
    });
  });
});
