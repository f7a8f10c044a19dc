import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import {
  AssuranceLevelError,
  AuthorizationResponseError,
  Cis2AuthorizationRequest,
  Cis2Client,
  generateSigningKey,
  IdTokenValidationError,
  RoleSelectionError,
  selectSessionRole,
  TokenRefreshError,
  UserRestrictedAuth,
  type Cis2ClientOptions,
  type Cis2Session,
  type SigningKey,
} from '../src/index.js';
import { followToRedirectUri } from './support/browser.js';
import { decodeJwtIndependently } from './support/decode-jwt.js';
import {
  API_KEY,
  API_SECRET,
  ApiPlatformStandIn,
  CIS2_CLIENT_ID,
  CIS2_CLIENT_SECRET,
  CIS2_JWT_CLIENT_ID,
  CIS2_REALM,
  Cis2StandIn,
  REDIRECT_URI,
} from './support/stand-ins.js';

let cis2: Cis2StandIn;
let platform: ApiPlatformStandIn;
let key: SigningKey;

beforeAll(async () => {
  key = (await generateSigningKey('app-key-ur', 2048)).signingKey;
  cis2 = await new Cis2StandIn(key.publicJwk() as unknown as ConstructorParameters<typeof Cis2StandIn>[0]).start();
  platform = await new ApiPlatformStandIn(key.publicJwk(), cis2).start();
});
afterAll(async () => {
  await platform?.stop();
  await cis2?.stop();
});

const client = (options: Partial<Cis2ClientOptions> = {}) =>
  new Cis2Client({
    discovery: cis2.discoveryUrl,
    clientId: CIS2_CLIENT_ID,
    clientSecret: CIS2_CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    ...options,
  });

async function signIn(c: Cis2Client, loginHint = 'user-aal3'): Promise<Cis2Session> {
  const request = await c.createAuthorizationRequest({ loginHint });
  return c.handleCallback(await followToRedirectUri(request.url, REDIRECT_URI), request);
}

