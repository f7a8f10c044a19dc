/** What happened to one call; a small fixed set, so log processors can switch on it. */
export type ClientEventType = 'request' | 'response' | 'retry' | 'error' | 'validation';

/**
 * An event for the logging hook. It never holds a secret: the URL has no query string (which can
 * carry identifiers), headers are not included, and text from the server is redacted.
 */
export interface ClientEvent {
  readonly type: ClientEventType;
  readonly api: string;
  readonly operation: string;
  readonly method: string;
  /** Origin and path, no query. */
  readonly url: string;
  readonly requestId: string;
  readonly attempt: number;
  readonly status?: number;
  /** Milliseconds since this attempt started. */
  readonly ms?: number;
  /** For `retry`: how long the client waits before the next attempt. */
  readonly delayMs?: number;
  /** For `error` and `retry`: the error class or the reason, redacted. */
  readonly reason?: string;
  /** For `validation`: how many issues of severity error the response had. */
  readonly errors?: number;
}

/**
 * The `logger` option: called once per event, synchronously; an exception it throws is ignored and does not
 * change the call.
 */
export type ClientLogger = (event: ClientEvent) => void;
