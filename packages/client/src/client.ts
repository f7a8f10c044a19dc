import { randomUUID } from 'node:crypto';
import { Redactor, type RequestAuth } from '@nhs-fhir/auth';
import { Client as FhirKitClient } from 'fhir-kit-client';
import { type Dispatcher, request } from 'undici';
import type { ApiSpec, Environment, OperationSpec } from './api-spec.js';
import { buildRequestParts } from './arguments.js';
import {
  AbortedError,
  type CallSite,
  ClientConfigError,
  errorForStatus,
  InvalidArgumentError,
  NetworkError,
  type NhsApiError,
  ResponseValidationError,
  TimeoutError,
  UnexpectedResponseError,
} from './errors.js';
import type { FhirResource, OperationOutcome, SearchBundle } from './fhir.js';
import type { ClientEvent, ClientLogger } from './logging.js';
import {
  emptySearchset,
  emptySearchsetReason,
  isNotFoundOutcome,
  isOperationOutcome,
  outcomeNoData,
} from './no-data.js';
import { attachResponseInfo, type NoData, type ResponseInfo } from './response-info.js';
import { backoffDelay, DEFAULT_RETRY, isRetriedStatus, parseRetryAfter, type RetryOptions, sleep } from './retry.js';
import { EtagMemory, ifMatchForResource, resourceKey } from './versioning.js';

/**
 * What to do with a body that fails its profile: `off` (do not validate), `warn` (log a `validation` event and
 * go on), or `error` (refuse a request body with InvalidArgumentError before sending it, and fail a response
 * with ResponseValidationError).
 */
export type ValidateMode = 'off' | 'warn' | 'error';

/** Checks a resource against its profile (or base type) and reports as an OperationOutcome; never throws. */
export type ResourceValidator = (resource: unknown) => OperationOutcome;

/** Options of every generated client (`createPdsClient(options)`, ...) and of ApiClient. */
export interface ClientOptions {
  /** Which published base URL to use; the API's presets are in its package README. */
  environment?: Environment;
  /** Overrides `environment` (a local sandbox, a mock, a proxy). `http:` only for loopback hosts. */
  baseUrl?: string;
  /** Any `RequestAuth` of `@nhs-fhir/auth`. May be left out for a sandbox or a local server. */
  auth?: RequestAuth;
  /** Sent as `X-Correlation-ID` on every call (a call's own option wins). */
  correlationId?: string;
  /** Sent as `NHSD-End-User-Organisation-ODS` on every call. */
  endUserOrganisationOds?: string;
  /** Time limit per attempt, including reading the body. Default 30,000 ms. */
  timeoutMs?: number;
  /** Time limit for the whole call, retries and waits included. Default 90,000 ms. */
  totalTimeoutMs?: number;
  /** Retry policy, or `false` for none. */
  retry?: RetryOptions | false;
  /**
   * Check bodies against their profiles: a request body before it is sent (`error` refuses it, `warn` logs it)
   * and each response body. Default `off`.
   */
  validate?: ValidateMode;
  /** Receives one redacted event per request, response, retry and error. */
  logger?: ClientLogger;
  /** A larger body is refused with UnexpectedResponseError. Default 32 MiB. */
  maxResponseBytes?: number;
  /** An undici dispatcher for calls whose auth brings none (a proxy, a test agent). */
  dispatcher?: Dispatcher;
}

/** Options of one call, the last argument of every client method; each wins over the client's option. */
export interface CallOptions {
  /** Aborts the call (and its retries); the call then rejects with AbortedError. */
  signal?: AbortSignal;
  /** Time limit per attempt for this call, in ms; default the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Time limit for the whole call, retries included, in ms; default the client's `totalTimeoutMs`. */
  totalTimeoutMs?: number;
  /** Sent as `X-Correlation-ID` on this call. */
  correlationId?: string;
  /**
   * Resend a call with the `X-Request-ID` it first went out with (from the error it ended in), so the
   * API can recognise a write it already applied.
   */
  requestId?: string;
  /** Validation of this call's bodies; default the client's `validate`. */
  validate?: ValidateMode;
}

