// Every auth flow against token endpoints that echo the request back (JSON, text, HTML, headers,
// and a gateway that cuts the body at 200 characters): no secret, no 12-character piece of one and
// no base64 form of one may reach an error, a cause, a stack, a printed object or a logger event.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import {
  ApplicationRestrictedAuth,
  authorisedFetch,
  Cis2Client,
  generateSigningKey,
  NhsAuthError,
  REDACTED,
  reasonableAdjustmentsInteractions,
  SpineDirectAuth,
  TokenEndpointError,
  UserRestrictedAuth,
  type AuthEvent,
  type GeneratedSigningKey,
} from '../src/index.js';
import { ECHO_STYLES, EchoEndpoint, findLeaks, type EchoStyle } from './support/hostile.js';
import { API_KEY, API_SECRET, CIS2_CLIENT_ID, CIS2_CLIENT_SECRET, REDIRECT_URI } from './support/stand-ins.js';
import { TestCa } from '@nhs-fhir/testing';

const SECRET_FIELDS = ['client_assertion', 'client_secret', 'subject_token', 'refresh_token', 'code', 'code_verifier'];

let generated: GeneratedSigningKey;
let idToken: string;
beforeAll(async () => {
  generated = await generateSigningKey('echo-kid', 2048);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  idToken = await new SignJWT({ sub: 'user-aal3', authentication_assurance_level: '3' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'cis2' })
    .setIssuer('https://cis2.example')
    .setAudience(CIS2_CLIENT_ID)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
});

/** Everything a scenario shows: its errors (every printed form), logger events and objects. */
class Capture {
  readonly texts: string[] = [];
  readonly events: AuthEvent[] = [];
  readonly errors: unknown[] = [];
  readonly logger = (event: AuthEvent) => {
    this.events.push(event);
  };

  async expectFailure(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      this.errors.push(error);
      return error;
    }
    throw new Error('expected the call to fail');
  }

  object(value: unknown): void {
    this.texts.push(inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value), String(value));
  }

  haystack(): string {
    const texts = [...this.texts];
    for (const event of this.events) texts.push(JSON.stringify(event), inspect(event, { depth: Infinity }));
    for (const error of this.errors) {
      const e = error as Error & { cause?: unknown };
      texts.push(
        String(e),
        e.message,
        String(e.stack),
        inspect(e, { depth: Infinity, showHidden: true }),
        JSON.stringify(e),
        inspect(e.cause, { depth: Infinity, showHidden: true }),
        JSON.stringify(e.cause ?? null),
        inspect(Object.getOwnPropertyDescriptors(e), { depth: Infinity }),
      );
    }
    return texts.join('\n');
  }
}

/** The secrets a scenario had: the fixed ones plus every secret the endpoint was sent or gave out. */
function secretsOf(endpoint: EchoEndpoint, extra: string[] = []): Set<string> {
  const secrets = new Set<string>([API_KEY, API_SECRET, CIS2_CLIENT_SECRET, idToken, ...extra]);
  for (const pem of [
    generated.privateKeyPem,
    generated.signingKey.keyObject.export({ format: 'pem', type: 'pkcs1' }).toString(),
  ]) {
    for (const line of pem.split('\n')) if (line && !line.startsWith('-----')) secrets.add(line);
  }
  for (const request of endpoint.requests) {
    const form = new URLSearchParams(request.body);
    for (const field of SECRET_FIELDS) {
      const value = form.get(field);
      if (value) secrets.add(value);
    }
  }
  for (const token of endpoint.issued) secrets.add(token);
  return secrets;
}

/** The endpoint really did send the secrets back: otherwise the scenario proves nothing. */
function expectEchoed(endpoint: EchoEndpoint, style: EchoStyle, secret: string): void {
  const echoed = endpoint.requests.filter((r) => r.sent.includes(secret.slice(0, 60)));
  expect(echoed.length, `the ${style} echo carried the secret`).toBeGreaterThan(0);
}

