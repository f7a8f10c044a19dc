import type { Dispatcher } from 'undici';
import { InvalidAuthInputError } from './errors.js';
import type { AuthEventType, AuthLogger } from './logging.js';
import { Redactor } from './redact.js';

/**
 * How long a request this package makes itself may take, in milliseconds (10,000), unless
 * `timeoutMs` says otherwise.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Options every auth object takes: logging, clock, transport and time limits. Each is checked
 * when the object is made ({@link InvalidAuthInputError} names the option at fault).
 */
export interface CommonAuthOptions {
  /** Receives redacted events. Default: none. */
  logger?: AuthLogger;
  /** Milliseconds since the epoch; injectable so tests need no timers. Defaults to Date.now. */
  now?: () => number;
  /**
   * undici dispatcher for calls this package makes itself (token, discovery, JWKS, UserInfo), e.g.
   * a proxy agent. Not used for the API calls, nor for Spine-direct's mutual TLS.
   */
  dispatcher?: Dispatcher;
  /**
   * Time limit for each request this package makes itself (token, discovery, JWKS, UserInfo),
   * from sending to the last byte of the answer, in milliseconds. Default 10,000. Past it the
   * call rejects with `AuthTimeoutError` (`ERR_AUTH_TIMEOUT`).
   */
  timeoutMs?: number;
  /** Aborts every request this package is making or will make; they reject with `AuthAbortedError`. */
  signal?: AbortSignal;
}

/** The options argument itself must be an object. */
export function assertOptionsObject(options: unknown, what: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new InvalidAuthInputError('options', `${what} takes an options object`);
}

/** A required non-empty string option. */
export function assertRequiredString(value: unknown, field: string, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0)
    throw new InvalidAuthInputError(field, `${what} is required (a non-empty string)`);
}

/** Check the options every auth object takes; each mistake names its option. */
export function assertCommonOptions(options: CommonAuthOptions): void {
  if (options.logger !== undefined && typeof options.logger !== 'function')
    throw new InvalidAuthInputError('logger', 'must be a function');
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new InvalidAuthInputError('now', 'must be a function returning milliseconds since the epoch');
  if (
    options.timeoutMs !== undefined &&
    (typeof options.timeoutMs !== 'number' ||
      !Number.isInteger(options.timeoutMs) ||
      options.timeoutMs < 1 ||
      options.timeoutMs > 2_147_483_647)
  )
    throw new InvalidAuthInputError('timeoutMs', `must be a whole number of milliseconds, 1 or more`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal))
    throw new InvalidAuthInputError('signal', 'must be an AbortSignal');
  if (
    options.dispatcher !== undefined &&
    (options.dispatcher === null || typeof (options.dispatcher as { dispatch?: unknown }).dispatch !== 'function')
  )
    throw new InvalidAuthInputError('dispatcher', 'must be an undici Dispatcher');
}

/** The redactor, logger, clock and time limits one auth object shares between its parts. */
export class AuthContext {
  readonly redactor: Redactor;
  readonly now: () => number;
  readonly dispatcher: Dispatcher | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly #logger: AuthLogger | undefined;

  constructor(options: CommonAuthOptions = {}, redactor = new Redactor()) {
    assertCommonOptions(options);
    this.redactor = redactor;
    this.now = options.now ?? Date.now;
    this.dispatcher = options.dispatcher;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.signal = options.signal;
    this.#logger = options.logger;
  }

  emit(type: AuthEventType, level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, unknown> = {}): void {
    if (!this.#logger) return;
    const event = this.redactor.redactDeep({ ...fields, type, level, time: new Date(this.now()).toISOString() });
    try {
      this.#logger(event);
    } catch {
      // A failing logger must not break authentication.
    }
  }
}