/** What a generated client adds to the runtime: how to load its validator. */
export interface ClientHooks {
  /** Loaded on first use, so a client that never validates never loads the tables. */
  loadValidator?: () => Promise<ResourceValidator>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_TOTAL_TIMEOUT_MS = 90_000;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const JSON_MEDIA = /^application\/(?:[\w.+-]*\+)?json\b/i;
const SECRET_HEADER = /authorization|token|secret|api-?key|assertion/i;

interface Attempt {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly text: string;
}

/** Why an attempt's signal fired. */
type AbortReason = 'attempt' | 'total' | 'caller';

/**
 * The runtime behind every generated client: checks arguments, sends each call with undici's `request()`
 * with the auth's headers and dispatcher, one `X-Request-ID` for all its attempts, retries by
 * `retry.ts`'s rules, and turns the answer into the typed body or a typed error.
 */
export class ApiClient {
  /** The API this client calls. */
  readonly spec: ApiSpec;
  /** The base URL every call goes to, without a trailing slash. */
  readonly baseUrl: string;
  readonly #options: ClientOptions;
  readonly #hooks: ClientHooks;
  readonly #retry: Required<RetryOptions> | undefined;
  readonly #etags = new EtagMemory();
  #validator: Promise<ResourceValidator> | undefined;
  #fhir: FhirKitClient | undefined;

  /**
   * @throws ClientConfigError when the options cannot be used: no `environment` or `baseUrl`, an environment the
   * API publishes no base URL for, `int` or `prod` without `auth`, a `baseUrl` that is not https (http only for a
   * loopback host), a time limit or size that is not a positive number, an unknown `validate` mode.
   */
  constructor(spec: ApiSpec, options: ClientOptions, hooks: ClientHooks = {}) {
    if (options === null || typeof options !== 'object') {
      throw new ClientConfigError(spec.name, 'options', 'expected an object');
    }
    this.spec = spec;
    this.#options = options;
    this.#hooks = hooks;
    this.baseUrl = resolveBaseUrl(spec, options);
    this.#retry = options.retry === false ? undefined : { ...DEFAULT_RETRY, ...options.retry };
    for (const name of ['timeoutMs', 'totalTimeoutMs', 'maxResponseBytes'] as const) {
      const value = options[name];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        throw new ClientConfigError(
          spec.name,
          name,
          `expected a positive number of ${name.endsWith('Ms') ? 'ms' : 'bytes'}`,
        );
      }
    }
    if (options.validate !== undefined && !['off', 'warn', 'error'].includes(options.validate)) {
      throw new ClientConfigError(spec.name, 'validate', "expected 'off', 'warn' or 'error'");
    }
  }

  /** Calls one operation of the API by the name its client method has. */
  async call<T>(operation: string, args: unknown, options: CallOptions = {}): Promise<T> {
    const spec = this.spec.operations[operation];
    if (spec === undefined) throw new ClientConfigError(this.spec.name, 'operation', `no operation ${operation}`);
    const requestId = options.requestId ?? randomUUID();
    const url = (target: string) => `${this.baseUrl}${target}`;
    const site: CallSite = { api: this.spec.name, operation, method: spec.method, url: '', requestId };
    const parts = buildRequestParts(site, spec, args);
    const fullUrl = url(parts.target);
    const callSite: CallSite = { ...site, url: withoutQuery(fullUrl) };
    if (options.requestId !== undefined && !UUID.test(options.requestId)) {
      throw new ClientConfigError(this.spec.name, 'requestId', 'expected a UUID (the X-Request-ID of an earlier call)');
    }
    const headers: Record<string, string> = {
      accept: 'application/fhir+json, application/json;q=0.9',
      'X-Request-ID': requestId,
      ...spec.fixedHeaders,
      ...parts.headers,
    };
    for (const name of this.spec.traceHeaders ?? []) headers[name] = requestId;
    const correlationId = options.correlationId ?? this.#options.correlationId;
    if (correlationId !== undefined) headers['X-Correlation-ID'] = correlationId;
    if (this.#options.endUserOrganisationOds !== undefined) {
      headers['NHSD-End-User-Organisation-ODS'] = this.#options.endUserOrganisationOds;
    }
    if (spec.prefer !== undefined) headers['Prefer'] = spec.prefer;
    let body: string | undefined;
    if (parts.body !== undefined && spec.body !== undefined) {
      headers['Content-Type'] = spec.body.contentType;
      body = JSON.stringify(parts.body);
    }
    if (spec.ifMatch !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'if-match')) {
      const key = resourceKey(parts.path);
      const ifMatch = ifMatchForResource(parts.body) ?? (key ? this.#etags.recall(key) : undefined);
      if (ifMatch !== undefined) headers['If-Match'] = ifMatch;
      else if (spec.ifMatch === 'required') {
        throw new ClientConfigError(
          this.spec.name,
          'If-Match',
          `${operation} needs If-Match: pass 'If-Match' (the ETag of a read: responseOf(resource).etag), ` +
            'send the resource with meta.versionId, or read it with this client first',
        );
      }
    }
    if (parts.body !== undefined && spec.body?.resourceType !== undefined) {
      await this.#validateRequest(callSite, parts.body, options.validate ?? this.#options.validate ?? 'off');
    }
    const result = await this.#send(callSite, spec, fullUrl, headers, body, options);
    return this.#interpret<T>(callSite, spec, parts.path, result, options);
  }

