import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import { fetch } from 'undici';
import { limitedFetch, requestFailure, requestSignal } from './http.js';
import { CLIENT_ASSERTION_TYPE, createClientAssertion } from './client-assertion.js';
import { assertOptionsObject, assertRequiredString, AuthContext, type CommonAuthOptions } from './context.js';
import { CIS2_DISCOVERY_URLS, type Cis2Environment } from './environments.js';
import {
  AuthAbortedError,
  AuthTimeoutError,
  AssuranceLevelError,
  AuthorizationResponseError,
  DiscoveryError,
  IdTokenValidationError,
  InvalidAuthInputError,
  RoleSelectionError,
  UserInfoError,
  type IdTokenFailure,
} from './errors.js';
import { assertSigningKeyOption, type SigningKey } from './keys.js';
import { assertEndpointUrl, assertHttpUrl } from './spine-jwt.js';
import { requestToken, type TokenSet } from './token-endpoint.js';

/** The parts of the discovery document this package uses. */
export interface Cis2Discovery {
  /** The issuer, compared exactly with the ID token's `iss` (CIS2's carries `:443`). */
  readonly issuer: string;
  /** Where the user is sent to sign in. */
  readonly authorization_endpoint: string;
  /** Where the code is exchanged. */
  readonly token_endpoint: string;
  /** Where {@link Cis2Client.fetchUserInfo} asks. */
  readonly userinfo_endpoint?: string;
  /** The provider's signing keys, for ID token signatures. */
  readonly jwks_uri: string;
  /** When sent, the only algorithms an ID token may be signed with (`none` is never accepted). */
  readonly id_token_signing_alg_values_supported?: readonly string[];
  /** The rest of the document. */
  readonly [field: string]: unknown;
}

/**
 * A CIS2 authentication assurance level: 3 is AAL3 ("very high", e.g. smartcard), 2 is AAL2
 * ("high"). Pick what the API you call requires.
 */
export type AssuranceLevel = 1 | 2 | 3;

/** Options of {@link Cis2Client}: your CIS2 client registration and what to ask CIS2 for. */
export interface Cis2ClientOptions extends CommonAuthOptions {
  /** `int`, `live`, or the discovery document URL (for a mock or a local stand-in). */
  readonly discovery: Cis2Environment | string;
  /** Your CIS2 client id (`…apps.national`): the ID token `aud`. */
  readonly clientId: string;
  /** Your registered redirect URI, where CIS2 sends the user back with the code. */
  readonly redirectUri: string;
  /**
   * Client authentication at the CIS2 token endpoint: a secret (client_secret_post) or, without
   * one, `signingKey` (private_key_jwt). One of the two is required.
   */
  readonly clientSecret?: string;
  /** Signs a client assertion for the CIS2 token endpoint when there is no `clientSecret`. */
  readonly signingKey?: SigningKey;
  /**
   * Extra scopes. Default `['profile']`. `openid` is always sent (CIS2-SCOPES names it `oidc` in
   * one table; its examples use `openid`).
   */
  readonly scopes?: readonly string[];
  /** Ask CIS2 for its role picker: adds scope `selectedrole` and `prompt=login` [CIS2-ROLE]. Default true. */
  readonly selectRole?: boolean;
  /** Ask for `nhsid_nrbac_roles` in UserInfo: adds scope `nationalrbacaccess`. Default true. */
  readonly nationalRbacAccess?: boolean;
  /** Lowest acceptable `authentication_assurance_level`. Default 3 (AAL3). */
  readonly requiredAssuranceLevel?: AssuranceLevel;
  /** Optional `acr_values` to send, e.g. `AAL3_ANY`. Unset by default; the ID token is checked either way. */
  readonly acrValues?: string;
  /** Allowed clock skew for `exp`/`iat`, seconds. Default 30. */
  readonly clockToleranceSeconds?: number;
  /** How long a discovery document is reused. Default 3600 s (the CIS2 guidance's upper bound). */
  readonly discoveryCacheSeconds?: number;
}

