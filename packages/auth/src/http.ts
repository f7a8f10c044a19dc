import { fetch, type RequestInit } from 'undici';
import type { AuthContext } from './context.js';
import { AuthAbortedError, AuthTimeoutError, TransportError } from './errors.js';

/**
 * Answers from token, discovery and UserInfo endpoints are small; more than this many bytes
 * (1 MB) is not read: the answer is treated as having no usable body.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** What is kept of an answer: never its headers, and its body only up to {@link MAX_RESPONSE_BYTES}. */
export interface LimitedResponse {
  readonly status: number;
  readonly ok: boolean;
  /** The content type, cut to 100 characters. */
  readonly contentType: string | undefined;
  /** Bytes read; when `truncated`, more were sent. */
  readonly length: number;
  readonly truncated: boolean;
  readonly text: string;
}

/** The signal for one request: the caller's signal and the context's time limit. */
export function requestSignal(context: AuthContext): { signal: AbortSignal; timeout: AbortSignal } {
  const timeout = AbortSignal.timeout(context.timeoutMs);
  return { signal: context.signal ? AbortSignal.any([timeout, context.signal]) : timeout, timeout };
}

/**
 * Turn a failure while `signal` was live into this package's error: the caller's abort, the
 * time limit, or a transport failure with a redacted cause.
 */
export function requestFailure(context: AuthContext, url: string, what: string, error: unknown, timeout?: AbortSignal) {
  if (error instanceof AuthTimeoutError || error instanceof AuthAbortedError || error instanceof TransportError)
    return error;
  if (context.signal?.aborted) return new AuthAbortedError(url, what);
  const name = (error as { name?: unknown } | null)?.name;
  if (timeout?.aborted || name === 'TimeoutError') return new AuthTimeoutError(url, context.timeoutMs, what);
  return new TransportError(url, `${what} failed`, { cause: context.redactor.safeCause(error) });
}

/**
 * One request with the context's dispatcher, time limit (sending to the last byte) and signal.
 * Rejects only with {@link AuthTimeoutError}, {@link AuthAbortedError} or {@link TransportError}.
 */
export async function limitedFetch(
  context: AuthContext,
  url: string,
  init: Omit<RequestInit, 'signal' | 'dispatcher'>,
  what: string,
): Promise<LimitedResponse> {
  const { signal, timeout } = requestSignal(context);
  try {
    if (signal.aborted) throw signal.reason;
    const response = await fetch(url, {
      ...init,
      signal,
      ...(context.dispatcher ? { dispatcher: context.dispatcher } : {}),
    });
    const chunks: Buffer[] = [];
    let length = 0;
    let truncated = false;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        length += value.byteLength;
        if (length > MAX_RESPONSE_BYTES) {
          truncated = true;
          await reader.cancel().catch(() => {});
          break;
        }
        chunks.push(Buffer.from(value));
      }
    }
    // Redacted before it is cut: a careless server may echo a secret in any header.
    const rawType = response.headers.get('content-type');
    const contentType = rawType === null ? undefined : context.redactor.redact(rawType).slice(0, 100);
    return {
      status: response.status,
      ok: response.ok,
      contentType,
      length,
      truncated,
      text: truncated ? '' : Buffer.concat(chunks).toString('utf8'),
    };
  } catch (error) {
    throw requestFailure(context, url, what, error, timeout);
  }
}
