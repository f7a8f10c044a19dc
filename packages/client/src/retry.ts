/**
 * When a failed attempt is tried again, and after how long. The rules (docs/design/retries.md):
 * 429 and 503 are retried for every call, because the server did not act on it and the retry
 * carries the same `X-Request-ID`, which API Platform APIs use to de-duplicate; 502, 504, an
 * attempt's time limit and a dropped connection are retried only for idempotent calls, because
 * the server may have acted on a write before the answer was lost.
 */

export interface RetryOptions {
  /** Attempts after the first; Spine guidance is at most 3. Default 3. */
  readonly maxRetries?: number;
  /** First back-off step in ms, doubled each attempt, with full jitter. Default 250. */
  readonly baseDelayMs?: number;
  /** Largest wait between attempts, also for `Retry-After`. Default 20,000. */
  readonly maxDelayMs?: number;
}

/** The retry policy when `retry` is left out: 3 retries, a first back-off of 250 ms, waits of at most 20 s. */
export const DEFAULT_RETRY: Required<RetryOptions> = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 20_000 };

/** Statuses retried whatever the method. */
const ALWAYS_RETRIED = new Set([429, 503]);
/** Statuses retried for idempotent calls only. */
const IDEMPOTENT_RETRIED = new Set([502, 504]);

export function isRetriedStatus(status: number, idempotent: boolean): boolean {
  return ALWAYS_RETRIED.has(status) || (idempotent && IDEMPOTENT_RETRIED.has(status));
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). PDS declares
 * the header as `RetryAfter` in its OpenAPI, so that spelling is read too. Undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential back-off with full jitter: a random wait in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
