import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import {
  API_PLATFORM_TOKEN_URLS,
  ApplicationRestrictedAuth,
  ClientAssertionLifetimeError,
  createClientAssertion,
  generateSigningKey,
  InvalidAuthInputError,
  parseTokenResponse,
  resolveTokenUrl,
  TokenEndpointError,
  TokenRefreshError,
  TokenResponseError,
  type SigningKey,
} from '../src/index.js';
import { decodeJwtIndependently } from './support/decode-jwt.js';
import { ApiPlatformStandIn, API_KEY, Cis2StandIn } from './support/stand-ins.js';

let cis2: Cis2StandIn;
let platform: ApiPlatformStandIn;
let key: SigningKey;
let unregisteredKey: SigningKey;

beforeAll(async () => {
  [key, unregisteredKey] = await Promise.all([
    generateSigningKey('app-key-1', 2048).then((k) => k.signingKey),
    generateSigningKey('app-key-1', 2048).then((k) => k.signingKey),
  ]);
  cis2 = await new Cis2StandIn().start();
  platform = await new ApiPlatformStandIn(key.publicJwk(), cis2).start();
});
afterAll(async () => {
  await platform?.stop();
  await cis2?.stop();
});
beforeEach(() => {
  platform.failNext = 0;
  platform.expiresIn = undefined;
});

/** A clock the test moves by hand: real time plus an offset, so the server still accepts our assertions. */
function handClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (seconds: number) => (offset += seconds * 1000) };
}

