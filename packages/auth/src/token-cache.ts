import type { AuthContext } from './context.js';
import {
  AuthAbortedError,
  AuthTimeoutError,
  InvalidAuthInputError,
  NhsAuthError,
  TokenRefreshError,
} from './errors.js';

/** Default of `refreshMarginSeconds`: refresh 60 seconds before `expires_in` runs out. */
export const DEFAULT_REFRESH_MARGIN_SECONDS = 60;

/** What {@link TokenCache} needs of a token: when it expires. */
export interface CachedToken {
  /** When the token expires, in milliseconds since the epoch. */
  readonly expiresAt: number;
}

/**
 * Holds one token and refreshes it `refreshMarginSeconds` before it expires. However many
 * callers ask while a refresh runs, they all wait on the same one. A failed refresh rejects
 * every waiter with {@link TokenRefreshError} (or, when the request ran out of time or was
 * aborted, with that {@link AuthTimeoutError} or {@link AuthAbortedError}); the next call starts a
 * new attempt. {@link ApplicationRestrictedAuth} and {@link UserRestrictedAuth} each make one for
 * themselves; its constructor takes their internal context, so it is not part of the public API.
 */
export class TokenCache<T extends CachedToken> {
  readonly #fetchToken: (current: T | undefined) => Promise<T>;
  readonly #marginMs: number;
  readonly #context: AuthContext;
  #current: T | undefined;
  #inFlight: Promise<T> | undefined;

  /** @internal */
  constructor(
    context: AuthContext,
    fetchToken: (current: T | undefined) => Promise<T>,
    refreshMarginSeconds = DEFAULT_REFRESH_MARGIN_SECONDS,
  ) {
    if (!Number.isFinite(refreshMarginSeconds) || refreshMarginSeconds < 0) {
      throw new InvalidAuthInputError(
        'refreshMarginSeconds',
        `must be a non-negative number of seconds; got ${
          typeof refreshMarginSeconds === 'number' ? refreshMarginSeconds : typeof refreshMarginSeconds
        }`,
      );
    }
    this.#context = context;
    this.#fetchToken = fetchToken;
    this.#marginMs = refreshMarginSeconds * 1000;
  }

  /** The token held now, fresh or not. */
  get current(): T | undefined {
    return this.#current;
  }

  /** Whether `token` is set and more than the refresh margin away from expiry, by the cache's clock. */
  isFresh(token: T | undefined): token is T {
    return token !== undefined && this.#context.now() < token.expiresAt - this.#marginMs;
  }

  /**
   * The held token when it is fresh, else a new one (one request in flight, shared by every caller).
   *
   * @throws {@link TokenRefreshError}, {@link AuthTimeoutError} or {@link AuthAbortedError} when
   * getting a new token fails.
   */
  async get(): Promise<T> {
    const current = this.#current;
    if (this.isFresh(current)) {
      this.#context.emit('token.cache.hit', 'debug', { expiresAt: new Date(current.expiresAt).toISOString() });
      return current;
    }
    this.#inFlight ??= this.#refresh(current);
    return this.#inFlight;
  }

  /** Forget the token, e.g. after the API answered 401. */
  clear(): void {
    this.#current = undefined;
  }

  async #refresh(current: T | undefined): Promise<T> {
    this.#context.emit('token.refresh.started', 'debug', { hadToken: current !== undefined });
    try {
      const next = await this.#fetchToken(current);
      this.#current = next;
      return next;
    } catch (error) {
      const cause =
        error instanceof NhsAuthError
          ? { name: error.name, code: error.code, message: error.message }
          : this.#context.redactor.safeCause(error);
      this.#context.emit('token.refresh.failed', 'error', { cause });
      // A time limit or the caller's abort is said as such, to every waiter; the next call tries again.
      if (error instanceof AuthTimeoutError || error instanceof AuthAbortedError) throw error;
      throw new TokenRefreshError(`could not get a new access token: ${cause.message}`, { cause });
    } finally {
      this.#inFlight = undefined;
    }
  }
}
