import { inspect } from 'node:util';
import { assertAssertionLifetime, CLIENT_ASSERTION_TYPE, createClientAssertion } from './client-assertion.js';
import { assertOptionsObject, assertRequiredString, AuthContext, type CommonAuthOptions } from './context.js';
import { resolveTokenUrl, type ApiPlatformEnvironment } from './environments.js';
import { InvalidAuthInputError, preview } from './errors.js';
import { assertSigningKeyOption, type SigningKey } from './keys.js';
import { protectHeaders, type AuthRequest, type PreparedRequest, type RequestAuth } from './request-auth.js';
import { TokenCache, DEFAULT_REFRESH_MARGIN_SECONDS } from './token-cache.js';
import { requestToken, type TokenSet } from './token-endpoint.js';

/** The RFC 8693 token-exchange `grant_type` used to exchange the CIS2 ID token. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** The `subject_token_type` of the exchange: the subject token is an ID token. */
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

/** Options of {@link UserRestrictedAuth}; each is checked when it is made. */
export interface UserRestrictedAuthOptions extends CommonAuthOptions {
  /** The app's API key (client id). */
  readonly apiKey: string;
  /**
   * The app's API secret, for the refresh grant. Required unless `refreshClientAuthentication`
   * is `client_assertion`.
   */
  readonly apiSecret?: string;
  /** The app's private key for the exchange's client assertion (see {@link loadSigningKey}). */
  readonly signingKey: SigningKey;
  /** `sandbox`, `int`, `prod`, or the token endpoint URL itself. */
  readonly environment: ApiPlatformEnvironment | string;
  /**
   * The CIS2 ID token to exchange ({@link Cis2Session.idToken}), or a function that returns a
   * current one; the function is called again whenever the refresh token is missing or expired.
   */
  readonly idToken: string | (() => Promise<string>);
  /**
   * The user's role profile id, digits, sent as `NHSD-Session-URID` (see {@link selectSessionRole}).
   * Needed when the user has more than one role.
   */
  readonly sessionRoleId?: string;
  /** Refresh this many seconds before the access token expires. Default 60. */
  readonly refreshMarginSeconds?: number;
  /** Client assertion lifetime in seconds, more than 0 and at most 300. Default 300. */
  readonly assertionLifetimeSeconds?: number;
  /**
   * How the refresh grant authenticates: `client_secret` (client_id + client_secret, what the
   * platform's own tests do [ISA-TX-TEST], the default) or `client_assertion`.
   */
  readonly refreshClientAuthentication?: 'client_secret' | 'client_assertion';
}

/**
 * API Platform user-restricted access, CIS2 separate authentication [APIM-SEP]: the CIS2 ID token
 * (from {@link Cis2Client}) is exchanged (RFC 8693, with an RS512 client assertion) for an access
 * token, which is then refreshed with the refresh grant while the refresh token lasts, and
 * exchanged again after. Requests get `Authorization: Bearer` and, with `sessionRoleId`,
 * `NHSD-Session-URID`. Tokens are cached and renewed `refreshMarginSeconds` before they expire.
 *
 * @example
 * ```ts
 * const session = await cis2.handleCallback(callbackUrl, pending);
 * const userInfo = await cis2.fetchUserInfo(session.accessToken);
 * const role = selectSessionRole({ idTokenClaims: session.claims, userInfo });
 * const auth = new UserRestrictedAuth({
 *   apiKey: process.env.NHS_API_KEY!,
 *   apiSecret: process.env.NHS_API_SECRET!,
 *   signingKey,
 *   environment: 'int',
 *   idToken: session.idToken,
 *   sessionRoleId: role.roleId,
 * });
 * ```
 */
export class UserRestrictedAuth implements RequestAuth {
  /** Always `user-restricted`. */
  readonly mode = 'user-restricted' as const;
  /** The token endpoint, from `environment`; also the assertion `aud`. */
  readonly tokenUrl: string;
  readonly #options: UserRestrictedAuthOptions;
  readonly #context: AuthContext;
  readonly #cache: TokenCache<TokenSet>;