describe.each(ECHO_STYLES)('a token endpoint that echoes the request as %s', (style) => {
  let endpoint: EchoEndpoint;
  beforeAll(async () => {
    endpoint = await new EchoEndpoint().start();
    endpoint.style = style;
  });
  afterAll(async () => {
    await endpoint?.stop();
  });

  it('application-restricted: no piece of the assertion, API key or private key reaches any output', async () => {
    const capture = new Capture();
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: generated.signingKey,
      environment: endpoint.tokenUrl,
      logger: capture.logger,
    });
    const error = await capture.expectFailure(() => auth.getAccessToken());
    await capture.expectFailure(() => authorisedFetch(auth, `${endpoint.origin}/FHIR/R4/Patient/9000000009`));
    capture.object(auth);
    expect(error).toBeInstanceOf(NhsAuthError);
    expect((error as NhsAuthError).cause?.code).toBe('ERR_TOKEN_ENDPOINT');
    const assertion = new URLSearchParams(endpoint.requests.at(-1)?.body).get('client_assertion') ?? '';
    expect(assertion.length).toBeGreaterThan(200);
    expectEchoed(endpoint, style, style === 'header' ? (assertion.split('.')[0] ?? '') : assertion);
    if (style !== 'gateway-cut' && style !== 'header') expectEchoed(endpoint, style, API_KEY);
    expect(findLeaks(capture.haystack(), secretsOf(endpoint))).toEqual([]);
  });

  it('user-restricted token exchange: no piece of the ID token, assertion or API key reaches any output', async () => {
    const capture = new Capture();
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: generated.signingKey,
      environment: endpoint.tokenUrl,
      idToken,
      logger: capture.logger,
    });
    await capture.expectFailure(() => auth.getAccessToken());
    capture.object(auth);
    expectEchoed(endpoint, style, style === 'header' ? (idToken.split('.')[0] ?? '') : idToken.slice(0, 100));
    expect(findLeaks(capture.haystack(), secretsOf(endpoint))).toEqual([]);
  });

  it('user-restricted refresh: no piece of the refresh token, API secret or API key reaches any output', async () => {
    const capture = new Capture();
    let offset = 0;
    endpoint.succeed = new Set(['urn:ietf:params:oauth:grant-type:token-exchange']);
    try {
      const auth = new UserRestrictedAuth({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        signingKey: generated.signingKey,
        environment: endpoint.tokenUrl,
        idToken,
        logger: capture.logger,
        now: () => Date.now() + offset,
      });
      capture.object(await auth.getTokenSet());
      offset += 600_000;
      await capture.expectFailure(() => auth.getAccessToken());
      capture.object(auth);
    } finally {
      endpoint.succeed = new Set();
    }
    const refresh = endpoint.requests.at(-1);
    expect(new URLSearchParams(refresh?.body).get('grant_type')).toBe('refresh_token');
    if (style !== 'gateway-cut') expectEchoed(endpoint, style, API_SECRET);
    expect(findLeaks(capture.haystack(), secretsOf(endpoint))).toEqual([]);
  });

  it('CIS2 code exchange: no piece of the code, verifier or client secret reaches any output', async () => {
    const capture = new Capture();
    const client = new Cis2Client({
      discovery: endpoint.discoveryUrl,
      clientId: CIS2_CLIENT_ID,
      clientSecret: CIS2_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      logger: capture.logger,
    });
    const pending = await client.createAuthorizationRequest();
    const code = `code-${'x'.repeat(8)}-${crypto.randomUUID()}`;
    await capture.expectFailure(() =>
      client.handleCallback(`${REDIRECT_URI}?state=${pending.state}&code=${code}`, pending),
    );
    capture.object(client);
    capture.object(pending);
    if (style !== 'gateway-cut') expectEchoed(endpoint, style, CIS2_CLIENT_SECRET);
    expect(findLeaks(capture.haystack(), secretsOf(endpoint, [code, pending.codeVerifier]))).toEqual([]);
  });

  it('a failed call is summarised: status, content type, length; OAuth fields redacted, not dropped', async () => {
    const capture = new Capture();
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: generated.signingKey,
      environment: endpoint.tokenUrl,
      logger: capture.logger,
    });
    await capture.expectFailure(() => auth.getAccessToken());
    const event = capture.events.find((e) => e.type === 'token.error');
    expect(event).toMatchObject({ tokenUrl: endpoint.tokenUrl, grantType: 'client_credentials' });
    expect(event?.status).toBeGreaterThanOrEqual(400);
    expect(event?.bodyLength).toBeTypeOf('number');
    if (style === 'json') {
      expect(String(event?.errorDescription)).toContain(REDACTED);
      expect(String(event?.errorDescription)).toContain('request was unknown client');
    } else {
      // Not JSON: the body is never quoted, only summarised.
      expect(event?.errorDescription).toBeUndefined();
      expect(String(event?.contentType)).toMatch(/^text\/(plain|html)/);
    }
  });
});