/**
 * What to keep between redirecting the user and handling the callback: send the user to `url`,
 * keep the object in their server-side session, and give it to {@link Cis2Client.handleCallback}.
 * Printing it hides the PKCE verifier.
 */
export class Cis2AuthorizationRequest {
  /** The CIS2 authorization URL to redirect the user to. */
  readonly url: string;
  /** The `state` sent; the callback must return it. */
  readonly state: string;
  /** The `nonce` sent; the ID token must carry it. */
  readonly nonce: string;
  /** The PKCE code verifier; a secret, not enumerable. */
  readonly codeVerifier: string;
  /** Made by {@link Cis2Client.createAuthorizationRequest}. */
  constructor(url: string, state: string, nonce: string, codeVerifier: string) {
    this.url = url;
    this.state = state;
    this.nonce = nonce;
    this.codeVerifier = codeVerifier;
    Object.defineProperty(this, 'codeVerifier', { enumerable: false });
  }
  /** `url` and `state`; the nonce and verifier are left out. */
  toJSON(): Record<string, unknown> {
    return { url: this.url, state: this.state };
  }
  /** What `util.inspect` shows: the URL only. */
  [inspect.custom](): string {
    return `Cis2AuthorizationRequest { url: '${this.url}' }`;
  }
}

/** The CIS2 ID token claims this package reads. */
export interface Cis2IdTokenClaims extends JWTPayload {
  /** The nonce of the authorization request. */
  nonce?: string;
  /** e.g. `AAL3_ANY`; its level is used when `authentication_assurance_level` is absent. */
  acr?: string;
  /** How the user signed in, e.g. `N3_SMARTCARD`. */
  amr?: string[];
  /** The authentication assurance level, 1 to 3 (a number or a digit string). */
  authentication_assurance_level?: string | number;
  /** The identity assurance level. */
  id_assurance_level?: string | number;
  /** The role the user picked in CIS2's role picker (scope `selectedrole`): a role profile id. */
  selected_roleid?: string;
}

/** A national RBAC role from UserInfo `nhsid_nrbac_roles` [ISA-USERINFO]. */
export interface NrbacRole {
  /** The role profile id: the value for `NHSD-Session-URID`. */
  person_roleid: string;
  /** The organisation id CIS2 gives with the role. */
  person_orgid?: string;
  /** ODS code of the role's organisation. */
  org_code?: string;
  /** The role's name. */
  role_name?: string;
  /** Job role code, e.g. `S8001:G8002:R8008`. */
  role_code?: string;
  /** Names of the role's national RBAC activities. */
  activities?: string[];
  /** National RBAC activity codes (B-codes), for the client's access decisions. */
  activity_codes?: string[];
  /** Other fields CIS2 sends (`workgroups`, `aow`, ...). */
  [field: string]: unknown;
}

/** The CIS2 UserInfo answer ({@link Cis2Client.fetchUserInfo}). */
export interface Cis2UserInfo {
  /** The user's subject id, as in the ID token. */
  sub: string;
  /** The user's roles; present with scope `nationalrbacaccess`. */
  nhsid_nrbac_roles?: NrbacRole[];
  /** The user's CIS2 user id. */
  nhsid_useruid?: string;
  /** Other claims CIS2 sends (`name`, `uid`, `nhsid_org_memberships`, ...). */
  [field: string]: unknown;
}

/**
 * The result of a successful CIS2 sign-in ({@link Cis2Client.handleCallback}): the verified ID
 * token, to exchange with {@link UserRestrictedAuth}, and the CIS2 tokens. Printing it hides the tokens.
 */