describe('CIS2 sign-in against the oidc-provider stand-in', () => {
  it('builds the authorization URL from discovery: state, nonce, PKCE S256, prompt=login, selectedrole', async () => {
    const request = await client().createAuthorizationRequest();
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe(`${new URL(cis2.issuer).origin}${CIS2_REALM}/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(CIS2_CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(p.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'selectedrole', 'nationalrbacaccess']),
    );
    expect(p.get('prompt')).toBe('login');
    expect(p.get('state')).toBe(request.state);
    expect(p.get('nonce')).toBe(request.nonce);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toBe(createHash('sha256').update(request.codeVerifier).digest('base64url'));
    expect(request.state).not.toBe(request.nonce);
  });

  it('without role selection there is no prompt=login or selectedrole', async () => {
    const p = new URL((await client({ selectRole: false }).createAuthorizationRequest()).url).searchParams;
    expect(p.get('prompt')).toBeNull();
    expect(p.get('scope')?.split(' ')).not.toContain('selectedrole');
  });

  it('signs in an AAL3 user: code exchange with PKCE, ID token verified, selected_roleid read', async () => {
    const session = await signIn(client());
    expect(session.claims.sub).toBe('user-aal3');
    expect(session.claims.iss).toBe(cis2.issuer);
    expect(session.assuranceLevel).toBe(3);
    expect(session.claims.selected_roleid).toBe('555254242105');
    expect(selectSessionRole({ idTokenClaims: session.claims })).toEqual({
      roleId: '555254242105',
      source: 'selected_roleid',
    });
  });

  it('refuses an AAL2 user when AAL3 is required (the default), and accepts them when AAL2 is enough', async () => {
    const error = await signIn(client(), 'user-aal2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssuranceLevelError);
    expect(error).toMatchObject({ code: 'ERR_ASSURANCE_LEVEL', required: 3, actual: 2 });
    const session = await signIn(client({ requiredAssuranceLevel: 2 }), 'user-aal2');
    expect(session.assuranceLevel).toBe(2);
  });

  it('rejects a callback whose state does not match, or that carries an error', async () => {
    const c = client();
    const request = await c.createAuthorizationRequest();
    await expect(c.handleCallback(`${REDIRECT_URI}?code=abc&state=forged`, request)).rejects.toBeInstanceOf(
      AuthorizationResponseError,
    );
    await expect(
      c.handleCallback(`${REDIRECT_URI}?error=access_denied&state=${request.state}`, request),
    ).rejects.toMatchObject({
      code: 'ERR_OIDC_AUTHORIZATION_RESPONSE',
      error: 'access_denied',
    });
  });

  it('a PKCE verifier that does not match the challenge is refused by the provider', async () => {
    const c = client();
    const request = await c.createAuthorizationRequest();
    const callback = await followToRedirectUri(request.url, REDIRECT_URI);
    const other = await c.createAuthorizationRequest();
    const forged = new Cis2AuthorizationRequest(request.url, request.state, request.nonce, other.codeVerifier);
    await expect(c.handleCallback(callback, forged)).rejects.toMatchObject({
      code: 'ERR_TOKEN_ENDPOINT',
      error: 'invalid_grant',
    });
  });

  it('rejects a callback whose iss parameter is not the discovery issuer (RFC 9207)', async () => {
    const c = client();
    const request = await c.createAuthorizationRequest();
    const callback = new URL(await followToRedirectUri(request.url, REDIRECT_URI));
    expect(callback.searchParams.get('iss')).toBe(cis2.issuer);
    callback.searchParams.set('iss', `${cis2.issuer}/`);
    await expect(c.handleCallback(callback, request)).rejects.toBeInstanceOf(AuthorizationResponseError);
  });

  it('authenticates to CIS2 with private_key_jwt when given a signing key instead of a secret', async () => {
    const c = new Cis2Client({
      discovery: cis2.discoveryUrl,
      clientId: CIS2_JWT_CLIENT_ID,
      signingKey: key,
      redirectUri: REDIRECT_URI,
    });
    const request = await c.createAuthorizationRequest();
    const session = await c.handleCallback(await followToRedirectUri(request.url, REDIRECT_URI), request);
    expect(session.claims.aud).toBe(CIS2_JWT_CLIENT_ID);
  });

  it('fetches discovery once and again after the cache time', async () => {
    let now = Date.now();
    const c = client({ now: () => now, discoveryCacheSeconds: 3600 });
    const path = '/.well-known/openid-configuration';
    const before = cis2.hits.get(path) ?? 0;
    await c.createAuthorizationRequest();
    await c.createAuthorizationRequest();
    expect(cis2.hits.get(path)).toBe(before + 1);
    now += 3_600_000;
    await c.createAuthorizationRequest();
    expect(cis2.hits.get(path)).toBe(before + 2);
  });

  it('UserInfo returns nhsid_nrbac_roles, from which a role can be chosen', async () => {
    const c = client();
    const session = await signIn(c);
    const userInfo = await c.fetchUserInfo(session.accessToken);
    expect(userInfo.nhsid_nrbac_roles?.map((r) => r.person_roleid)).toEqual(['555254242105', '555254242106']);
    expect(selectSessionRole({ userInfo, roleId: '555254242106' })).toMatchObject({
      roleId: '555254242106',
      source: 'caller',
      role: { org_code: 'X26' },
    });
    expect(() => selectSessionRole({ userInfo })).toThrow(RoleSelectionError);
    expect(() => selectSessionRole({ userInfo, roleId: '111111111111' })).toThrow(/not one of the user's 2 roles/);
    expect(selectSessionRole({ idTokenClaims: session.claims, userInfo })).toMatchObject({
      source: 'selected_roleid',
      role: { role_code: 'S8000:G8000:R8001' },
    });
  });
});

describe('role selection rules', () => {
  const one = { sub: 'u', nhsid_nrbac_roles: [{ person_roleid: '123456789012' }] };
  it.each([
    ['the only UserInfo role', { userInfo: one }, { roleId: '123456789012', source: 'userinfo' }],
    [
      'selected_roleid wins over UserInfo order',
      { idTokenClaims: { selected_roleid: '123456789012' }, userInfo: one },
      { roleId: '123456789012', source: 'selected_roleid' },
    ],
  ])('%s', (_title, given, want) => {
    expect(selectSessionRole(given)).toMatchObject(want);
  });
  it.each([
    ['no roles', {}, 'no-roles'],
    ['empty role list', { userInfo: { sub: 'u', nhsid_nrbac_roles: [] } }, 'no-roles'],
    ['non-digit selected_roleid', { idTokenClaims: { selected_roleid: '12ab' } }, 'invalid'],
    ['selected_roleid not among the roles', { idTokenClaims: { selected_roleid: '999' }, userInfo: one }, 'not-found'],
  ])('%s -> %s', (_title, given, reason) => {
    expect(() => selectSessionRole(given)).toThrow(expect.objectContaining({ reason, code: 'ERR_ROLE_SELECTION' }));
  });
});

describe('ID token checks (tokens signed with the provider key, claims chosen by the test)', () => {
  const base = { sub: 'user-aal3', nonce: 'n-123456' };
  it('accepts a good token', async () => {
    const claims = await client().validateIdToken(await cis2.signIdToken(base), { nonce: 'n-123456' });
    expect(claims.sub).toBe('user-aal3');
  });
  it('rejects an expired token', async () => {
    const token = await cis2.signIdToken(base, {
      nowSeconds: Math.floor(Date.now() / 1000) - 7200,
      expiresInSeconds: 3600,
    });
    await expect(client().validateIdToken(token)).rejects.toMatchObject({
      code: 'ERR_ID_TOKEN_INVALID',
      reason: 'expired',
    });
  });
  it('rejects a token for another client', async () => {
    const token = await cis2.signIdToken(base, { audience: 'someone-else.apps.national' });
    await expect(client().validateIdToken(token)).rejects.toMatchObject({ reason: 'audience' });
  });
  it.each([
    ['a trailing slash', (iss: string) => `${iss}/`],
    ['localhost for 127.0.0.1', (iss: string) => iss.replace('127.0.0.1', 'localhost')],
    ['no port', (iss: string) => iss.replace(/:\d+\//, '/')],
  ])('rejects an issuer that differs from discovery by %s', async (_title, change) => {
    const token = await cis2.signIdToken(base, { issuer: change(cis2.issuer) });
    const error = await client()
      .validateIdToken(token)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdTokenValidationError);
    expect(error).toMatchObject({ reason: 'issuer' });
  });
  it('rejects a token signed by another key under the same kid', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...base, authentication_assurance_level: '3' })
      .setProtectedHeader({ alg: 'RS256', kid: String(cis2.signingJwk.kid) })
      .setIssuer(cis2.issuer)
      .setAudience(CIS2_CLIENT_ID)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
    await expect(client().validateIdToken(token)).rejects.toMatchObject({ reason: 'signature' });
  });
  it('rejects an unsecured (alg none) token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims = { ...base, iss: cis2.issuer, aud: CIS2_CLIENT_ID, iat: now, exp: now + 600 };
    const token = `${part({ alg: 'none' })}.${part({ ...claims, authentication_assurance_level: '3' })}.`;
    await expect(client().validateIdToken(token)).rejects.toBeInstanceOf(IdTokenValidationError);
  });
  it('rejects a nonce mismatch', async () => {
    await expect(client().validateIdToken(await cis2.signIdToken(base), { nonce: 'other' })).rejects.toMatchObject({
      reason: 'nonce',
    });
  });
  it.each([
    ['AAL2 claim', { authentication_assurance_level: '2', acr: 'AAL2_OR_AAL3_ANY' }, 2],
    ['AAL1 claim', { authentication_assurance_level: 1 }, 1],
    ['only acr AAL2', { authentication_assurance_level: undefined, acr: 'AAL2_ANY' }, 2],
    ['no level at all', { authentication_assurance_level: undefined, acr: undefined }, undefined],
  ])('refuses %s where AAL3 is required', async (_title, claims, actual) => {
    const token = await cis2.signIdToken({ ...base, ...claims });
    const error = await client()
      .validateIdToken(token)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssuranceLevelError);
    expect((error as AssuranceLevelError).actual).toBe(actual);
  });
  it('accepts AAL3 from acr alone', async () => {
    const token = await cis2.signIdToken({ ...base, authentication_assurance_level: undefined, acr: 'AAL3_ANY' });
    await expect(client().validateIdToken(token)).resolves.toMatchObject({ sub: 'user-aal3' });
  });
});

describe('UserRestrictedAuth: token exchange and refresh at the API Platform stand-in', () => {
  function handClock() {
    let offset = 0;
    return { now: () => Date.now() + offset, advance: (seconds: number) => (offset += seconds * 1000) };
  }

  it('exchanges the CIS2 ID token, sends NHSD-Session-URID, and refreshes with the API secret', async () => {
    const session = await signIn(client());
    const role = selectSessionRole({ idTokenClaims: session.claims });
    const clock = handClock();
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: session.idToken,
      sessionRoleId: role.roleId,
      now: clock.now,
      assertionLifetimeSeconds: 60,
    });
    const before = platform.requests.length;
    const prepared = await auth.prepare({ url: 'https://int.api.service.nhs.uk/cpis/FHIR/R4/CareTeam' });
    expect(prepared.headers['NHSD-Session-URID']).toBe('555254242105');
    expect(prepared.headers.authorization).toBe(`Bearer ${platform.issued.at(-1)}`);

    const exchange = platform.requests[before];
    expect(exchange?.form).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: session.idToken,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    const assertion = decodeJwtIndependently(String(exchange?.form.client_assertion));
    expect(assertion.header).toMatchObject({ alg: 'RS512', kid: 'app-key-ur' });
    expect(assertion.payload).toMatchObject({ iss: API_KEY, sub: API_KEY, aud: platform.tokenUrl });
    expect(Number(assertion.payload.exp) - Number(assertion.payload.iat)).toBe(60);
    const first = await auth.getTokenSet();
    expect(first).toMatchObject({
      expiresIn: 599,
      refreshCount: 0,
      issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
    });

    clock.advance(600);
    const refreshed = await auth.getTokenSet();
    const refresh = platform.requests.at(-1);
    expect(refresh?.grantType).toBe('refresh_token');
    expect(refresh?.status).toBe(200);
    expect(refresh?.form).toMatchObject({
      client_id: API_KEY,
      client_secret: API_SECRET,
      refresh_token: first.refreshToken,
    });
    expect(refresh?.form).not.toHaveProperty('client_assertion');
    expect(refreshed.refreshCount).toBe(1);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
  });

  it('100 concurrent calls with an expired token cause exactly one refresh request', async () => {
    const session = await signIn(client());
    const clock = handClock();
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: session.idToken,
      now: clock.now,
    });
    await auth.getAccessToken();
    clock.advance(600);
    const before = platform.count('refresh_token');
    const exchanges = platform.count('urn:ietf:params:oauth:grant-type:token-exchange');
    const results = await Promise.all(Array.from({ length: 100 }, () => auth.getAccessToken()));
    expect(platform.count('refresh_token')).toBe(before + 1);
    expect(platform.count('urn:ietf:params:oauth:grant-type:token-exchange')).toBe(exchanges);
    expect(new Set(results).size).toBe(1);
  });

  it('when the refresh token has run out too, it exchanges the ID token again', async () => {
    const session = await signIn(client());
    const clock = handClock();
    platform.expiresIn = '20';
    platform.refreshTokenExpiresIn = '25';
    try {
      const auth = new UserRestrictedAuth({
        apiKey: API_KEY,
        apiSecret: API_SECRET,
        signingKey: key,
        environment: platform.tokenUrl,
        idToken: session.idToken,
        now: clock.now,
        refreshMarginSeconds: 0,
        assertionLifetimeSeconds: 60,
      });
      await auth.getAccessToken();
      clock.advance(21);
      await auth.getAccessToken();
      expect(platform.requests.at(-1)?.grantType).toBe('refresh_token');
      clock.advance(30);
      await auth.getAccessToken();
      expect(platform.requests.at(-1)?.grantType).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    } finally {
      platform.expiresIn = undefined;
      platform.refreshTokenExpiresIn = undefined;
    }
  });

  it('a wrong API secret makes the refresh fail with a clean error', async () => {
    const session = await signIn(client());
    const clock = handClock();
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: 'wrong-secret-value',
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: session.idToken,
      now: clock.now,
    });
    await auth.getAccessToken();
    clock.advance(600);
    const error = (await auth.getAccessToken().catch((e: unknown) => e)) as TokenRefreshError;
    expect(error).toBeInstanceOf(TokenRefreshError);
    expect(error.cause).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT' });
    expect(error.message).toContain('invalid_client');
  });

  it('an expired ID token is refused at the exchange', async () => {
    const expired = await cis2.signIdToken({ sub: 'user-aal3' }, { nowSeconds: Math.floor(Date.now() / 1000) - 7200 });
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: expired,
    });
    await expect(auth.getAccessToken()).rejects.toThrow(/invalid_grant/);
  });

  it('an ID token from another issuer is refused at the exchange', async () => {
    const foreign = await cis2.signIdToken({ sub: 'user-aal3' }, { issuer: `${cis2.issuer}/` });
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: foreign,
    });
    await expect(auth.getAccessToken()).rejects.toThrow(/invalid_grant/);
  });

  it('the platform scope follows the ID token assurance level', async () => {
    const aal2 = await cis2.signIdToken({ sub: 'user-aal2', authentication_assurance_level: '2' });
    const auth = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: aal2,
    });
    expect((await auth.getTokenSet()).scope).toBe('urn:nhsd:apim:user-nhs-id:aal2:test-api');
    const aal3 = await cis2.signIdToken({ sub: 'user-aal3' });
    const auth3 = new UserRestrictedAuth({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      signingKey: key,
      environment: platform.tokenUrl,
      idToken: aal3,
    });
    expect((await auth3.getTokenSet()).scope).toBe('urn:nhsd:apim:user-nhs-id:aal3:test-api');
  });

  it('validates the role id and refresh configuration', () => {
    const common = { apiKey: API_KEY, signingKey: key, environment: platform.tokenUrl, idToken: 'x' };
    expect(() => new UserRestrictedAuth({ ...common, apiSecret: API_SECRET, sessionRoleId: 'R8000' })).toThrow(
      /digits only/,
    );
    expect(() => new UserRestrictedAuth(common)).toThrow(/apiSecret/);
    expect(() => new UserRestrictedAuth({ ...common, refreshClientAuthentication: 'client_assertion' })).not.toThrow();
  });
});