describe('the token endpoint error itself', () => {
  let endpoint: EchoEndpoint;
  beforeAll(async () => {
    endpoint = await new EchoEndpoint().start();
  });
  afterAll(async () => {
    await endpoint?.stop();
  });

  it('a non-JSON body gives its status, content type and length instead of its text', async () => {
    endpoint.style = 'html';
    const auth = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: generated.signingKey,
      environment: endpoint.tokenUrl,
      refreshMarginSeconds: 0,
    });
    const error = await auth.getAccessToken().catch((e: unknown) => e);
    const cause = (error as NhsAuthError).cause;
    expect(cause?.code).toBe('ERR_TOKEN_ENDPOINT');
    expect(cause?.message).toMatch(/HTTP 503 unknown_error \(text\/html; charset=utf-8, \d+ bytes\)$/);
    expect(cause?.message).not.toContain('Service unavailable');
  });

  it('TokenEndpointError keeps the summary fields', () => {
    const error = new TokenEndpointError({
      status: 502,
      error: 'unknown_error',
      tokenUrl: 'https://x/oauth2/token',
      grantType: 'client_credentials',
      contentType: 'text/plain',
      bodyLength: 12,
    });
    expect(error.toJSON()).toMatchObject({ status: 502, contentType: 'text/plain', bodyLength: 12 });
    expect(error.message).toContain('(text/plain, 12 bytes)');
  });
});

describe('Spine-direct', () => {
  let endpoint: EchoEndpoint;
  beforeAll(async () => {
    endpoint = await new EchoEndpoint().start();
  });
  afterAll(async () => {
    await endpoint?.stop();
  });

  it('no piece of the Spine JWT, TLS key or passphrase reaches events, errors or printed objects', async () => {
    const capture = new Capture();
    const ca = new TestCa('echo');
    const client = ca.issue('echo-client');
    const passphrase = 'spine-tls-passphrase-77';
    const encryptedKey = client.key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase });
    const options = {
      issuer: 'https://supplier.example',
      fromAsid: '200000000205',
      toAsid: '999999999999',
      odsCode: 'RR8',
      userRoleProfileId: '555254242105',
      logger: capture.logger,
    };
    const spine = new SpineDirectAuth({
      ...options,
      tls: { cert: client.certPem, key: String(encryptedKey), ca: ca.certPem, passphrase },
    });
    // Plain http on loopback goes through the same dispatcher without TLS: the endpoint sees the JWT.
    const response = await authorisedFetch(spine, `${endpoint.origin}/STU3/Flag`, {
      interaction: reasonableAdjustmentsInteractions.flagRead,
    });
    await response.body?.cancel();
    const jwt = String(endpoint.requests.at(-1)?.headers.authorization).slice('Bearer '.length);
    expect(jwt.endsWith('.')).toBe(true);
    // A TLS failure (the loopback server speaks no TLS) is a transport error.
    await capture.expectFailure(() =>
      authorisedFetch(spine, `https://${endpoint.origin.slice('http://'.length)}/STU3/Flag`, {
        interaction: reasonableAdjustmentsInteractions.flagRead,
      }),
    );
    // A key that is not the certificate's.
    await capture.expectFailure(
      async () => new SpineDirectAuth({ ...options, tls: { cert: client.certPem, key: ca.issue('other').keyPem } }),
    );
    capture.object(spine);
    await spine.close();
    const secrets = new Set([jwt, passphrase, String(encryptedKey), client.keyPem]);
    for (const pem of [client.keyPem, String(encryptedKey)])
      for (const line of pem.split('\n'))
        if (line && !line.startsWith('-----') && !line.includes(':')) secrets.add(line);
    expect(capture.events.length).toBeGreaterThan(0);
    expect(findLeaks(capture.haystack(), secrets)).toEqual([]);
  });
});