  /** Follows a searchset's `next` link on the same base URL; undefined when there is none. */
  async nextPage<T extends SearchBundle>(bundle: T, options: CallOptions = {}): Promise<T | undefined> {
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    if (next === undefined) return undefined;
    const target = new URL(next, `${this.baseUrl}/`);
    if (!target.href.startsWith(`${this.baseUrl}/`)) {
      throw new ClientConfigError(this.spec.name, 'nextPage', 'the next link leaves the base URL; not followed');
    }
    const requestId = options.requestId ?? randomUUID();
    const spec: OperationSpec = { method: 'GET', path: '', params: [], responses: {}, search: true, idempotent: true };
    const site: CallSite = {
      api: this.spec.name,
      operation: 'nextPage',
      method: 'GET',
      url: withoutQuery(target.href),
      requestId,
    };
    const headers = { accept: 'application/fhir+json, application/json;q=0.9', 'X-Request-ID': requestId };
    const result = await this.#send(site, spec, target.href, headers, undefined, options);
    return this.#interpret<T>(site, spec, target.pathname, result, options);
  }

  /**
   * An untyped fhir-kit-client on the same base URL, auth, dispatcher and request headers, for
   * interactions no generated method covers. It has no retries, time limits or typed errors of its
   * own (docs/design/operations-model.md says what it does and does not do).
   */
  get fhir(): FhirKitClient {
    this.#fhir ??= new FhirKitClient({
      baseUrl: this.baseUrl,
      // Typed as returning void, but fhir-kit-client 2.0.3 awaits it before building the Request.
      requestSigner: async (url: string, requestInit: RequestInit) => {
        const init = requestInit;
        const headers = init.headers as Headers;
        const prepared = this.#options.auth
          ? await this.#options.auth.prepare({ url, method: init.method ?? 'GET' })
          : { headers: {} as Record<string, string> };
        for (const [name, value] of Object.entries(prepared.headers)) headers.set(name, value);
        if (!headers.has('x-request-id')) headers.set('X-Request-ID', randomUUID());
        if (this.#options.correlationId) headers.set('X-Correlation-ID', this.#options.correlationId);
        if (this.#options.endUserOrganisationOds) {
          headers.set('NHSD-End-User-Organisation-ODS', this.#options.endUserOrganisationOds);
        }
        const dispatcher = prepared.dispatcher ?? this.#options.dispatcher;
        // Node's fetch takes an undici 7 Agent as its dispatcher (checked on Node 20.20).
        if (dispatcher) (init as { dispatcher?: unknown }).dispatcher = dispatcher;
      },
    });
    return this.#fhir;
  }

