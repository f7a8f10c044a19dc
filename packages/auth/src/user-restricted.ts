import { inspect } from 'node:util';
import { assertAssertionLifetime, CLIENT_ASSERTION_TYPE, createClientAssertion } from './client-assertion.js';
import { assertOptionsObject, assertRequiredString, AuthContext, type CommonAuthOptions } from './context.js';
import { resolveTokenUrl, type ApiPlatformEnvironment } from './environments.js';
import { InvalidAuthInputError, preview } from './errors.js';
import { assertSigningKeyOption, type SigningKey } from './keys.js';
import { protectHeaders, type AuthRequest, type PreparedRequest, type RequestAuth } from './request-auth.js';
import { TokenCache, DEFAULT_REFRESH_MARGIN_SECONDS } from './token-cache.js';
import { requestToken, type TokenSet } from './token-endpoint.js';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';

export interface UserRestrictedAuthOptions extends CommonAuthOptions {
  /** The app's API key (client id). */
  readonly apiKey: string;
  /** The app's API secret, for the refresh grant. */
  readonly apiSecret?: string;
  readonly signingKey: SigningKey;
  /** `sandbox`, `int`, `prod`, or the token endpoint URL itself. */
  readonly environment: ApiPlatformEnvironment | string;
  /** The CIS2 ID token to exchange, or a function that returns a current one. */
  readonly idToken: string | (() => Promise<string>);
  /** The user's role profile id, sent as `NHSD-Session-URID` (see `selectSessionRole`). */
  readonly sessionRoleId?: string;
  /** Refresh this many seconds before the access token expires. Default 60. */
  readonly refreshMarginSeconds?: number;
  /** Client assertion lifetime, at most 300 s. Default 300. */
  readonly assertionLifetimeSeconds?: number;
  /**
   * How the refresh grant authenticates: `client_secret` (client_id + client_secret, what the
   * platform's own tests do [ISA-TX-TEST], the default) or `client_assertion`.
   */
  readonly refreshClientAuthentication?: 'client_secret' | 'client_assertion';
}

/**
 * API Platform user-restricted access, CIS2 separate authentication [APIM-SEP]: the CIS2 ID token
 * is exchanged for an access token, which is then refreshed with the refresh grant.
 */
export class UserRestrictedAuth implements RequestAuth {
  readonly mode = 'user-restricted' as const;
  readonly tokenUrl: string;
  readonly #options: UserRestrictedAuthOptions;
  readonly #context: AuthContext;
  readonly #cache: TokenCache<TokenSet>;

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

  async getAccessToken(): Promise<string> {
    return (await this.#cache.get()).accessToken;
  }

  async getTokenSet(): Promise<TokenSet> {
    return this.#cache.get();
  }

  async prepare(_request: AuthRequest): Promise<PreparedRequest> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.getAccessToken()}` };
    if (this.#options.sessionRoleId) headers['NHSD-Session-URID'] = this.#options.sessionRoleId;
    return { headers: protectHeaders(headers) };
  }

  invalidate(): void {
    this.#cache.clear();
  }

  toJSON(): Record<string, unknown> {
    return {
      mode: this.mode,
      tokenUrl: this.tokenUrl,
      kid: this.#options.signingKey.kid,
      sessionRoleId: this.#options.sessionRoleId,
    };
  }

  [inspect.custom](): string {
    return `UserRestrictedAuth ${inspect(this.toJSON())}`;
  }
}
