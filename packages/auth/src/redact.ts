import type { SafeCause } from './errors.js';

/** What a removed secret is replaced with in messages, events and printed objects. */
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

// Compact JWS/JWT, signed or unsecured (empty third part), whole or cut short (a header and
// part of the payload), a lone base64url JSON object (`eyJ...`), and PEM blocks, whole or cut.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
const PEM_PATTERN = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g;
const MIN_SECRET_LENGTH = 6;
/** A cause's message is cut to this many characters, after redaction. */
const MAX_CAUSE_LENGTH = 300;
/** Any run of this many characters from a known secret is treated as that secret. */
export const SECRET_PIECE_LENGTH = 12;
/** Fixed secrets up to this long are also searched for in their base64 and base64url forms. */
const ENCODE_FORMS_UP_TO = 1024;
/** Secrets that come and go (tokens, assertions) are kept up to this many; fixed ones always. */
const MAX_PASSING_SECRETS = 64;

/** The forms a secret takes inside base64/base64url text at each of the three byte alignments. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const whole = Math.floor((bytes.length - offset) / 3) * 3;
    if (whole < 9) continue;
    const chunk = bytes.subarray(offset, offset + whole);
    forms.push(chunk.toString('base64url'), chunk.toString('base64'));
  }
  const uri = encodeURIComponent(secret);
  if (uri !== secret) forms.push(uri);
  return forms;
}

/**
 * Knows every secret an auth object has seen (API key, client secret, private key, tokens,
 * assertions, authorization codes, PKCE verifiers) and removes them from text and objects: whole,
 * any run of 12 or more of their characters (so a body cut short by a gateway cannot hide one),
 * and their base64/base64url forms; plus anything shaped like a JWT or a PEM block. Redact first,
 * then cut: never the other way round. Each auth class has its own; use one yourself to clean
 * text of secrets you hold before logging it.
 *
 * @example
 * ```ts
 * const redactor = new Redactor();
 * redactor.add(process.env.NHS_API_SECRET, 'fixed');
 * console.log(redactor.redact(`answer: ${text}`));
 * ```
 */
export class Redactor {
  readonly #fixed = new Set<string>();
  readonly #passing = new Set<string>();
  /** Every {@link SECRET_PIECE_LENGTH}-character window of every secret form. */
  readonly #pieces = new Map<string, number>();
  readonly #short = new Set<string>();

  /**
   * Remember a secret value so it is removed wherever it later appears. `passing` secrets
   * (tokens, assertions) are forgotten oldest first once there are many (64); `fixed` ones are
   * kept. Values shorter than 6 characters, and non-strings, are ignored.
   */
  add(secret: string | undefined, kind: 'fixed' | 'passing' = 'passing'): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    if (this.#fixed.has(secret) || this.#passing.has(secret)) return;
    if (kind === 'fixed') this.#fixed.add(secret);
    else {
      this.#passing.add(secret);
      if (this.#passing.size > MAX_PASSING_SECRETS) {
        const oldest = this.#passing.values().next().value as string;
        this.#passing.delete(oldest);
        this.#index(oldest, false, -1);
      }
    }
    this.#index(secret, kind === 'fixed', 1);
  }

  /** A private key: its PEM forms, each PEM line, and the JWK private parts. */
  addPrivateKey(key: { export(options: object): string | Buffer | object } | undefined): void {
    if (!key) return;
    const forms: unknown[] = [];
    for (const options of [{ format: 'pem', type: 'pkcs8' }, { format: 'pem', type: 'pkcs1' }, { format: 'jwk' }]) {
      try {
        forms.push(key.export(options));
      } catch {
        // Not every key has every form.
      }
    }
    for (const form of forms) {
      if (typeof form === 'string' || Buffer.isBuffer(form)) {
        const pem = String(form);
        this.add(pem, 'fixed');
        const body = pem.split('\n').filter((line) => line && !line.startsWith('-----'));
        for (const line of body) this.add(line, 'fixed');
        this.add(body.join(''), 'fixed');
      } else if (form && typeof form === 'object') {
        for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi']) this.add((form as Record<string, string>)[part], 'fixed');
      }
    }
  }

  /** Count each window of the secret's forms in (`delta` 1) or out (-1). */
  #index(secret: string, encoded: boolean, delta: 1 | -1): void {
    const forms = [secret, ...(encoded && secret.length <= ENCODE_FORMS_UP_TO ? encodedForms(secret) : [])];
    for (const form of forms) {
      if (form.length < SECRET_PIECE_LENGTH) {
        if (delta > 0) this.#short.add(form);
        else if (!this.#fixed.has(form)) this.#short.delete(form);
        continue;
      }
      for (let i = 0; i + SECRET_PIECE_LENGTH <= form.length; i++) {
        const piece = form.slice(i, i + SECRET_PIECE_LENGTH);
        const count = (this.#pieces.get(piece) ?? 0) + delta;
        if (count > 0) this.#pieces.set(piece, count);
        else this.#pieces.delete(piece);
      }
    }
  }

  /** `text` with every known secret, JWT and PEM block replaced by {@link REDACTED}. */
  redact(text: string): string {
    let out = String(text);
    if (this.#pieces.size > 0 && out.length >= SECRET_PIECE_LENGTH) {
      // Mark every character covered by a window that is a piece of a secret, then replace each
      // marked run once.
      const marked = new Uint8Array(out.length);
      let any = false;
      for (let i = 0; i + SECRET_PIECE_LENGTH <= out.length; i++) {
        if (this.#pieces.has(out.slice(i, i + SECRET_PIECE_LENGTH))) {
          marked.fill(1, i, i + SECRET_PIECE_LENGTH);
          any = true;
        }
      }
      if (any) {
        let result = '';
        for (let i = 0; i < out.length; ) {
          if (marked[i]) {
            while (i < out.length && marked[i]) i++;
            result += REDACTED;
          } else {
            result += out[i];
            i++;
          }
        }
        out = result;
      }
    }
    // Longest first, so a short secret that contains another is removed whole.
    for (const secret of [...this.#short].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
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
        message: this.redact(`${error.message}${nestedMessage}`).slice(0, MAX_CAUSE_LENGTH),
      };
    }
    return { name: 'Error', message: this.redact(String(error)).slice(0, MAX_CAUSE_LENGTH) };
  }
}