  async #send(
    site: CallSite,
    spec: OperationSpec,
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
    options: CallOptions,
  ): Promise<{ attempt: Attempt; attempts: number; redactor: Redactor }> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const totalMs = options.totalTimeoutMs ?? this.#options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
    const deadline = Date.now() + totalMs;
    const maxAttempts = 1 + (this.#retry?.maxRetries ?? 0);
    const redactor = new Redactor();
    if (options.signal?.aborted) throw new AbortedError(site);
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new TimeoutError(site, 'total', totalMs);
      const prepared = this.#options.auth
        ? await this.#options.auth.prepare({
            url,
            method: spec.method,
            ...(spec.interaction ? { interaction: spec.interaction } : {}),
          })
        : { headers: {} as Record<string, string>, dispatcher: undefined };
      for (const [name, value] of Object.entries(prepared.headers)) {
        if (SECRET_HEADER.test(name)) redactor.add(value.replace(/^Bearer\s+/i, ''));
      }
      const started = Date.now();
      this.#log({ type: 'request', ...this.#eventSite(site), attempt });
      const limit = Math.min(timeoutMs, remaining);
      const reason: { why?: AbortReason } = {};
      const controller = new AbortController();
      const timer = setTimeout(() => {
        reason.why = limit === timeoutMs ? 'attempt' : 'total';
        controller.abort();
      }, limit);
      const onCallerAbort = () => {
        reason.why = 'caller';
        controller.abort();
      };
      options.signal?.addEventListener('abort', onCallerAbort, { once: true });
      let outcome: { attempt: Attempt } | { failure: NhsApiError; retry: boolean };
      try {
        const dispatcher = prepared.dispatcher ?? this.#options.dispatcher;
        // undici's request(), not fetch(): the same transport at about half the CPU per call (the client bench).
        const response = await request(url, {
          method: spec.method,
          headers: { ...headers, ...prepared.headers },
          ...(body !== undefined ? { body } : {}),
          signal: controller.signal,
          ...(dispatcher ? { dispatcher } : {}),
        });
        const responseHeaders = readHeaders(response.headers);
        const text = await readBounded(
          response.body,
          responseHeaders,
          this.#options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        );
        outcome =
          text === undefined
            ? {
                failure: new UnexpectedResponseError(
                  site,
                  response.statusCode,
                  responseHeaders.get('content-type') ?? '',
                  'body larger than maxResponseBytes',
                ),
                retry: false,
              }
            : { attempt: { status: response.statusCode, headers: responseHeaders, text } };
      } catch (error) {
        if (reason.why === 'caller') throw new AbortedError(site);
        if (reason.why !== undefined) {
          const failure = new TimeoutError(site, reason.why, reason.why === 'attempt' ? timeoutMs : totalMs);
          outcome = { failure, retry: reason.why === 'attempt' && spec.idempotent };
        } else {
          const failure = new NetworkError(site, `connection failed or dropped: ${describeNetworkError(error)}`);
          outcome = { failure, retry: spec.idempotent };
        }
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onCallerAbort);
      }
      const ms = Date.now() - started;
      let delay: number | undefined;
      if ('attempt' in outcome) {
        const { status } = outcome.attempt;
        this.#log({ type: 'response', ...this.#eventSite(site), attempt, status, ms });
        if (!this.#retry || !isRetriedStatus(status, spec.idempotent) || attempt >= maxAttempts) {
          return { attempt: outcome.attempt, attempts: attempt, redactor };
        }
        const retryAfter =
          parseRetryAfter(outcome.attempt.headers.get('retry-after')) ??
          parseRetryAfter(outcome.attempt.headers.get('retryafter'));
        if (retryAfter !== undefined && retryAfter > Math.min(this.#retry.maxDelayMs, deadline - Date.now())) {
          // The server asks for a longer wait than this call may spend: report its answer now.
          return { attempt: outcome.attempt, attempts: attempt, redactor };
        }
        delay = retryAfter ?? backoffDelay(attempt, this.#retry);
        this.#log({
          type: 'retry',
          ...this.#eventSite(site),
          attempt,
          status,
          delayMs: delay,
          reason: `status ${status}`,
        });
      } else {
        if (!outcome.retry || !this.#retry || attempt >= maxAttempts) {
          this.#log({ type: 'error', ...this.#eventSite(site), attempt, ms, reason: outcome.failure.name });
          throw outcome.failure;
        }
        delay = backoffDelay(attempt, this.#retry);
        this.#log({ type: 'retry', ...this.#eventSite(site), attempt, delayMs: delay, reason: outcome.failure.name });
      }
      if (Date.now() + delay >= deadline) throw new TimeoutError(site, 'total', totalMs);
      try {
        await sleep(delay, options.signal);
      } catch {
        throw new AbortedError(site);
      }
    }
  }

  async #interpret<T>(
    site: CallSite,
    spec: OperationSpec,
    path: string,
    sent: { attempt: Attempt; attempts: number; redactor: Redactor },
    options: CallOptions,
  ): Promise<T> {
    const { attempt, attempts, redactor } = sent;
    const { status, headers, text } = attempt;
    const contentType = headers.get('content-type') ?? '';
    const isJson = JSON_MEDIA.test(contentType);
    let parsed: unknown;
    let parseFailed = false;
    if (text.length > 0 && isJson) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parseFailed = true;
      }
    }
    const outcome = isOperationOutcome(parsed) ? redactStrings(parsed, redactor) : undefined;
    const info = (noData?: NoData): ResponseInfo => ({
      status,
      requestId: site.requestId,
      attempts,
      contentType,
      ...optionalHeader('etag', headers.get('etag')),
      ...optionalHeader('lastModified', headers.get('last-modified')),
      ...optionalHeader('location', headers.get('location')),
      ...(noData ? { noData } : {}),
    });
    if (status < 200 || status >= 300) {
      if (spec.search && outcome !== undefined && status < 500 && isNotFoundOutcome(outcome)) {
        return attachResponseInfo(emptySearchset(), info(outcomeNoData('not-found', outcome))) as T;
      }
      const summary = outcome
        ? summarise(outcome)
        : text.length > 0
          ? `${isJson && !parseFailed ? 'JSON' : 'non-JSON'} body, ${contentType || 'no content type'}, ` +
            `${text.length} characters`
          : 'empty body';
      const error = errorForStatus(site, status, outcome, redactor.redact(summary).slice(0, 200));
      this.#log({ type: 'error', ...this.#eventSite(site), attempt: attempts, status, reason: error.name });
      throw error;
    }
    const declared = spec.responses[String(status)] ?? spec.responses['2XX'] ?? spec.responses['default'];
    if (text.length === 0) {
      if (declared !== undefined && declared.length > 0) {
        throw new UnexpectedResponseError(site, status, contentType, `empty body; expected ${declared.join(' or ')}`);
      }
      return undefined as T;
    }
    if (!isJson) throw new UnexpectedResponseError(site, status, contentType, 'body is not JSON');
    if (parseFailed) throw new UnexpectedResponseError(site, status, contentType, 'body is not valid JSON');
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UnexpectedResponseError(site, status, contentType, 'body is not a JSON object');
    }
    const resource = parsed as FhirResource;
    if (typeof resource.resourceType !== 'string') {
      throw new UnexpectedResponseError(site, status, contentType, 'body has no resourceType');
    }
    if (spec.search && outcome !== undefined) {
      const reason = isNotFoundOutcome(outcome) ? 'not-found' : 'operation-outcome';
      return attachResponseInfo(emptySearchset(), info(outcomeNoData(reason, outcome))) as T;
    }
    if (declared !== undefined && declared.length > 0 && !declared.includes(resource.resourceType)) {
      throw new UnexpectedResponseError(
        site,
        status,
        contentType,
        `expected ${declared.join(' or ')}, got ${resource.resourceType.slice(0, 64)}`,
      );
    }
    const etag = headers.get('etag');
    if (etag !== null) {
      for (const key of [resourceKey(resource), resourceKey(path)]) if (key) this.#etags.remember(key, etag);
    }
    await this.#validate(site, resource, options.validate ?? this.#options.validate ?? 'off', attempts);
    const noData =
      resource.resourceType === 'Bundle' && spec.search ? emptySearchsetReason(resource as never) : undefined;
    const asked = spec.method === 'GET' && !spec.search ? resourceKey(path) : undefined;
    const requestedId = asked?.startsWith(`${resource.resourceType}/`)
      ? asked.slice(resource.resourceType.length + 1)
      : undefined;
    const replaced =
      requestedId !== undefined && resource.id !== undefined && resource.id !== decodeURIComponent(requestedId);
    return attachResponseInfo(resource, {
      ...info(noData),
      ...(replaced ? { requestedId: decodeURIComponent(requestedId) } : {}),
    }) as T;
  }

  /** With `validate` on, a request body failing its profile is refused before sending (`error`) or logged (`warn`). */
  async #validateRequest(site: CallSite, body: unknown, mode: ValidateMode): Promise<void> {
    if (mode === 'off' || this.#hooks.loadValidator === undefined) return;
    this.#validator ??= this.#hooks.loadValidator();
    const outcome = (await this.#validator)(body);
    const errors = outcome.issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
    if (errors.length === 0) return;
    this.#log({ type: 'validation', ...this.#eventSite(site), attempt: 0, errors: errors.length });
    if (mode === 'error') {
      const first = errors[0]!;
      const where = first.expression?.[0] ?? first.location?.[0] ?? '';
      throw new InvalidArgumentError(
        site,
        'body',
        `fails its profile: ${errors.length} error(s), first at ${where}: ${first.diagnostics ?? first.code}`.slice(
          0,
          300,
        ),
      );
    }
  }

  async #validate(site: CallSite, resource: FhirResource, mode: ValidateMode, attempt: number): Promise<void> {
    if (mode === 'off' || this.#hooks.loadValidator === undefined) return;
    this.#validator ??= this.#hooks.loadValidator();
    const outcome = (await this.#validator)(resource);
    const errors = outcome.issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal').length;
    if (errors === 0) return;
    this.#log({ type: 'validation', ...this.#eventSite(site), attempt, errors });
    if (mode === 'error') throw new ResponseValidationError(site, outcome, errors);
  }

  #eventSite(site: CallSite): Pick<ClientEvent, 'api' | 'operation' | 'method' | 'url' | 'requestId'> {
    return { api: site.api, operation: site.operation, method: site.method, url: site.url, requestId: site.requestId };
  }

  #log(event: ClientEvent): void {
    try {
      this.#options.logger?.(event);
    } catch {
      // A logger that throws must not change the outcome of a call.
    }
  }
}

