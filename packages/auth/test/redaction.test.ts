import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationRestrictedAuth,
  Cis2Client,
  generateSigningKey,
  loadSigningKey,
  reasonableAdjustmentsInteractions,
  Redactor,
  REDACTED,
  SpineDirectAuth,
  UserRestrictedAuth,
  type AuthEvent,
  type GeneratedSigningKey,
} from '../src/index.js';
import { followToRedirectUri } from './support/browser.js';
import {
  API_KEY,
  API_SECRET,
  ApiPlatformStandIn,
  CIS2_CLIENT_ID,
  CIS2_CLIENT_SECRET,
  Cis2StandIn,
  REDIRECT_URI,
} from './support/stand-ins.js';
import { TestCa } from '@nhs-fhir/testing';

describe('Redactor', () => {
  it('removes registered secrets, JWT-shaped strings and PEM blocks', () => {
    const r = new Redactor();
    r.add('opaque-token-abc123');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
    const text = `a opaque-token-abc123 b eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. c ${pem} d`;
    expect(r.redact(text)).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d`);
  });
  it('replaces secret fields whatever they hold, and redacts strings deep inside objects', () => {
    const r = new Redactor();
    r.add('s3cr3t-value');
    expect(
      r.redactDeep({ client_secret: 'x', nested: [{ note: 'has s3cr3t-value inside' }], expires_in: '599' }),
    ).toEqual({
      client_secret: REDACTED,
      nested: [{ note: `has ${REDACTED} inside` }],
      expires_in: '599',
    });
  });
  it('keeps a secret that contains another whole', () => {
    const r = new Redactor();
    r.add('abcdef');
    r.add('abcdefghij');
    expect(r.redact('x abcdefghij y')).toBe(`x ${REDACTED} y`);
  });
});

describe('no secret reaches logs, errors or printed objects', () => {
  let cis2: Cis2StandIn;
  let platform: ApiPlatformStandIn;
  let generated: GeneratedSigningKey;
  let other: GeneratedSigningKey;
  const events: AuthEvent[] = [];
  const errors: unknown[] = [];
  const objects: unknown[] = [];
  const secrets = new Set<string>();
  const logger = (event: AuthEvent) => events.push(event);
  const capture = async (work: () => Promise<unknown>) => {
    try {
      objects.push(await work());
    } catch (error) {
      errors.push(error);
    }
  };

  beforeAll(async () => {
    [generated, other] = await Promise.all([
      generateSigningKey('redaction-kid', 2048),
      generateSigningKey('redaction-kid', 2048),
    ]);
    cis2 = await new Cis2StandIn().start();
    platform = await new ApiPlatformStandIn(generated.signingKey.publicJwk(), cis2).start();
    platform.echoSecretsInErrors = true;

    // Application-restricted: one success, one failure whose error description echoes the assertion.
    const app = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: generated.signingKey,
      environment: platform.tokenUrl,
      logger,
    });
    objects.push(app, await app.getTokenSet());
    const badApp = new ApplicationRestrictedAuth({
      apiKey: API_KEY,
      signingKey: other.signingKey,
      environment: platform.tokenUrl,
      logger,
    });
    await capture(() => badApp.getAccessToken());

    // CIS2: sign-in, UserInfo, and rejected ID tokens.
    const cis2Client = new Cis2Client({
      discovery: cis2.discoveryUrl,
      clientId: CIS2_CLIENT_ID,
      clientSecret: CIS2_CLIENT_SECRET,
      redirectUri: REDIRECT_URI,
      logger,
    });
    const pending = await cis2Client.createAuthorizationRequest();
    secrets.add(pending.codeVerifier);
    const session = await cis2Client.handleCallback(await followToRedirectUri(pending.url, REDIRECT_URI), pending);
    secrets.add(session.idToken).add(session.accessToken);
    objects.push(pending, session, cis2Client, await cis2Client.fetchUserInfo(session.accessToken));
    const expired = await cis2.signIdToken({ sub: 'user-aal3' }, { nowSeconds: Math.floor(Date.now() / 1000) - 7200 });
    const aal2 = await cis2.signIdToken({ sub: 'user-aal2', authentication_assurance_level: '2' });
    secrets.add(expired).add(aal2);
    await capture(() => cis2Client.validateIdToken(expired));
    await capture(() => cis2Client.validateIdToken(aal2));

    // User-restricted: exchange, a refresh that fails (echoing the refresh token and secret), a retry.
    let offset = 0;
    const user = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: generated.signingKey,
      environment: platform.tokenUrl,
      idToken: session.idToken,
      sessionRoleId: '555254242105',
      logger,
      now: () => Date.now() + offset,
    });
    objects.push(
      user,
      await user.getTokenSet(),
      await user.prepare({ url: 'https://int.api.service.nhs.uk/cpis/FHIR/R4/CareTeam' }),
    );
    offset += 600_000;
    platform.failNext = 1;
    await capture(() => user.getAccessToken());
    objects.push(await user.getTokenSet());
    const badExchange = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: generated.signingKey,
      environment: platform.tokenUrl,
      idToken: expired,
      logger,
    });
    await capture(() => badExchange.getAccessToken());

    // Spine-direct: the JWT is a bearer token too.
    const ca = new TestCa('redaction');
    const cert = ca.issue('client');
    const spine = new SpineDirectAuth({
      issuer: 'https://supplier.example',
      fromAsid: '200000000205',
      toAsid: '999999999999',
      odsCode: 'RR8',
      userRoleProfileId: '555254242105',
      tls: { cert: cert.certPem, key: cert.keyPem, ca: ca.certPem, passphrase: 'tls-passphrase-123' },
      logger,
    });
    const prepared = await spine.prepare({
      url: 'https://127.0.0.1:1/STU3/Flag',
      interaction: reasonableAdjustmentsInteractions.flagRead,
    });
    secrets
      .add(String(prepared.headers.authorization).slice('Bearer '.length))
      .add('tls-passphrase-123')
      .add(cert.keyPem);
    objects.push(spine);
    await spine.close();

    // A damaged private key.
    await capture(async () => loadSigningKey(generated.privateKeyPem.replace(/[A-F]/g, 'Q'), 'x'));

    for (const request of platform.requests) {
      for (const field of ['client_assertion', 'client_secret', 'subject_token', 'refresh_token'] as const) {
        if (request.form[field]) secrets.add(request.form[field]);
      }
    }
    for (const token of platform.issued) secrets.add(token);
    secrets.add(API_SECRET).add(CIS2_CLIENT_SECRET).add(generated.privateKeyPem).add(other.privateKeyPem);
    for (const pem of [generated.privateKeyPem, other.privateKeyPem]) {
      for (const line of pem.split('\n').slice(1, -2)) secrets.add(line);
    }
  });

  afterAll(async () => {
    await platform?.stop();
    await cis2?.stop();
  });

  it('the scenario produced what it is meant to check', () => {
    expect(errors.length).toBe(6);
    expect(events.length).toBeGreaterThan(15);
    // The careless server echoed secrets; the logged description shows they were removed, not absent.
    const echoed = events.filter((e) => e.type === 'token.error' && String(e.errorDescription).includes('request was'));
    expect(echoed.length).toBeGreaterThanOrEqual(2);
    for (const event of echoed) expect(String(event.errorDescription)).toContain(REDACTED);
    expect(secrets.size).toBeGreaterThan(40);
  });

  it('no secret appears in any captured text', () => {
    const texts: string[] = [];
    for (const event of events) texts.push(JSON.stringify(event), inspect(event, { depth: Infinity }));
    for (const error of errors) {
      const e = error as Error & { cause?: unknown };
      texts.push(
        String(e),
        e.message,
        String(e.stack),
        inspect(e, { depth: Infinity, showHidden: true }),
        JSON.stringify(e),
        inspect(e.cause, { depth: Infinity }),
        JSON.stringify(e.cause ?? null),
      );
      texts.push(inspect(Object.getOwnPropertyDescriptors(e), { depth: Infinity }));
    }
    for (const object of objects)
      texts.push(inspect(object, { depth: Infinity }), JSON.stringify(object), String(object));
    const haystack = texts.join('\n');
    const leaked = [...secrets].filter((secret) => haystack.includes(secret));
    expect(leaked.map((s) => `${s.slice(0, 12)}… (${s.length} chars)`)).toEqual([]);
  });
});
