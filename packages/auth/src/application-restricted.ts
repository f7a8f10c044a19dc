import { inspect } from 'node:util';
import { assertAssertionLifetime, CLIENT_ASSERTION_TYPE, createClientAssertion } from './client-assertion.js';
import { assertOptionsObject, assertRequiredString, AuthContext, type CommonAuthOptions } from './context.js';
import { resolveTokenUrl, type ApiPlatformEnvironment } from './environments.js';
import { InvalidAuthInputError } from './errors.js';
import { assertSigningKeyOption, type SigningKey } from './keys.js';
import { protectHeaders, type AuthRequest, type PreparedRequest, type RequestAuth } from './request-auth.js';
import { TokenCache, DEFAULT_REFRESH_MARGIN_SECONDS } from './token-cache.js';
import { requestToken, type TokenSet } from './token-endpoint.js';

/** Options of {@link ApplicationRestrictedAuth}; each is checked when it is made. */
export interface ApplicationRestrictedAuthOptions extends CommonAuthOptions {
  /** The app's API key (client id): the assertion's `iss` and `sub`. */
  readonly apiKey: string;
  /** The app's private key, whose `kid` is in its registered JWKS (see {@link loadSigningKey}). */
  readonly signingKey: SigningKey;
  /** `sandbox`, `int`, `prod`, or the token endpoint URL itself. */
  readonly environment: ApiPlatformEnvironment | string;
  /** Refresh this many seconds before the token expires. Default 60. */
  readonly refreshMarginSeconds?: number;
  /** Client assertion lifetime in seconds, more than 0 and at most 300. Default 300. */
  readonly assertionLifetimeSeconds?: number;
}

/**
 * API Platform application-restricted access: signed-JWT client credentials [APIM-JWT]. An RS512
 * client assertion signed with your key is exchanged (`client_credentials`) for an access token,
 * sent as `Authorization: Bearer`. Tokens are cached and renewed `refreshMarginSeconds` before
 * `expires_in` runs out, one request at a time. There is no refresh token; a new assertion is
 * minted when the token runs out [ISA-CC-TEST].
 *
 * @example
 * ```ts
 * const auth = new ApplicationRestrictedAuth({
 *   apiKey: process.env.NHS_API_KEY!,
 *   signingKey: loadSigningKey(readFileSync(process.env.NHS_PRIVATE_KEY!), process.env.NHS_KID!),
 *   environment: 'int',
 * });
 * const response = await authorisedFetch(auth, `${pdsBaseUrl}/Patient/9000000009`, {
 *   headers: { 'X-Request-ID': crypto.randomUUID() },
 * });
 * ```
 */
export class ApplicationRestrictedAuth implements RequestAuth {
  /** Always `application-restricted`. */
  readonly mode = 'application-restricted' as const;
  /** The token endpoint, from `environment`; also the assertion `aud`. */
  readonly tokenUrl: string;
  readonly #options: ApplicationRestrictedAuthOptions;
  readonly #context: AuthContext;
  readonly #cache: TokenCache<TokenSet>;

  /**
   * Checks the options; makes no request.
   *
   * @throws {@link InvalidAuthInputError} when an option is missing or wrong (`apiKey`,
   * `signingKey`, `environment`, `refreshMarginSeconds`, a common option);
   * {@link ClientAssertionLifetimeError} when `assertionLifetimeSeconds` is not in (0, 300].
   */
  constructor(options: ApplicationRestrictedAuthOptions) {
    assertOptionsObject(options, 'ApplicationRestrictedAuth');
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
    this.#options = options;
    this.#context = new AuthContext(options);
    // Known secrets: removed from every error, event and printed object, whole or in pieces.
    this.#context.redactor.add(options.apiKey, 'fixed');
    this.#context.redactor.addPrivateKey(options.signingKey.keyObject);
    this.#cache = new TokenCache(
      this.#context,
      () => this.#fetchToken(),
      options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS,
    );
  }

  async #fetchToken(): Promise<TokenSet> {
    const assertion = await createClientAssertion({
      apiKey: this.#options.apiKey,
      tokenUrl: this.tokenUrl,
      signingKey: this.#options.signingKey,
      now: this.#context.now(),
      ...(this.#options.assertionLifetimeSeconds !== undefined
        ? { lifetimeSeconds: this.#options.assertionLifetimeSeconds }
        : {}),
    });
    const tokens = await requestToken(this.#context, this.tokenUrl, {
      grant_type: 'client_credentials',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
    });
    return tokens;
  }

  /**
   * A valid access token, from the cache or a new one.
   *
   * @throws {@link TokenRefreshError} when getting one fails (its `cause` says why, e.g. a
   * {@link TokenEndpointError}); {@link AuthTimeoutError} or {@link AuthAbortedError} when the
   * token request ran out of time or was aborted.
   */
  async getAccessToken(): Promise<string> {
    return (await this.#cache.get()).accessToken;
  }

  /** The cached token set (without its secrets in any printed form). */
  async getTokenSet(): Promise<TokenSet> {
    return this.#cache.get();
  }

  /** `Authorization: Bearer <access token>`; rejects as {@link ApplicationRestrictedAuth.getAccessToken}. */
  async prepare(_request: AuthRequest): Promise<PreparedRequest> {
    return { headers: protectHeaders({ authorization: `Bearer ${await this.getAccessToken()}` }) };
  }

  /** Drop the cached token (for instance after a 401). */
  invalidate(): void {
    this.#cache.clear();
  }

  /** The mode, token URL and kid; no secrets. */
  toJSON(): Record<string, unknown> {
    return { mode: this.mode, tokenUrl: this.tokenUrl, kid: this.#options.signingKey.kid };
  }

  /** What `util.inspect` shows: the token URL and kid; no secrets. */
  [inspect.custom](): string {
    return `ApplicationRestrictedAuth { tokenUrl: '${this.tokenUrl}', kid: '${this.#options.signingKey.kid}' }`;
  }
}
