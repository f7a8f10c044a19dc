// Local stand-ins for CIS2 and the API Platform token endpoint, built on oidc-provider.
import { generateKeyPairSync, randomUUID, timingSafeEqual, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeJwt, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import Provider, { errors } from 'oidc-provider';

export const CIS2_REALM = '/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
export const CIS2_CLIENT_ID = 'nhs-fhir-test.apps.national';
export const CIS2_CLIENT_SECRET = 'cis2-client-secret-0f9e8d7c6b5a';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const API_KEY = 'test-api-key-3a1b2c3d4e5f';
export const API_SECRET = 'test-api-secret-9z8y7x6w5v';
export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

export interface TestAccount {
  readonly aal: number;
  readonly acr: string;
  readonly roles: ReadonlyArray<{
    person_roleid: string;
    org_code: string;
    role_name: string;
    role_code: string;
    activity_codes: string[];
  }>;
  readonly selectedRoleId?: string;
}

/** Test users: the login_hint picks one, the way a tester would pick a smartcard. */
export const ACCOUNTS: Record<string, TestAccount> = {
  'user-aal3': {
    aal: 3,
    acr: 'AAL3_ANY',
    selectedRoleId: '555254242105',
    roles: [
      {
        person_roleid: '555254242105',
        org_code: 'RR8',
        role_name: '"Clinical":"Clinical Provision":"Nurse Access Role"',
        role_code: 'S8000:G8000:R8001',
        activity_codes: ['B0172', 'B0264'],
      },
      {
        person_roleid: '555254242106',
        org_code: 'X26',
        role_name: '"Admin":"Admin":"Receptionist"',
        role_code: 'S8001:G8004:R8008',
        activity_codes: ['B0264'],
      },
    ],
  },
  'user-aal2': {
    aal: 2,
    acr: 'AAL2_OR_AAL3_ANY',
    roles: [
      {
        person_roleid: '555254242107',
        org_code: 'RR8',
        role_name: '"Clinical":"Clinical Provision":"Doctor"',
        role_code: 'S8000:G8000:R8000',
        activity_codes: ['B0172'],
      },
    ],
  },
};

function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const rsaJwk = (kid: string) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JsonWebKey;
  return { ...jwk, kid, alg: 'RS256', use: 'sig' } as JWK;
};
const publicOf = (jwk: JWK): JWK =>
  ({ kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: jwk.alg, use: 'sig' }) as JWK;

/** CIS2 stand-in: OIDC with the realm path, PKCE, role and assurance claims, UserInfo with nhsid_nrbac_roles. */
export const CIS2_JWT_CLIENT_ID = 'nhs-fhir-test-jwt.apps.national';

export class Cis2StandIn {
  readonly signingJwk = rsaJwk('cis2-test-key');
  /** Requests per path under the realm, e.g. how often discovery was fetched. */
  readonly hits = new Map<string, number>();

  /** `jwtClientJwk`: the public key of a second client that authenticates with private_key_jwt. */
  constructor(readonly jwtClientJwk?: JWK) {}
  issuer = '';
  discoveryUrl = '';
  #server: Server | undefined;