export class Cis2Session {
  /** The verified CIS2 ID token; a secret, not enumerable. */
  readonly idToken: string;
  /** The ID token's verified claims. */
  readonly claims: Cis2IdTokenClaims;
  /** The CIS2 token response. */
  readonly tokens: TokenSet;
  /** The ID token's authentication assurance level (0 when it names none). */
  readonly assuranceLevel: number;
  /** Made by {@link Cis2Client.handleCallback}. */
  constructor(idToken: string, claims: Cis2IdTokenClaims, tokens: TokenSet, assuranceLevel: number) {
    this.idToken = idToken;
    this.claims = claims;
    this.tokens = tokens;
    this.assuranceLevel = assuranceLevel;
    Object.defineProperty(this, 'idToken', { enumerable: false });
  }
  /** The CIS2 access token, for UserInfo. */
  get accessToken(): string {
    return this.tokens.accessToken;
  }
  /** `sub`, assurance level, selected role id and the token set's non-secret fields. */
  toJSON(): Record<string, unknown> {
    return {
      sub: this.claims.sub,
      assuranceLevel: this.assuranceLevel,
      selectedRoleId: this.claims.selected_roleid,
      tokens: this.tokens.toJSON(),
    };
  }
  /** What `util.inspect` shows: {@link Cis2Session.toJSON}. */
  [inspect.custom](): string {
    return `Cis2Session ${inspect(this.toJSON())}`;
  }
}

/**
 * Read the assurance level from `authentication_assurance_level`, else from `acr` (`AAL3_ANY`
 * gives 3); undefined when neither names one.
 */
export function assuranceLevelOf(claims: Cis2IdTokenClaims): number | undefined {
  const raw = claims.authentication_assurance_level;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && /^\d$/.test(raw)) return Number(raw);
  const acr = typeof claims.acr === 'string' ? /^AAL(\d)/.exec(claims.acr) : null;
  return acr?.[1] ? Number(acr[1]) : undefined;
}

const randomToken = () => randomBytes(32).toString('base64url');

/**
 * CIS2 OpenID Connect for the API Platform's separate authentication pattern: the user signs in
 * with CIS2 directly (authorization code flow with PKCE, state and nonce; by default CIS2's role
 * picker and national RBAC roles), the ID token is verified, and UserInfo gives the roles. Give
 * the resulting {@link Cis2Session.idToken} to {@link UserRestrictedAuth}, with a role from
 * {@link selectSessionRole}.
 *
 * @example
 * ```ts
 * const cis2 = new Cis2Client({
 *   discovery: 'int',
 *   clientId: process.env.CIS2_CLIENT_ID!,
 *   clientSecret: process.env.CIS2_CLIENT_SECRET!,
 *   redirectUri: 'https://my-app.example.nhs.uk/callback',
 * });
 * const pending = await cis2.createAuthorizationRequest(); // redirect to pending.url, keep pending
 * // on the callback:
 * const session = await cis2.handleCallback(callbackUrl, pending);
 * ```
 */
export class Cis2Client {
  /** The discovery document URL, from the `discovery` option. */
  readonly discoveryUrl: string;
  readonly #options: Cis2ClientOptions;
  readonly #context: AuthContext;
  #discovery: { value: Promise<Cis2Discovery>; fetchedAt: number } | undefined;
  #jwks: { uri: string; keySet: ReturnType<typeof createRemoteJWKSet> } | undefined;

