import { inspect } from 'node:util';
import { assertAssertionLifetime, CLIENT_ASSERTION_TYPE, createClientAssertion } from './client-assertion.js';
import { assertOptionsObject, assertRequiredString, AuthContext, type CommonAuthOptions } from './context.js';
import { resolveTokenUrl, type ApiPlatformEnvironment } from './environments.js';
import { InvalidAuthInputError } from './errors.js';
import { assertSigningKeyOption, type SigningKey } from './keys.js';
import { protectHeaders, type AuthRequest, type PreparedRequest, type RequestAuth } from './request-auth.js';
import { TokenCache, DEFAULT_REFRESH_MARGIN_SECONDS } from './token-cache.js';
import { requestToken, type TokenSet } from './token-endpoint.js';

export interface ApplicationRestrictedAuthOptions extends CommonAuthOptions {
  /** The app's API key (client id). */
  readonly apiKey: string;
  readonly signingKey: SigningKey;
  /** `sandbox`, `int`, `prod`, or the token endpoint URL itself. */
  readonly environment: ApiPlatformEnvironment | string;
  /** Refresh this many seconds before the token expires. Default 60. */
  readonly refreshMarginSeconds?: number;
  /** Client assertion lifetime, at most 300 s. Default 300. */
  readonly assertionLifetimeSeconds?: number;
}

/**
 * API Platform application-restricted access: signed-JWT client credentials [APIM-JWT].
 * There is no refresh token; a new assertion is minted when the token runs out [ISA-CC-TEST].
 */
export class ApplicationRestrictedAuth implements RequestAuth {
  readonly mode = 'application-restricted' as const;
  readonly tokenUrl: string;
  readonly #options: ApplicationRestrictedAuthOptions;
  readonly #context: AuthContext;
  readonly #cache: TokenCache<TokenSet>;

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

  /** A valid access token, from the cache or a new one. */
  async getAccessToken(): Promise<string> {
    return (await this.#cache.get()).accessToken;
  }

  /** The cached token set (without its secrets in any printed form). */
  async getTokenSet(): Promise<TokenSet> {
    return this.#cache.get();
  }

  async prepare(_request: AuthRequest): Promise<PreparedRequest> {
    return { headers: protectHeaders({ authorization: `Bearer ${await this.getAccessToken()}` }) };
  }

  /** Drop the cached token (for instance after a 401). */
  invalidate(): void {
    this.#cache.clear();
  }

  toJSON(): Record<string, unknown> {
    return { mode: this.mode, tokenUrl: this.tokenUrl, kid: this.#options.signingKey.kid };
  }

  [inspect.custom](): string {
    return `ApplicationRestrictedAuth { tokenUrl: '${this.tokenUrl}', kid: '${this.#options.signingKey.kid}' }`;
  }
}