function resolveBaseUrl(spec: ApiSpec, options: ClientOptions): string {
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new ClientConfigError(spec.name, 'baseUrl', 'not an absolute URL');
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new ClientConfigError(spec.name, 'baseUrl', 'expected https: (http: only for a loopback host)');
    }
    if (url.search || url.hash || url.username || url.password) {
      throw new ClientConfigError(spec.name, 'baseUrl', 'must not carry a query, fragment or credentials');
    }
    return url.href.replace(/\/+$/, '');
  }
  if (options.environment === undefined) {
    throw new ClientConfigError(spec.name, 'environment', `give environment (${environments(spec)}) or baseUrl`);
  }
  const preset = spec.environments[options.environment];
  if (preset === undefined) {
    throw new ClientConfigError(
      spec.name,
      'environment',
      `${JSON.stringify(String(options.environment)).slice(0, 40)} has no published base URL; ` +
        `expected ${environments(spec)}, or give baseUrl`,
    );
  }
  if (options.environment !== 'sandbox' && options.auth === undefined) {
    throw new ClientConfigError(spec.name, 'auth', `the ${options.environment} environment needs auth`);
  }
  return preset.replace(/\/+$/, '');
}

function environments(spec: ApiSpec): string {
  const names = Object.keys(spec.environments);
  return names.length > 0 ? names.join(', ') : 'none published';
}