  /**
   * Checks the options; makes no request.
   *
   * @throws {@link InvalidAuthInputError} when an option is missing or wrong (`apiKey`,
   * `signingKey`, `environment`, `idToken`, `sessionRoleId` not digits, `apiSecret` missing for
   * the `client_secret` refresh, ...); {@link ClientAssertionLifetimeError} when
   * `assertionLifetimeSeconds` is not in (0, 300].
   */
  constructor(options: UserRestrictedAuthOptions) {
    assertOptionsObject(options, 'UserRestrictedAuth');
    assertRequiredString(options.apiKey, 'apiKey', 'the API key');
    assertSigningKeyOption(options.signingKey, 'signingKey');
    this.tokenUrl = resolveTokenUrl(options.environment);
    if (
      options.refreshMarginSeconds !== undefined &&
      (typeof options.refreshMarginSeconds !== 'number' ||
        !Number.isFinite(options.refreshMarginSeconds) ||
        options.refreshMarginSeconds < 0)
    )
      throw new InvalidAuthInputError('refreshMarginSeconds', 'must be a non-negative number of seconds');
    if (options.assertionLifetimeSeconds !== undefined && typeof options.assertionLifetimeSeconds !== 'number')
      throw new InvalidAuthInputError('assertionLifetimeSeconds', 'must be a number of seconds, at most 300');
    if (options.assertionLifetimeSeconds !== undefined) assertAssertionLifetime(options.assertionLifetimeSeconds);
    if (
      options.sessionRoleId !== undefined &&
      (typeof options.sessionRoleId !== 'string' || !/^\d{1,20}$/.test(options.sessionRoleId))
    ) {
      throw new InvalidAuthInputError(
        'sessionRoleId',
        `NHSD-Session-URID is a role profile id, digits only; got ${preview(options.sessionRoleId)}`,
      );
    }
    if (typeof options.idToken === 'string') {
      if (options.idToken.length === 0) throw new InvalidAuthInputError('idToken', 'the CIS2 ID token is empty');
    } else if (typeof options.idToken !== 'function') {
      throw new InvalidAuthInputError('idToken', 'give the CIS2 ID token, or a function that returns a current one');
    }
    if (options.apiSecret !== undefined && (typeof options.apiSecret !== 'string' || options.apiSecret.length === 0))
      throw new InvalidAuthInputError('apiSecret', 'must be a non-empty string');
    const refreshAuth = options.refreshClientAuthentication ?? 'client_secret';
    if (refreshAuth !== 'client_secret' && refreshAuth !== 'client_assertion')
      throw new InvalidAuthInputError('refreshClientAuthentication', 'must be client_secret or client_assertion');
    if (refreshAuth === 'client_secret' && !options.apiSecret) {
      throw new InvalidAuthInputError(
        'apiSecret',
        'the refresh grant authenticates with the API secret; ' +
          'give apiSecret or set refreshClientAuthentication to client_assertion',
      );
    }
    this.#options = options;
    this.#context = new AuthContext(options);
    // Known secrets: removed from every error, event and printed object, whole or in pieces.
    this.#context.redactor.add(options.apiKey, 'fixed');
    this.#context.redactor.addPrivateKey(options.signingKey.keyObject);
    this.#context.redactor.add(options.apiSecret, 'fixed');
    if (typeof options.idToken === 'string') this.#context.redactor.add(options.idToken, 'fixed');
    this.#cache = new TokenCache(
      this.#context,
      (current) => this.#fetchToken(current),
      options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS,
    );
  }

  async #assertion(): Promise<string> {
    return createClientAssertion({
      apiKey: this.#options.apiKey,
      tokenUrl: this.tokenUrl,
      signingKey: this.#options.signingKey,
      now: this.#context.now(),
      ...(this.#options.assertionLifetimeSeconds !== undefined
        ? { lifetimeSeconds: this.#options.assertionLifetimeSeconds }
        : {}),
    });
  }

  async #fetchToken(current: TokenSet | undefined): Promise<TokenSet> {
    const refreshToken = current?.refreshToken;
    const refreshUsable =
      refreshToken !== undefined &&
      (current?.refreshTokenExpiresAt === undefined || this.#context.now() < current.refreshTokenExpiresAt);
    if (refreshUsable) {
      const clientAuth: Record<string, string> =
        (this.#options.refreshClientAuthentication ?? 'client_secret') === 'client_secret'
          ? { client_id: this.#options.apiKey, client_secret: this.#options.apiSecret as string }
          : { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await this.#assertion() };
      return requestToken(this.#context, this.tokenUrl, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        ...clientAuth,
      });
    }
    const idToken = typeof this.#options.idToken === 'string' ? this.#options.idToken : await this.#options.idToken();
    if (typeof idToken !== 'string' || idToken.length === 0)
      throw new InvalidAuthInputError('idToken', 'the idToken function did not return a token');
    this.#context.redactor.add(idToken);
    return requestToken(this.#context, this.tokenUrl, {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: idToken,
      subject_token_type: ID_TOKEN_TYPE,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await this.#assertion(),
    });
  }

  /**
   * A valid access token: cached, refreshed, or from a new exchange of the ID token.
   *
   * @throws {@link TokenRefreshError} when getting one fails (its `cause` says why, e.g. a
   * {@link TokenEndpointError} for a rejected or expired ID token); {@link AuthTimeoutError} or
   * {@link AuthAbortedError} when the token request ran out of time or was aborted.
   */
  async getAccessToken(): Promise<string> {
    return (await this.#cache.get()).accessToken;
  }

  /** The current token set (printing it never shows the tokens); rejects as `getAccessToken`. */
  async getTokenSet(): Promise<TokenSet> {
    return this.#cache.get();
  }

  /**
   * `Authorization: Bearer <access token>` and, when `sessionRoleId` is set, `NHSD-Session-URID`;
   * rejects as {@link UserRestrictedAuth.getAccessToken}.
   */
  async prepare(_request: AuthRequest): Promise<PreparedRequest> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.getAccessToken()}` };
    if (this.#options.sessionRoleId) headers['NHSD-Session-URID'] = this.#options.sessionRoleId;
    return { headers: protectHeaders(headers) };
  }

  /**
   * Drop the cached tokens (for instance after a 401); the next call exchanges the ID token again.
   */
  invalidate(): void {
    this.#cache.clear();
  }

  /** The mode, token URL, kid and session role id; no secrets. */
  toJSON(): Record<string, unknown> {
    return {
      mode: this.mode,
      tokenUrl: this.tokenUrl,
      kid: this.#options.signingKey.kid,
      sessionRoleId: this.#options.sessionRoleId,
    };
  }

  /** What `util.inspect` shows: {@link UserRestrictedAuth.toJSON}. */
  [inspect.custom](): string {
    return `UserRestrictedAuth ${inspect(this.toJSON())}`;
  }
}
