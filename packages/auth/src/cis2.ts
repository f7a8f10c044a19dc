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
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly userinfo_endpoint?: string;
  readonly jwks_uri: string;
  readonly id_token_signing_alg_values_supported?: readonly string[];
  readonly [field: string]: unknown;
}

export type AssuranceLevel = 1 | 2 | 3;

export interface Cis2ClientOptions extends CommonAuthOptions {
  /** `int`, `live`, or the discovery document URL (for a mock or a local stand-in). */
  readonly discovery: Cis2Environment | string;
  /** Your CIS2 client id (`…apps.national`): the ID token `aud`. */
  readonly clientId: string;
  readonly redirectUri: string;
  /** Client authentication at the CIS2 token endpoint: a secret (client_secret_post) or a key (private_key_jwt). */
  readonly clientSecret?: string;
  readonly signingKey?: SigningKey;
  /** Extra scopes; `openid` is always sent (CIS2-SCOPES names it `oidc` in one table; its examples use `openid`). */
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

/** What to keep between redirecting the user and handling the callback. Printing it hides the verifier. */
export class Cis2AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  constructor(url: string, state: string, nonce: string, codeVerifier: string) {
    this.url = url;
    this.state = state;
    this.nonce = nonce;
    this.codeVerifier = codeVerifier;
    Object.defineProperty(this, 'codeVerifier', { enumerable: false });
  }
  toJSON(): Record<string, unknown> {
    return { url: this.url, state: this.state };
  }
  [inspect.custom](): string {
    return `Cis2AuthorizationRequest { url: '${this.url}' }`;
  }
}

/** The CIS2 ID token claims this package reads. */
export interface Cis2IdTokenClaims extends JWTPayload {
  nonce?: string;
  acr?: string;
  amr?: string[];
  authentication_assurance_level?: string | number;
  id_assurance_level?: string | number;
  selected_roleid?: string;
}

/** A national RBAC role from UserInfo `nhsid_nrbac_roles` [ISA-USERINFO]. */
export interface NrbacRole {
  person_roleid: string;
  person_orgid?: string;
  org_code?: string;
  role_name?: string;
  role_code?: string;
  activities?: string[];
  activity_codes?: string[];
  [field: string]: unknown;
}

export interface Cis2UserInfo {
  sub: string;
  nhsid_nrbac_roles?: NrbacRole[];
  nhsid_useruid?: string;
  [field: string]: unknown;
}

/** The result of a successful sign-in. Printing it hides the tokens. */
export class Cis2Session {
  readonly idToken: string;
  readonly claims: Cis2IdTokenClaims;
  readonly tokens: TokenSet;
  readonly assuranceLevel: number;
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
  toJSON(): Record<string, unknown> {
    return {
      sub: this.claims.sub,
      assuranceLevel: this.assuranceLevel,
      selectedRoleId: this.claims.selected_roleid,
      tokens: this.tokens.toJSON(),
    };
  }
  [inspect.custom](): string {
    return `Cis2Session ${inspect(this.toJSON())}`;
  }
}

/** Read the assurance level from `authentication_assurance_level`, else from `acr` (`AAL3_ANY`). */
export function assuranceLevelOf(claims: Cis2IdTokenClaims): number | undefined {
  const raw = claims.authentication_assurance_level;
  if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
  if (typeof raw === 'string' && /^\d$/.test(raw)) return Number(raw);
  const acr = typeof claims.acr === 'string' ? /^AAL(\d)/.exec(claims.acr) : null;
  return acr?.[1] ? Number(acr[1]) : undefined;
}

const randomToken = () => randomBytes(32).toString('base64url');

/** CIS2 OpenID Connect for the separate authentication pattern: sign-in, ID token checks, UserInfo. */
export class Cis2Client {
  readonly discoveryUrl: string;
  readonly #options: Cis2ClientOptions;
  readonly #context: AuthContext;
  #discovery: { value: Promise<Cis2Discovery>; fetchedAt: number } | undefined;
  #jwks: { uri: string; keySet: ReturnType<typeof createRemoteJWKSet> } | undefined;

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

  /** The discovery document, fetched once and reused for `discoveryCacheSeconds`. */
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

  /** Build the authorization URL with state, nonce, PKCE S256 and, by default, role selection. */
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

  /** Check the callback's state, exchange the code (with the PKCE verifier) and verify the ID token. */
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
   * discovery gives it, `aud` = client id, `exp`, `nonce` (when given) and the assurance level.
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

  /** Call UserInfo with the CIS2 access token; with scope `nationalrbacaccess` it lists `nhsid_nrbac_roles`. */
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

  toJSON(): Record<string, unknown> {
    return {
      discoveryUrl: this.discoveryUrl,
      clientId: this.#options.clientId,
      requiredAssuranceLevel: this.requiredAssuranceLevel,
    };
  }

  [inspect.custom](): string {
    return `Cis2Client ${inspect(this.toJSON())}`;
  }
}

export interface SelectedRole {
  /** The value for `NHSD-Session-URID`. */
  readonly roleId: string;
  readonly source: 'selected_roleid' | 'userinfo' | 'caller';
  readonly role?: NrbacRole;
}

const ROLE_ID = /^\d+$/;

/**
 * Choose the session role [APIM-SEP-STEP9]: the caller's choice (which must be one of the user's
 * roles when UserInfo is given), else `selected_roleid` from the ID token, else the only role in
 * UserInfo `nhsid_nrbac_roles`.
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