  /**
   * Checks the options; makes no request.
   *
   * @throws {@link InvalidAuthInputError} when an option is missing or wrong (`discovery` not
   * `int`, `live` or an https URL (http on loopback only), no `clientId`, a bad `redirectUri`,
   * neither `clientSecret` nor `signingKey`, `requiredAssuranceLevel` not 1 to 3, a negative
   * number of seconds, ...).
   */
  constructor(options: Cis2ClientOptions) {
    assertOptionsObject(options, 'Cis2Client');
    if (typeof options.discovery !== 'string')
      throw new InvalidAuthInputError('discovery', 'give int, live or the discovery document URL');
    this.discoveryUrl = Object.hasOwn(CIS2_DISCOVERY_URLS, options.discovery)
      ? CIS2_DISCOVERY_URLS[options.discovery as Cis2Environment]
      : assertEndpointUrl(options.discovery, 'discovery').href;
    assertRequiredString(options.clientId, 'clientId', 'the CIS2 client id');
    assertHttpUrl(options.redirectUri, 'redirectUri');
    if (options.clientSecret !== undefined && (typeof options.clientSecret !== 'string' || !options.clientSecret))
      throw new InvalidAuthInputError('clientSecret', 'must be a non-empty string');
    if (options.signingKey !== undefined) assertSigningKeyOption(options.signingKey, 'signingKey');
    if (!options.clientSecret && !options.signingKey)
      throw new InvalidAuthInputError('clientSecret', 'give clientSecret or signingKey for the CIS2 token endpoint');
    const level = options.requiredAssuranceLevel ?? 3;
    if (![1, 2, 3].includes(level)) throw new InvalidAuthInputError('requiredAssuranceLevel', 'must be 1, 2 or 3');
    for (const field of ['clockToleranceSeconds', 'discoveryCacheSeconds'] as const) {
      const value = options[field];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value < 0))
        throw new InvalidAuthInputError(field, 'must be a non-negative number of seconds');
    }
    this.#options = options;
    this.#context = new AuthContext(options);
    this.#context.redactor.add(options.clientSecret, 'fixed');
    this.#context.redactor.addPrivateKey(options.signingKey?.keyObject);
  }

  /** The lowest assurance level ID tokens must have: `requiredAssuranceLevel`, default 3. */
  get requiredAssuranceLevel(): AssuranceLevel {
    return this.#options.requiredAssuranceLevel ?? 3;
  }

  /** GET JSON within the time limit; rejects with AuthTimeoutError, AuthAbortedError or TransportError. */
  async #getJson(
    url: string,
    what: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown; summary: string }> {
    const response = await limitedFetch(
      this.#context,
      url,
      { headers: { accept: 'application/json', ...headers } },
      what,
    );
    const size = `${response.length}${response.truncated ? '+' : ''} bytes`;
    const summary = `HTTP ${response.status} (${response.contentType ?? 'no content type'}, ${size})`;
    try {
      return { status: response.status, body: response.truncated ? undefined : JSON.parse(response.text), summary };
    } catch {
      return { status: response.status, body: undefined, summary };
    }
  }

  /**
   * The discovery document, fetched once and reused for `discoveryCacheSeconds` (default 3600);
   * a failed fetch is not cached.
   *
   * @throws {@link DiscoveryError} when it cannot be fetched or lacks an endpoint;
   * {@link AuthTimeoutError} or {@link AuthAbortedError}.
   */
  async discover(): Promise<Cis2Discovery> {
    const maxAge = (this.#options.discoveryCacheSeconds ?? 3600) * 1000;
    if (!this.#discovery || this.#context.now() - this.#discovery.fetchedAt >= maxAge) {
      const value = this.#fetchDiscovery();
      this.#discovery = { value, fetchedAt: this.#context.now() };
      value.catch(() => {
        if (this.#discovery?.value === value) this.#discovery = undefined;
      });
    }
    return this.#discovery.value;
  }

  async #fetchDiscovery(): Promise<Cis2Discovery> {
    let result: { status: number; body: unknown; summary: string };
    try {
      result = await this.#getJson(this.discoveryUrl, 'discovery request');
    } catch (error) {
      if (error instanceof AuthTimeoutError || error instanceof AuthAbortedError) throw error;
      throw new DiscoveryError(`${this.discoveryUrl}: could not fetch the discovery document`, {
        cause: this.#context.redactor.safeCause(error),
      });
    }
    const doc = result.body as Partial<Cis2Discovery> | undefined;
    if (result.status !== 200 || !doc || typeof doc !== 'object')
      throw new DiscoveryError(`${this.discoveryUrl}: ${result.summary}, no discovery document`);
    for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof doc[field] !== 'string')
        throw new DiscoveryError(`${this.discoveryUrl}: ${field} missing from the discovery document`);
    }
    // Endpoints the client sends secrets to: https, or http on loopback only.
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint'] as const) {
      const value = doc[field];
      if (value === undefined) continue;
      try {
        assertEndpointUrl(value as string, field);
      } catch (error) {
        throw new DiscoveryError(`${this.discoveryUrl}: ${(error as Error).message}`);
      }
    }
    this.#context.emit('oidc.discovery', 'info', { discoveryUrl: this.discoveryUrl, issuer: doc.issuer });
    return doc as Cis2Discovery;
  }

  /**
   * Build the authorization URL with state, nonce, PKCE S256 and, by default, role selection
   * (scope `selectedrole` with `prompt=login`) and scope `nationalrbacaccess`.
   *
   * @param extra - `loginHint`, sent as `login_hint`.
   * @throws As {@link Cis2Client.discover}.
   */
  async createAuthorizationRequest(extra: { loginHint?: string } = {}): Promise<Cis2AuthorizationRequest> {
    const discovery = await this.discover();
    const state = randomToken();
    const nonce = randomToken();
    const codeVerifier = randomToken();
    this.#context.redactor.add(codeVerifier);
    const scopes = new Set(['openid', ...(this.#options.scopes ?? ['profile'])]);
    const selectRole = this.#options.selectRole ?? true;
    if (selectRole) scopes.add('selectedrole');
    if (this.#options.nationalRbacAccess ?? true) scopes.add('nationalrbacaccess');
    const url = new URL(discovery.authorization_endpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: this.#options.clientId,
      redirect_uri: this.#options.redirectUri,
      scope: [...scopes].join(' '),
      state,
      nonce,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...(selectRole ? { prompt: 'login' } : {}),
      ...(this.#options.acrValues ? { acr_values: this.#options.acrValues } : {}),
      ...(extra.loginHint ? { login_hint: extra.loginHint } : {}),
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    this.#context.emit('oidc.authorization.created', 'debug', {
      authorizationEndpoint: discovery.authorization_endpoint,
      scope: params.scope,
    });
    return new Cis2AuthorizationRequest(url.href, state, nonce, codeVerifier);
  }

  /**
   * Check the callback's state (and `iss`, when sent), exchange the code (with the PKCE verifier)
   * at the CIS2 token endpoint and verify the ID token as {@link Cis2Client.validateIdToken} does.
   *
   * @param callback - The callback URL the user arrived at, or its query parameters.
   * @param pending - What {@link Cis2Client.createAuthorizationRequest} returned for this user.
   * @throws {@link AuthorizationResponseError} for a state mismatch, an `error` parameter, a wrong
   * `iss` or no code; {@link TokenEndpointError} when the code is refused, {@link TokenResponseError}
   * when the answer is unusable;
   * {@link IdTokenValidationError} or {@link AssuranceLevelError} when the ID token fails a check;
   * {@link InvalidAuthInputError} when `callback` is not a URL; as {@link Cis2Client.discover}.
   */
  async handleCallback(
    callback: string | URL | URLSearchParams,
    pending: Cis2AuthorizationRequest,
  ): Promise<Cis2Session> {
    let params: URLSearchParams;
    try {
      params = callback instanceof URLSearchParams ? callback : new URL(String(callback)).searchParams;
    } catch {
      throw new InvalidAuthInputError('callback', 'not a URL');
    }
    // The code is a secret from the moment it arrives, even if the checks below fail.
    this.#context.redactor.add(params.get('code') ?? undefined);
    const state = params.get('state');
    if (state !== pending.state)
      throw new AuthorizationResponseError('the callback state does not match the authorization request');
    const error = params.get('error');
    if (error) {
      const description = params.get('error_description');
      throw new AuthorizationResponseError(
        `CIS2 returned ${error}${description ? `: ${this.#context.redactor.redact(description)}` : ''}`,
        error,
      );
    }
    const discovery = await this.discover();
    // RFC 9207: when the provider names itself in the callback, it must be the discovered issuer.
    const callbackIssuer = params.get('iss');
    if (callbackIssuer !== null && callbackIssuer !== discovery.issuer) {
      throw new AuthorizationResponseError(
        `the callback iss ${JSON.stringify(callbackIssuer)} is not the discovery issuer ` +
          JSON.stringify(discovery.issuer),
      );
    }
    const code = params.get('code');
    if (!code) throw new AuthorizationResponseError('the callback has no code');
    this.#context.redactor.add(code);
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.#options.redirectUri,
      code_verifier: pending.codeVerifier,
      client_id: this.#options.clientId,
      ...(await this.#clientAuthentication(discovery.token_endpoint)),
    };
    const tokens = await requestToken(this.#context, discovery.token_endpoint, form);
    if (!tokens.idToken) throw new IdTokenValidationError('malformed', 'the token response has no id_token');
    const claims = await this.validateIdToken(tokens.idToken, { nonce: pending.nonce });
    return new Cis2Session(tokens.idToken, claims, tokens, assuranceLevelOf(claims) ?? 0);
  }

  async #clientAuthentication(tokenEndpoint: string): Promise<Record<string, string>> {
    if (this.#options.clientSecret) return { client_secret: this.#options.clientSecret };
    const assertion = await createClientAssertion({
      apiKey: this.#options.clientId,
      tokenUrl: tokenEndpoint,
      signingKey: this.#options.signingKey as SigningKey,
      now: this.#context.now(),
    });
    return { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
  }

  #keySet(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
    if (this.#jwks?.uri !== jwksUri) {
      const context = this.#context;
      this.#jwks = {
        uri: jwksUri,
        keySet: createRemoteJWKSet(new URL(jwksUri), {
          // jose applies its own limit too; ours (with the caller's signal) is the one that counts.
          timeoutDuration: context.timeoutMs + 1000,
          [customFetch]: async (url: string, init: RequestInit) => {
            const { signal, timeout } = requestSignal(context);
            try {
              return (await fetch(url, {
                ...(init as object),
                signal,
                ...(context.dispatcher ? { dispatcher: context.dispatcher } : {}),
              })) as unknown as Response;
            } catch (error) {
              throw requestFailure(context, url, 'JWKS request', error, timeout);
            }
          },
        }),
      };
    }
    return this.#jwks.keySet;
  }

  /**
   * Verify an ID token against the discovery document and its JWKS: signature, `iss` exactly as
   * discovery gives it, `aud` = client id, `exp` (with `clockToleranceSeconds`, default 30),
   * `nonce` (when given) and the assurance level.
   *
   * @param expected - The `nonce` to require, and a `requiredAssuranceLevel` overriding the client's.
   * @returns The verified claims.
   * @throws {@link IdTokenValidationError} (its `reason` says which check failed);
   * {@link AssuranceLevelError} when the level is missing or too low; {@link AuthTimeoutError}
   * when the JWKS does not arrive in time; as {@link Cis2Client.discover}.
   */
  async validateIdToken(
    idToken: string,
    expected: { nonce?: string; requiredAssuranceLevel?: AssuranceLevel } = {},
  ): Promise<Cis2IdTokenClaims> {
    if (typeof idToken !== 'string' || idToken.length === 0)
      throw new IdTokenValidationError('malformed', 'the ID token must be a non-empty string');
    this.#context.redactor.add(idToken);
    const discovery = await this.discover();
    let payload: Cis2IdTokenClaims;
    try {
      const verified = await jwtVerify<Cis2IdTokenClaims>(idToken, this.#keySet(discovery.jwks_uri), {
        issuer: discovery.issuer,
        audience: this.#options.clientId,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(this.#context.now()),
        clockTolerance: this.#options.clockToleranceSeconds ?? 30,
        ...(discovery.id_token_signing_alg_values_supported
          ? { algorithms: [...discovery.id_token_signing_alg_values_supported].filter((alg) => alg !== 'none') }
          : {}),
      });
      payload = verified.payload;
    } catch (error) {
      if (error instanceof AuthTimeoutError || error instanceof AuthAbortedError) throw error;
      if ((error as { code?: unknown } | null)?.code === 'ERR_JWKS_TIMEOUT')
        throw new AuthTimeoutError(discovery.jwks_uri, this.#context.timeoutMs, 'JWKS request');
      throw this.#rejected(this.#idTokenFailure(error, idToken, discovery.issuer));
    }
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce) {
      throw this.#rejected(new IdTokenValidationError('nonce', 'nonce does not match the authorization request'));
    }
    const required = expected.requiredAssuranceLevel ?? this.requiredAssuranceLevel;
    const level = assuranceLevelOf(payload);
    if (level === undefined || level < required) throw this.#rejected(new AssuranceLevelError(required, level));
    this.#context.emit('oidc.id_token.accepted', 'info', {
      sub: payload.sub,
      assuranceLevel: level,
      selectedRoleId: payload.selected_roleid,
    });
    return payload;
  }

  #rejected<E extends Error & { code: string }>(error: E): E {
    this.#context.emit('oidc.id_token.rejected', 'warn', { code: error.code, message: error.message });
    return error;
  }

  #idTokenFailure(error: unknown, idToken: string, issuer: string): IdTokenValidationError {
    const code = (error as { code?: unknown }).code;
    const claim = (error as { claim?: unknown }).claim;
    let claims: JWTPayload = {};
    try {
      claims = decodeJwt(idToken);
    } catch {
      return new IdTokenValidationError('malformed', 'not a JWT');
    }
    const reasons: Record<string, [IdTokenFailure, string]> = {
      ERR_JWT_EXPIRED: ['expired', `exp ${String(claims.exp)} has passed`],
      ERR_JWS_SIGNATURE_VERIFICATION_FAILED: ['signature', 'signature does not verify with the provider JWKS'],
      ERR_JWKS_NO_MATCHING_KEY: ['signature', 'no key in the provider JWKS matches the token kid'],
      ERR_JOSE_ALG_NOT_ALLOWED: ['signature', 'signing algorithm not allowed'],
      ERR_JWS_INVALID: ['malformed', 'not a valid JWS'],
      ERR_JWT_INVALID: ['malformed', 'not a valid JWT'],
    };
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
      if (claim === 'iss')
        return new IdTokenValidationError(
          'issuer',
          `iss ${JSON.stringify(claims.iss)} is not the discovery issuer ${JSON.stringify(issuer)}`,
        );
      if (claim === 'aud')
        return new IdTokenValidationError(
          'audience',
          `aud ${JSON.stringify(claims.aud)} does not include client id ${JSON.stringify(this.#options.clientId)}`,
        );
      if (claim === 'nbf' || claim === 'iat')
        return new IdTokenValidationError('not-yet-valid', `${String(claim)} is in the future`);
      return new IdTokenValidationError('claims', `claim ${String(claim)} failed validation`);
    }
    const known = typeof code === 'string' ? reasons[code] : undefined;
    if (known) return new IdTokenValidationError(known[0], known[1]);
    return new IdTokenValidationError(
      'signature',
      `verification failed (${typeof code === 'string' ? code : 'unknown error'})`,
    );
  }

  /**
   * Call UserInfo with the CIS2 access token ({@link Cis2Session.accessToken}); with scope
   * `nationalrbacaccess` it lists `nhsid_nrbac_roles`.
   *
   * @throws {@link UserInfoError} when discovery has no UserInfo endpoint or the call fails;
   * {@link InvalidAuthInputError} for an empty token; {@link AuthTimeoutError} or
   * {@link AuthAbortedError}; as {@link Cis2Client.discover}.
   */
  async fetchUserInfo(accessToken: string): Promise<Cis2UserInfo> {
    assertRequiredString(accessToken, 'accessToken', 'the CIS2 access token');
    this.#context.redactor.add(accessToken);
    const discovery = await this.discover();
    if (!discovery.userinfo_endpoint)
      throw new UserInfoError(`${this.discoveryUrl}: no userinfo_endpoint in discovery`);
    let result: { status: number; body: unknown; summary: string };
    try {
      result = await this.#getJson(discovery.userinfo_endpoint, 'UserInfo request', {
        authorization: `Bearer ${accessToken}`,
      });
    } catch (error) {
      if (error instanceof AuthTimeoutError || error instanceof AuthAbortedError) throw error;
      throw new UserInfoError(`${discovery.userinfo_endpoint}: request failed`, {
        cause: this.#context.redactor.safeCause(error),
      });
    }
    const body = result.body as Cis2UserInfo | undefined;
    if (result.status !== 200 || !body || typeof body.sub !== 'string')
      throw new UserInfoError(`${discovery.userinfo_endpoint}: ${result.summary}, no UserInfo`);
    this.#context.emit('oidc.userinfo', 'debug', { sub: body.sub, roles: body.nhsid_nrbac_roles?.length ?? 0 });
    return body;
  }

  /** The discovery URL, client id and required assurance level; never the client secret. */
  toJSON(): Record<string, unknown> {
    return {
      discoveryUrl: this.discoveryUrl,
      clientId: this.#options.clientId,
      requiredAssuranceLevel: this.requiredAssuranceLevel,
    };
  }

  /** What `util.inspect` shows: {@link Cis2Client.toJSON}. */
  [inspect.custom](): string {
    return `Cis2Client ${inspect(this.toJSON())}`;
  }
}

