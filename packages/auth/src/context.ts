import type { Dispatcher } from 'undici';
import type { AuthEventType, AuthLogger } from './logging.js';
import { Redactor } from './redact.js';

/** Options every auth object takes. */
export interface CommonAuthOptions {
  /** Receives redacted events. */
  logger?: AuthLogger;
  /** Milliseconds since the epoch; injectable so tests need no timers. Defaults to Date.now. */
  now?: () => number;
  /** undici dispatcher for calls this package makes itself (token, discovery, JWKS, UserInfo). */
  dispatcher?: Dispatcher;
}

/** The redactor, logger and clock one auth object shares between its parts. */
export class AuthContext {
  readonly redactor: Redactor;
  readonly now: () => number;
  readonly dispatcher: Dispatcher | undefined;
  readonly #logger: AuthLogger | undefined;

  constructor(options: CommonAuthOptions = {}, redactor = new Redactor()) {
    this.redactor = redactor;
    this.now = options.now ?? Date.now;
    this.dispatcher = options.dispatcher;
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
