import type { SafeCause } from './errors.js';

export const REDACTED = '[REDACTED]';

/** Field names whose values are always secret, whatever they hold. */
const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'subject_token',
  'client_assertion',
  'client_secret',
  'code',
  'code_verifier',
  'authorization',
  'password',
  'privatekey',
  'private_key',
  'secret',
  'apisecret',
  'assertion',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
]);

// Compact JWS/JWT, signed or unsecured (empty third part), and PEM blocks.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;
const PEM_PATTERN = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g;
const MIN_SECRET_LENGTH = 6;

/**
 * Knows every secret an auth object has seen (tokens, assertions, client secrets, PKCE verifiers)
 * and removes them, plus anything shaped like a JWT or PEM block, from text and objects.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Remember a secret value so it is removed wherever it later appears. */
  add(secret: string | undefined): void {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) this.#secrets.add(secret);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out.replace(PEM_PATTERN, REDACTED).replace(JWT_PATTERN, REDACTED);
  }

  /** A deep copy with secret fields replaced and every string redacted. */
  redactDeep<T>(value: T): T {
    return this.#deep(value, new WeakSet()) as T;
  }

  #deep(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => this.#deep(item, seen));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_FIELDS.has(key.toLowerCase()) && item !== undefined ? REDACTED : this.#deep(item, seen);
    }
    return out;
  }

  /** Reduce any thrown value to a {@link SafeCause}: name, code and a redacted message only. */
  safeCause(error: unknown): SafeCause {
    if (error instanceof Error) {
      const code = (error as { code?: unknown }).code;
      const nested = (error as { cause?: unknown }).cause;
      // undici's "fetch failed" hides the useful part (ECONNREFUSED, a TLS alert) in its cause.
      const nestedMessage = nested instanceof Error ? `: ${nested.message}` : '';
      return {
        name: error.name,
        ...(typeof code === 'string' ? { code } : {}),
        message: this.redact(`${error.message}${nestedMessage}`),
      };
    }
    return { name: 'Error', message: this.redact(String(error)) };
  }
}