  async start(): Promise<this> {
    // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
    let provider: any;
    const { server, origin } = await listen((req, res) => void this.#handle(provider, req, res));
    this.#server = server;
    this.issuer = `${origin}${CIS2_REALM}`;
    this.discoveryUrl = `${this.issuer}/.well-known/openid-configuration`;
    provider = new Provider(this.issuer, {
      clients: [
        {
          client_id: CIS2_CLIENT_ID,
          client_secret: CIS2_CLIENT_SECRET,
          redirect_uris: [REDIRECT_URI],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
        ...(this.jwtClientJwk
          ? [
              {
                client_id: CIS2_JWT_CLIENT_ID,
                redirect_uris: [REDIRECT_URI],
                grant_types: ['authorization_code'],
                response_types: ['code'],
                token_endpoint_auth_method: 'private_key_jwt',
                token_endpoint_auth_signing_alg: 'RS512',
                jwks: { keys: [{ ...this.jwtClientJwk, alg: 'RS512' }] },
              },
            ]
          : []),
      ],
      enabledJWA: { clientAuthSigningAlgValues: ['RS512', 'RS256'] },
      jwks: { keys: [this.signingJwk] },
      scopes: ['openid', 'profile', 'selectedrole', 'nationalrbacaccess'],
      claims: {
        openid: ['sub', 'authentication_assurance_level', 'id_assurance_level'],
        profile: ['name'],
        selectedrole: ['selected_roleid'],
        nationalrbacaccess: ['nhsid_nrbac_roles', 'nhsid_useruid'],
      },
      // CIS2 puts selected_roleid and the assurance level in the ID token itself.
      conformIdTokenClaims: false,
      acrValues: ['AAL3_ANY', 'AAL2_OR_AAL3_ANY'],
      findAccount: (_ctx: unknown, id: string) => {
        const account = ACCOUNTS[id];
        if (!account) return undefined;
        return {
          accountId: id,
          claims: () => ({
            sub: id,
            name: `Test ${id}`,
            authentication_assurance_level: String(account.aal),
            id_assurance_level: '3',
            ...(account.selectedRoleId ? { selected_roleid: account.selectedRoleId } : {}),
            nhsid_useruid: id,
            nhsid_nrbac_roles: account.roles,
          }),
        };
      },
      // Grant every requested scope, so the only interaction is the login.
      // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
      loadExistingGrant: async (ctx: any) => {
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client.clientId,
          accountId: ctx.oidc.session.accountId,
        });
        grant.addOIDCScope(ctx.oidc.params.scope);
        await grant.save();
        return grant;
      },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `${CIS2_REALM}/interaction/${interaction.uid}`,
      },
      features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
      pkce: { required: () => true },
      routes: { authorization: '/authorize', token: '/access_token', userinfo: '/userinfo', jwks: '/connect/jwk_uri' },
      cookies: { keys: ['cis2-stand-in-cookie-key'] },
      ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
    });
    return this;
  }

  // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
  async #handle(provider: any, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (!url.startsWith(CIS2_REALM)) {
      res.writeHead(404).end();
      return;
    }
    const path = url.slice(CIS2_REALM.length) || '/';
    const pathname = path.split('?')[0] as string;
    this.hits.set(pathname, (this.hits.get(pathname) ?? 0) + 1);
    try {
      if (path.startsWith('/interaction/')) {
        const details = await provider.interactionDetails(req, res);
        const accountId = String(details.params.login_hint ?? 'user-aal3');
        const account = ACCOUNTS[accountId];
        if (!account) throw new Error(`unknown test account ${accountId}`);
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId, acr: account.acr, amr: ['N3_SMARTCARD'] } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = path;
      await provider.callback()(req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  /** Sign an ID token with the stand-in's own key, for tokens the flow would never issue. */
  async signIdToken(
    claims: Record<string, unknown>,
    options: { expiresInSeconds?: number; issuer?: string; audience?: string; nowSeconds?: number } = {},
  ): Promise<string> {
    const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ authentication_assurance_level: '3', acr: 'AAL3_ANY', ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.signingJwk.kid as string })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? CIS2_CLIENT_ID)
      .setSubject(String(claims.sub ?? 'user-aal3'))
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
      .sign(await importJWK(this.signingJwk, 'RS256'));
  }

  publicJwks(): { keys: JWK[] } {
    return { keys: [publicOf(this.signingJwk)] };
  }

  async stop(): Promise<void> {
    if (this.#server) await close(this.#server);
  }
}

export interface TokenRequestRecord {
  grantType: string;
  form: Record<string, string>;
  status: number;
}

/**
 * API Platform token endpoint stand-in: a gateway (like the platform's own proxy) in front of
 * oidc-provider. oidc-provider does client_credentials with private_key_jwt RS512 and the token
 * exchange grant; the gateway checks the API secret on refresh (one oidc-provider client cannot
 * have two auth methods), counts requests, and reshapes responses the way the platform sends them:
 * numbers as strings, errors as {error, error_description, message_id}.
 */