describe('client assertion', () => {
  it('is RS512 with kid, iss = sub = API key, aud = token URL, a unique jti and exp within 5 minutes', async () => {
    const now = Date.UTC(2026, 10, 23, 3, 0, 0);
    const [a, b] = await Promise.all([
      createClientAssertion({ apiKey: API_KEY, tokenUrl: API_PLATFORM_TOKEN_URLS.int, signingKey: key, now }),
      createClientAssertion({ apiKey: API_KEY, tokenUrl: API_PLATFORM_TOKEN_URLS.int, signingKey: key, now }),
    ]);
    const first = decodeJwtIndependently(a);
    expect(first.header).toEqual({ alg: 'RS512', typ: 'JWT', kid: 'app-key-1' });
    expect(first.payload.iss).toBe(API_KEY);
    expect(first.payload.sub).toBe(API_KEY);
    expect(first.payload.aud).toBe('https://int.api.service.nhs.uk/oauth2/token');
    expect(first.payload.iat).toBe(now / 1000);
    expect(first.payload.exp).toBe(now / 1000 + 300);
    expect(first.signature.length).toBeGreaterThan(300);
    expect(first.payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwtIndependently(b).payload.jti).not.toBe(first.payload.jti);
  });

  it.each([301, 600, 0, -5, Number.NaN])(
    'refuses a lifetime of %s seconds (the 5-minute cap)',
    async (lifetimeSeconds) => {
      await expect(
        createClientAssertion({ apiKey: API_KEY, tokenUrl: platform.tokenUrl, signingKey: key, lifetimeSeconds }),
      ).rejects.toBeInstanceOf(ClientAssertionLifetimeError);
      expect(
        () =>
          new ApplicationRestrictedAuth({
            apiKey: API_KEY,
            signingKey: key,
            environment: platform.tokenUrl,
            assertionLifetimeSeconds: lifetimeSeconds,
          }),
      ).toThrow(ClientAssertionLifetimeError);
    },
  );

  it('accepts exactly 300 seconds', async () => {
    const token = await createClientAssertion({
      apiKey: API_KEY,
      tokenUrl: platform.tokenUrl,
      signingKey: key,
      lifetimeSeconds: 300,
      now: 1_000_000,
    });
    const { payload } = decodeJwtIndependently(token);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
  });

  it('an assertion over the cap is refused by the platform stand-in, and the refusal is a typed error', async () => {
    // Made by hand, since the package will not make one.
    const iat = Math.floor(Date.now() / 1000);
    const tooLong = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: key.kid })
      .setIssuer(API_KEY)
      .setSubject(API_KEY)
      .setAudience(platform.tokenUrl)
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .sign(key.keyObject);
    const response = await fetch(platform.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: tooLong,
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('environments', () => {
  it.each([
    ['sandbox', 'https://sandbox.api.service.nhs.uk/oauth2/token'],
    ['int', 'https://int.api.service.nhs.uk/oauth2/token'],
    ['prod', 'https://api.service.nhs.uk/oauth2/token'],
    ['http://127.0.0.1:1234/oauth2/token', 'http://127.0.0.1:1234/oauth2/token'],
  ])('%s -> %s', (environment, url) => {
    expect(resolveTokenUrl(environment)).toBe(url);
  });
  it('rejects anything else', () => {
    expect(() => resolveTokenUrl('production')).toThrow(InvalidAuthInputError);
  });
});

describe('token response parsing', () => {
  it('reads expires_in and the other numbers as the platform sends them: strings', () => {
    const tokens = parseTokenResponse(
      {
        access_token: 'abc123abc123',
        expires_in: '599',
        token_type: 'Bearer',
        issued_at: '1732000000000',
        refresh_token: 'r1r1r1r1',
        refresh_token_expires_in: '43199',
        refresh_count: '0',
      },
      'https://x/oauth2/token',
      1_000_000,
    );
    expect(tokens.expiresIn).toBe(599);
    expect(tokens.expiresAt).toBe(1_000_000 + 599_000);
    expect(tokens.refreshTokenExpiresAt).toBe(1_000_000 + 43_199_000);
    expect(tokens.refreshCount).toBe(0);
  });
  it.each([
    [{ expires_in: '599', token_type: 'Bearer' }, 'access_token is missing'],
    [{ access_token: 'abcdefgh', token_type: 'Bearer' }, 'expires_in is missing'],
    [{ access_token: 'abcdefgh', expires_in: 'soon', token_type: 'Bearer' }, 'expires_in is not a positive number'],
    [{ access_token: 'abcdefgh', expires_in: '0', token_type: 'Bearer' }, 'expires_in is not a positive number'],
    [{ access_token: 'abcdefgh', expires_in: 0, token_type: 'Bearer' }, 'expires_in is not a positive number'],
    [{ access_token: 'abcdefgh', expires_in: '-5', token_type: 'Bearer' }, 'expires_in is not a positive number'],
    [{ access_token: 'abcdefgh', expires_in: '1e999', token_type: 'Bearer' }, 'expires_in is not a positive number'],
    [{ access_token: 'abcdefgh', expires_in: '599', token_type: 'MAC' }, 'is not Bearer'],
  ])('rejects %j', (body, message) => {
    expect(() => parseTokenResponse(body, 'https://x/oauth2/token', 0)).toThrow(TokenResponseError);
    expect(() => parseTokenResponse(body, 'https://x/oauth2/token', 0)).toThrow(message);
  });
});

describe('ApplicationRestrictedAuth against the token endpoint stand-in', () => {
  it('gets a token with client_credentials and the signed assertion, and sends it as a bearer token', async () => {
    const auth = new ApplicationRestrictedAuth({ apiKey: API_KEY, signingKey: key, environment: platform.tokenUrl });
    const before = platform.requests.length;
    const prepared = await auth.prepare({
      url: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4/Patient/9000000009',
    });
    const request = platform.requests[before];
    expect(request?.grantType).toBe('client_credentials');
    expect(request?.status).toBe(200);
    expect(request?.form.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = decodeJwtIndependently(String(request?.form.client_assertion));
    expect(assertion.header).toMatchObject({ alg: 'RS512', kid: 'app-key-1' });
    expect(assertion.payload).toMatchObject({ iss: API_KEY, sub: API_KEY, aud: platform.tokenUrl });
    expect(prepared.headers.authorization).toBe(`Bearer ${platform.issued.at(-1)}`);
    expect((await auth.getTokenSet()).expiresIn).toBe(599);
  });

  it('reuses the token until the refresh margin, then gets a new one', async () => {
    const clock = handClock();
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: key,
      environment: platform.tokenUrl,
      now: clock.now,
      refreshMarginSeconds: 30,
      assertionLifetimeSeconds: 60,
    });
    platform.expiresIn = '100';
    const first = await auth.getAccessToken();
    const count = platform.count('client_credentials');
    clock.advance(69);
    expect(await auth.getAccessToken()).toBe(first);
    expect(platform.count('client_credentials')).toBe(count);
    clock.advance(2);
    const second = await auth.getAccessToken();
    expect(second).not.toBe(first);
    expect(platform.count('client_credentials')).toBe(count + 1);
  });

  it('100 concurrent calls with an expired token cause exactly one token request', async () => {
    const clock = handClock();
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: key,
      environment: platform.tokenUrl,
      now: clock.now,
      refreshMarginSeconds: 0,
      assertionLifetimeSeconds: 60,
    });
    platform.expiresIn = '10';
    const first = await auth.getAccessToken();
    clock.advance(11);
    const before = platform.count('client_credentials');
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.prepare({ url: 'https://api.example/x' })));
    expect(platform.count('client_credentials')).toBe(before + 1);
    const values = new Set(tokens.map((t) => t.headers.authorization));
    expect(values.size).toBe(1);
    expect([...values][0]).not.toBe(`Bearer ${first}`);
  });

  it('a failed refresh rejects every waiter with one clean typed error, and the next call retries', async () => {
    const clock = handClock();
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: key,
      environment: platform.tokenUrl,
      now: clock.now,
      refreshMarginSeconds: 0,
      assertionLifetimeSeconds: 60,
    });
    platform.expiresIn = '10';
    await auth.getAccessToken();
    clock.advance(11);
    platform.failNext = 1;
    const before = platform.count('client_credentials');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => auth.getAccessToken()));
    expect(platform.count('client_credentials')).toBe(before + 1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as TokenRefreshError;
      expect(error).toBeInstanceOf(TokenRefreshError);
      expect(error.code).toBe('ERR_TOKEN_REFRESH_FAILED');
      expect(error.cause).toMatchObject({ name: 'TokenEndpointError', code: 'ERR_TOKEN_ENDPOINT' });
    }
    const retried = await auth.getAccessToken();
    expect(retried).toBe(platform.issued.at(-1));
    expect(platform.count('client_credentials')).toBe(before + 2);
  });

  it('turns the platform error body {error, error_description, message_id} into a TokenEndpointError', async () => {
    // Same kid, different key: the stand-in cannot verify the signature.
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: unregisteredKey,
      environment: platform.tokenUrl,
    });
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenRefreshError;
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect(error.cause).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT' });
    expect(error.message).toContain('invalid_client');
    expect(error.message).toMatch(/message_id [0-9a-f-]{36}/);
  });

  it('an unknown API key is refused', async () => {
    const auth = new ApplicationRestrictedAuth({
      apiKey: 'someone-elses-key',
      signingKey: key,
      environment: platform.tokenUrl,
    });
    await expect(auth.getAccessToken()).rejects.toThrow(/invalid_client/);
  });

  it('the token endpoint error class carries the parsed fields', async () => {
    const { requestToken } = await import('../src/token-endpoint.js');
    const { AuthContext } = await import('../src/context.js');
    platform.failNext = 1;
    const error = (await requestToken(new AuthContext(), platform.tokenUrl, { grant_type: 'client_credentials' }).catch(
      (e: unknown) => e,
    )) as TokenEndpointError;
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect(error).toMatchObject({
      status: 500,
      error: 'server_error',
      errorDescription: 'stand-in told to fail',
      grantType: 'client_credentials',
    });
    expect(error.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