/** Reads the body as text, or undefined if it is larger than the limit (the rest is not read). */
/** Response headers by name, as undici's request() gives them (lower-case keys, repeated ones as arrays). */
interface ResponseHeaders {
  get(name: string): string | null;
}

function readHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get: (name) => {
      const value = raw[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Reads the body as text, or undefined if it is larger than the limit (the rest is not read). */
async function readBounded(
  body: Dispatcher.ResponseData['body'],
  headers: ResponseHeaders,
  limit: number,
): Promise<string | undefined> {
  const declared = Number(headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    body.destroy();
    return undefined;
  }
  // A declared length within the limit: read whole by undici, cheaper than streaming it here.
  if (Number.isFinite(declared)) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A deep copy of parsed JSON with every string passed through the redactor. Not `redactDeep`: that
 * also blanks every field named `code` (an OAuth secret there), which in an OperationOutcome is the
 * issue code and the NHS detail code the runtime reads.
 */
function redactStrings<T>(value: T, redactor: Redactor): T {
  if (typeof value === 'string') return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactStrings(item, redactor)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactStrings(item, redactor)])) as T;
}

function withoutQuery(url: string): string {
  const at = url.search(/[?#]/);
  return at === -1 ? url : url.slice(0, at);
}

function optionalHeader<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value === null ? {} : ({ [key]: value } as Record<K, string>);
}

/** A short text for an OperationOutcome: the first issue's display or diagnostics. */
function summarise(outcome: OperationOutcome): string {
  const issue = outcome.issue[0];
  if (issue === undefined) return '';
  const display = issue.details?.coding?.find((coding) => coding.display)?.display ?? issue.details?.text;
  return [display, issue.diagnostics].filter((part) => typeof part === 'string' && part !== '').join(': ');
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown failure';
  const cause = (error as { cause?: unknown }).cause;
  const code = cause instanceof Error ? ((cause as { code?: unknown }).code ?? cause.name) : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}