export class ApiPlatformStandIn {
  readonly gatewayJwk = rsaJwk('gateway-refresh-key');
  readonly requests: TokenRequestRecord[] = [];
  /** Every access token handed out, so a test API can check what it was sent. */
  readonly issued: string[] = [];
  /** Misbehave like a careless server: echo the request's secrets in error descriptions. */
  echoSecretsInErrors = false;
  /** Make the next N token requests fail with HTTP 500. */
  failNext = 0;
  /** Override `expires_in` in successful responses (a string, as the platform sends it). */
  expiresIn: string | undefined;
  /** Override `refresh_token_expires_in` (default "43199", the CIS2 12 hours). */
  refreshTokenExpiresIn: string | undefined;
  tokenUrl = '';
  #gateway: Server | undefined;
  #internal: Server | undefined;
  #internalOrigin = '';
  #refreshCounts = new Map<string, number>();

  constructor(
    readonly appPublicJwk: JWK,
    readonly cis2: Cis2StandIn,
  ) {}

  count(grantType: string): number {
    return this.requests.filter((r) => r.grantType === grantType).length;
  }

  async start(): Promise<this> {
    const gateway = await listen((req, res) => void this.#gatewayHandle(req, res));
    this.#gateway = gateway.server;
    this.tokenUrl = `${gateway.origin}/oauth2/token`;
    const cis2Keys = createLocalJWKSet(this.cis2.publicJwks());
    const cis2Issuer = this.cis2.issuer;

    const provider = new Provider(gateway.origin, {
      clients: [
        {
          client_id: API_KEY,
          token_endpoint_auth_method: 'private_key_jwt',
          token_endpoint_auth_signing_alg: 'RS512',
          jwks: {
            keys: [
              { ...this.appPublicJwk, alg: 'RS512' },
              { ...publicOf(this.gatewayJwk), alg: 'RS512' },
            ],
          },
          grant_types: ['client_credentials', TOKEN_EXCHANGE, 'refresh_token'],
          redirect_uris: [],
          response_types: [],
        },
      ],
      enabledJWA: { clientAuthSigningAlgValues: ['RS512'] },
      jwks: { keys: [rsaJwk('platform-signing-key')] },
      // offline_access switches on oidc-provider's refresh_token grant.
      scopes: ['offline_access', 'urn:nhsd:apim:user-nhs-id:aal3:test-api', 'urn:nhsd:apim:user-nhs-id:aal2:test-api'],
      features: { clientCredentials: { enabled: true }, devInteractions: { enabled: false } },
      findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
      rotateRefreshToken: true,
      routes: { token: '/oauth2/token' },
      clockTolerance: 30,
      ttl: { AccessToken: 599, ClientCredentials: 599, RefreshToken: 43199, Grant: 43199 },
    });
    provider.proxy = true;

    provider.registerGrantType(
      TOKEN_EXCHANGE,
      // biome-ignore lint/suspicious/noExplicitAny: oidc-provider 9 ships no type declarations
      async (ctx: any) => {
        const { subject_token: subjectToken, subject_token_type: subjectTokenType } = ctx.oidc.params;
        if (subjectTokenType !== ID_TOKEN_TYPE) {
          throw new errors.InvalidRequest(
            "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'",
          );
        }
        let claims: JWTPayload;
        try {
          // What the platform checks [ISA-ST]: signature against the CIS2 JWKS, iss exactly, exp, aud present.
          ({ payload: claims } = await jwtVerify(String(subjectToken), cis2Keys, {
            issuer: cis2Issuer,
            requiredClaims: ['aud', 'exp'],
          }));
        } catch (error) {
          throw new errors.InvalidGrant(`invalid subject_token: ${(error as Error).message}`);
        }
        const aal = String(claims.authentication_assurance_level ?? '');
        if (aal !== '2' && aal !== '3')
          throw new errors.InvalidGrant('subject_token has no usable authentication_assurance_level');
        const scope = `urn:nhsd:apim:user-nhs-id:aal${aal}:test-api`;
        const accountId = String(claims.sub);
        const grant = new ctx.oidc.provider.Grant({ accountId, clientId: ctx.oidc.client.clientId });
        grant.addOIDCScope(scope);
        const grantId = await grant.save();
        const at = new ctx.oidc.provider.AccessToken({
          accountId,
          client: ctx.oidc.client,
          grantId,
          gty: 'token-exchange',
          scope,
        });
        const rt = new ctx.oidc.provider.RefreshToken({
          accountId,
          client: ctx.oidc.client,
          grantId,
          gty: 'token-exchange',
          scope,
        });
        ctx.body = {
          access_token: await at.save(),
          expires_in: at.expiration,
          token_type: 'Bearer',
          refresh_token: await rt.save(),
          scope,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        };
      },
      ['subject_token', 'subject_token_type'],
    );

    const internal = await listen(provider.callback());
    this.#internal = internal.server;
    this.#internalOrigin = internal.origin;
    return this;
  }

  async #gatewayHandle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: Record<string, unknown>) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/oauth2/token') return send(404, { error: 'not_found' });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const grantType = form.grant_type ?? '';
    const record: TokenRequestRecord = { grantType, form, status: 0 };
    this.requests.push(record);
    const reply = (status: number, body: Record<string, unknown>) => {
      record.status = status;
      send(status, body);
    };

    if (this.failNext > 0) {
      this.failNext--;
      const echo = this.echoSecretsInErrors ? ` (request was ${JSON.stringify(form)})` : '';
      return reply(500, {
        error: 'server_error',
        error_description: `stand-in told to fail${echo}`,
        message_id: randomUUID(),
      });
    }

    const forward = { ...form };
    if (grantType === 'refresh_token') {
      const secretOk =
        form.client_id === API_KEY &&
        typeof form.client_secret === 'string' &&
        form.client_secret.length === API_SECRET.length &&
        timingSafeEqual(Buffer.from(form.client_secret), Buffer.from(API_SECRET));
      if (!secretOk)
        return reply(401, {
          error: 'invalid_client',
          error_description: 'Invalid client_id or client_secret',
          message_id: randomUUID(),
        });
      delete forward.client_secret;
      delete forward.client_id;
      forward.client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
      forward.client_assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: this.gatewayJwk.kid as string })
        .setIssuer(API_KEY)
        .setSubject(API_KEY)
        .setAudience(this.tokenUrl)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('1m')
        .sign(await importJWK({ ...this.gatewayJwk, alg: 'RS512' }, 'RS512'));
    }
    if (typeof form.client_assertion === 'string' && grantType !== 'refresh_token') {
      // The platform caps the assertion at 5 minutes (it allows 310 s) [ISA-CA]; oidc-provider does not.
      const claims = decodeJwt(form.client_assertion);
      if (typeof claims.exp !== 'number' || claims.exp - Math.floor(Date.now() / 1000) > 310) {
        return reply(400, {
          error: 'invalid_request',
          error_description: 'Invalid exp claim in JWT - more than 5 minutes in future',
          message_id: randomUUID(),
        });
      }
    }

    const upstream = await fetch(`${this.#internalOrigin}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-host': new URL(this.tokenUrl).host,
        'x-forwarded-proto': 'http',
      },
      body: new URLSearchParams(forward).toString(),
    });
    const body = (await upstream.json()) as Record<string, unknown>;
    if (!upstream.ok) {
      const echo = this.echoSecretsInErrors ? ` (request was ${JSON.stringify(form)})` : '';
      return reply(upstream.status, {
        error: body.error,
        error_description: `${String(body.error_description)}${echo}`,
        message_id: randomUUID(),
      });
    }
    this.issued.push(String(body.access_token));
    const shaped: Record<string, unknown> = {
      access_token: body.access_token,
      expires_in: this.expiresIn ?? String(body.expires_in),
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      ...(typeof body.scope === 'string' ? { scope: body.scope } : {}),
    };
    if (body.refresh_token) {
      const previous = grantType === 'refresh_token' ? (this.#refreshCounts.get(form.refresh_token ?? '') ?? 0) : -1;
      this.#refreshCounts.set(String(body.refresh_token), previous + 1);
      Object.assign(shaped, {
        refresh_token: body.refresh_token,
        refresh_token_expires_in: this.refreshTokenExpiresIn ?? '43199',
        refresh_count: String(previous + 1),
      });
    }
    if (grantType === TOKEN_EXCHANGE) shaped.issued_token_type = body.issued_token_type;
    reply(200, shaped);
  }

  async stop(): Promise<void> {
    await Promise.all([this.#gateway, this.#internal].filter((s): s is Server => s !== undefined).map(close));
  }
}