/** The session role {@link selectSessionRole} chose. */
export interface SelectedRole {
  /** The value for `NHSD-Session-URID` (`sessionRoleId` of {@link UserRestrictedAuthOptions}). */
  readonly roleId: string;
  /** Where it came from: the ID token's `selected_roleid`, the only UserInfo role, or the caller. */
  readonly source: 'selected_roleid' | 'userinfo' | 'caller';
  /** The UserInfo role with that id, when UserInfo was given and lists it. */
  readonly role?: NrbacRole;
}

const ROLE_ID = /^\d+$/;

/**
 * Choose the session role [APIM-SEP-STEP9]: the caller's choice (which must be one of the user's
 * roles when UserInfo is given), else `selected_roleid` from the ID token, else the only role in
 * UserInfo `nhsid_nrbac_roles`. Role ids must be digits.
 *
 * @throws {@link RoleSelectionError} with `reason` `no-roles`, `ambiguous` (several roles, none
 * chosen), `not-found` or `invalid`.
 *
 * @example
 * ```ts
 * const role = selectSessionRole({ idTokenClaims: session.claims, userInfo });
 * // role.roleId goes to UserRestrictedAuth as sessionRoleId
 * ```
 */
export function selectSessionRole(input: {
  idTokenClaims?: Cis2IdTokenClaims;
  userInfo?: Cis2UserInfo;
  roleId?: string;
}): SelectedRole {
  const roles = input.userInfo?.nhsid_nrbac_roles;
  const find = (id: string) => roles?.find((role) => role.person_roleid === id);
  const checked = (id: string, source: SelectedRole['source']): SelectedRole => {
    if (!ROLE_ID.test(id))
      throw new RoleSelectionError('invalid', `role id ${JSON.stringify(id)} from ${source} is not digits`);
    if (roles && !find(id))
      throw new RoleSelectionError(
        'not-found',
        `role ${id} from ${source} is not one of the user's ${roles.length} roles`,
      );
    const role = find(id);
    return role ? { roleId: id, source, role } : { roleId: id, source };
  };
  if (input.roleId !== undefined) return checked(input.roleId, 'caller');
  const selected = input.idTokenClaims?.selected_roleid;
  if (typeof selected === 'string' && selected.length > 0) return checked(selected, 'selected_roleid');
  if (!roles || roles.length === 0)
    throw new RoleSelectionError(
      'no-roles',
      'the user has no role: no selected_roleid in the ID token and no nhsid_nrbac_roles in UserInfo',
    );
  if (roles.length > 1) {
    throw new RoleSelectionError(
      'ambiguous',
      `the user has ${roles.length} roles and none was selected; ask CIS2 for selectedrole or pass roleId`,
    );
  }
  return checked((roles[0] as NrbacRole).person_roleid, 'userinfo');
}
