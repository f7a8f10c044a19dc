// How the runtime reads answers: typed errors per status, the "no data" shapes of a search,
// bodies it refuses, validation, the headers it sends, the logger, and bad configuration.
import { inspect } from 'node:util';
import type { RequestAuth } from '@nhs-fhir/auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ApiClient,
  ApiResponseError,
  BadRequestError,
  type ClientEvent,
  ClientConfigError,
  ForbiddenError,
  NhsApiError,
  NotFoundError,
  type OperationOutcome,
  PreconditionFailedError,
  ResponseValidationError,
  responseOf,
  type SearchBundle,
  ServerError,
  TooManyRequestsError,
  UnauthorizedError,
  UnexpectedResponseError,
  UnprocessableEntityError,
  VersionConflictError,
} from '../src/index.js';
import { type Handler, json, outcome, startServer, TEST_SPEC, type TestServer } from './support/http.js';

const TOKEN = 'tok_9f8e7d6c5b4a3921_SECRET';
const bearer: RequestAuth = {
  mode: 'application-restricted',
  prepare: async () => ({ headers: { authorization: `Bearer ${TOKEN}` } }),
};

let server: TestServer;
const respond = (handler: Handler) => {
  server.handler = handler;
};
const clientWith = (options: Partial<ConstructorParameters<typeof ApiClient>[1]> = {}, hooks = {}) =>
  new ApiClient(TEST_SPEC, { baseUrl: server.url, retry: false, auth: bearer, ...options }, hooks);

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());
beforeEach(() => {
  server.seen.length = 0;
});

describe('error statuses become typed errors', () => {
  it.each<[number, string | undefined, new (...args: never[]) => ApiResponseError]>([
    [400, 'INVALID_RESOURCE_ID', BadRequestError],
    [401, 'ACCESS_DENIED', UnauthorizedError],
    [403, 'FORBIDDEN_UPDATE', ForbiddenError],
    [404, 'RESOURCE_NOT_FOUND', NotFoundError],
    [409, 'RESOURCE_VERSION_CONFLICT', VersionConflictError],
    [409, 'INVALID_UPDATE', VersionConflictError],
    [409, 'DUPLICATE_REJECTED', VersionConflictError],
    [409, undefined, VersionConflictError],
    [412, 'PRECONDITION_FAILED', PreconditionFailedError],
    [422, 'INVALID_VALUE', UnprocessableEntityError],
    [429, 'TOO_MANY_REQUESTS', TooManyRequestsError],
    [500, 'SERVER_ERROR', ServerError],
    [503, 'SERVICE_UNAVAILABLE', ServerError],
    [418, 'TEAPOT', ApiResponseError],
  ])('%i %s', async (status, code, ErrorClass) => {
    respond((_req, res) => json(res, status, outcome('processing', code, `echo: Bearer ${TOKEN}`)));
    const error = await clientWith()
      .call('read', { id: '9000000009' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(NhsApiError);
    const typed = error as ApiResponseError;
    expect(typed.constructor).toBe(ErrorClass);
    expect(typed.status).toBe(status);
    expect(typed.code).toBe(code);
    expect(typed.operation).toBe('read');
    expect(typed.requestId).toBe(server.seen[0]!.headers['x-request-id']);
    // The server echoed the bearer token: nothing the error shows may hold it.
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    for (const text of [
      typed.message,
      JSON.stringify(typed),
      inspect(typed),
      inspect(typed, { depth: 10 }),
      String(typed),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
    expect(JSON.stringify(typed.toJSON())).not.toContain(TOKEN);
  });

  it('code is the first non-empty issue.details.coding.code', async () => {
    respond((_req, res) =>
      json(res, 400, {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'value', details: { coding: [{ system: 'x', code: '' }] } },
          { severity: 'error', code: 'value', details: { coding: [{ system: 'x' }, { code: 'INVALID_SEARCH_DATA' }] } },
        ],
      }),
    );
    const error = (await clientWith()
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error.code).toBe('INVALID_SEARCH_DATA');
    expect(error.outcome?.issue).toHaveLength(2);
  });

  it('an error status with a non-JSON body still gives the typed error, without the body text', async () => {
    respond((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(`<h1>Bad gateway ${TOKEN}</h1>`));
    const error = (await clientWith()
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBeUndefined();
    expect(error.message).toMatch(/non-JSON body, text\/html/);
    expect(inspect(error)).not.toContain(TOKEN);
  });
});

describe('"no data" on a search is an empty searchset that says why', () => {
  const search = (client = clientWith()) => client.call<SearchBundle>('search', { family: 'Smith' });
  it.each<[string, Handler, { reason: string; code?: string }]>([
    [
      'an empty searchset',
      (_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset', total: 0 }),
      { reason: 'empty-searchset' },
    ],
    ['a 404 not-found OperationOutcome', (_req, res) => json(res, 404, outcome('not-found')), { reason: 'not-found' }],
    [
      'a 404 NO_RECORD_FOUND OperationOutcome',
      (_req, res) => json(res, 404, outcome('processing', 'NO_RECORD_FOUND')),
      { reason: 'not-found', code: 'NO_RECORD_FOUND' },
    ],
    [
      'a 200 NO_RECORD_FOUND OperationOutcome',
      (_req, res) => json(res, 200, outcome('informational', 'NO_RECORD_FOUND')),
      { reason: 'not-found', code: 'NO_RECORD_FOUND' },
    ],
    [
      'a 200 TOO_MANY_MATCHES OperationOutcome',
      (_req, res) => json(res, 200, outcome('multiple-matches', 'TOO_MANY_MATCHES')),
      { reason: 'operation-outcome', code: 'TOO_MANY_MATCHES' },
    ],
  ])('%s', async (_, handler, noData) => {
    respond(handler);
    const bundle = await search();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(bundle.entry ?? []).toEqual([]);
    expect(responseOf(bundle)?.noData).toMatchObject(noData);
    if (noData.reason !== 'empty-searchset')
      expect(responseOf(bundle)?.noData?.outcome?.resourceType).toBe('OperationOutcome');
  });

  it('a searchset with entries has no noData', async () => {
    respond((_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: {} }] }));
    const bundle = await search();
    expect(responseOf(bundle)?.noData).toBeUndefined();
    expect(responseOf(bundle)?.status).toBe(200);
  });

  it('a 404 on a search whose issues are not all not-found is still an error', async () => {
    respond((_req, res) =>
      json(res, 404, {
        resourceType: 'OperationOutcome',
        issue: [...outcome('not-found').issue, ...outcome('invalid', 'INVALID_SEARCH_DATA').issue],
      }),
    );
    await expect(search()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a 404 on a read (not a search) throws NotFoundError', async () => {
    respond((_req, res) => json(res, 404, outcome('not-found', 'RESOURCE_NOT_FOUND')));
    const error = (await clientWith()
      .call('read', { id: '9000000000' })
      .catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('bodies the runtime refuses become UnexpectedResponseError', () => {
  const big = JSON.stringify({ resourceType: 'Patient', id: '1', text: 'x'.repeat(5000) });
  it.each<[string, Handler, string, RegExp, Partial<{ maxResponseBytes: number }>?]>([
    [
      'a non-JSON body',
      (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('OK'),
      'text/plain',
      /body is not JSON/,
    ],
    [
      'HTML',
      (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>login</html>'),
      'text/html; charset=utf-8',
      /body is not JSON/,
    ],
    [
      'invalid JSON with a JSON content type',
      (_req, res) => res.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":'),
      'application/fhir+json',
      /not valid JSON/,
    ],
    ['a JSON number', (_req, res) => json(res, 200, 42), 'application/fhir+json', /not a JSON object/],
    ['a JSON string', (_req, res) => json(res, 200, 'Patient'), 'application/fhir+json', /not a JSON object/],
    [
      'a JSON array',
      (_req, res) => json(res, 200, [{ resourceType: 'Patient' }]),
      'application/fhir+json',
      /not a JSON object/,
    ],
    ['JSON null', (_req, res) => json(res, 200, null), 'application/fhir+json', /not a JSON object/],
    [
      'JSON without resourceType',
      (_req, res) => json(res, 200, { id: '1' }),
      'application/fhir+json',
      /no resourceType/,
    ],
    [
      'the wrong resource type',
      (_req, res) => json(res, 200, { resourceType: 'Practitioner', id: '1' }),
      'application/fhir+json',
      /expected Patient, got Practitioner/,
    ],
    [
      'an empty body where a resource is declared',
      (_req, res) => res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(),
      'application/fhir+json',
      /empty body; expected Patient/,
    ],
    [
      'a body over maxResponseBytes (with content-length)',
      (_req, res) => res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(big),
      'application/fhir+json',
      /larger than maxResponseBytes/,
      { maxResponseBytes: 1024 },
    ],
    [
      'a body over maxResponseBytes (chunked)',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/fhir+json' });
        for (let i = 0; i < 10; i++) res.write(big.slice(i * 500, (i + 1) * 500));
        res.end(big.slice(5000));
      },
      'application/fhir+json',
      /larger than maxResponseBytes/,
      { maxResponseBytes: 1024 },
    ],
  ])('%s', async (_, handler, contentType, reason, options = {}) => {
    respond(handler);
    const error = (await clientWith(options)
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.operation).toBe('read');
    expect(error.status).toBe(200);
    expect(error.contentType).toBe(contentType);
    expect(error.message).toContain('test.read: 200 ');
    expect(error.message).toContain(contentType);
    expect(error.message).toMatch(reason);
  });

  it('the same body under the limit is accepted', async () => {
    respond((_req, res) => json(res, 200, JSON.parse(big)));
    await expect(clientWith({ maxResponseBytes: 10_000 }).call('read', { id: '1' })).resolves.toMatchObject({
      id: '1',
    });
  });
});

describe('validation', () => {
  // A tiny validator: a Patient must have a gender. (@nhs-fhir/uk-core is not a dependency of this package.)
  const loadValidator = async () => (resource: unknown) =>
    ({
      resourceType: 'OperationOutcome',
      issue: (resource as { gender?: string }).gender
        ? []
        : [{ severity: 'error', code: 'required', expression: ['Patient.gender'] }],
    }) as OperationOutcome;
  const events: ClientEvent[] = [];
  const logger = (event: ClientEvent) => events.push(event);

  beforeEach(() => {
    events.length = 0;
    respond((_req, res) => json(res, 200, { resourceType: 'Patient', id: '1' }));
  });

  it("'error' throws ResponseValidationError naming where", async () => {
    const error = (await clientWith({ validate: 'error', logger }, { loadValidator })
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toMatch(/1 error\(s\), first at Patient.gender/);
    expect(events.filter((e) => e.type === 'validation')).toEqual([expect.objectContaining({ errors: 1 })]);
  });

  it("'warn' returns the body and logs a validation event", async () => {
    const body = await clientWith({ validate: 'warn', logger }, { loadValidator }).call('read', { id: '1' });
    expect(body).toMatchObject({ id: '1' });
    expect(events.filter((e) => e.type === 'validation')).toHaveLength(1);
  });

  it("a valid body passes 'error'; the per-call option overrides the client's", async () => {
    const client = clientWith({ validate: 'error', logger }, { loadValidator });
    await expect(client.call('read', { id: '1' }, { validate: 'off' })).resolves.toMatchObject({ id: '1' });
    respond((_req, res) => json(res, 200, { resourceType: 'Patient', id: '1', gender: 'male' }));
    await expect(client.call('read', { id: '1' })).resolves.toMatchObject({ gender: 'male' });
  });

  it('the validator is loaded once, on first use', async () => {
    let loads = 0;
    const client = clientWith(
      { validate: 'warn' },
      {
        loadValidator: () => {
          loads++;
          return loadValidator();
        },
      },
    );
    expect(loads).toBe(0);
    await Promise.all([client.call('read', { id: '1' }), client.call('read', { id: '2' })]);
    await client.call('read', { id: '3' });
    expect(loads).toBe(1);
  });
});

describe('headers sent', () => {
  it('X-Correlation-ID, NHSD-End-User-Organisation-ODS, X-Request-ID, Accept', async () => {
    respond((_req, res) => json(res, 200, { resourceType: 'Patient', id: '1' }));
    const client = clientWith({ correlationId: 'corr-1', endUserOrganisationOds: 'Y12345' });
    const body = await client.call<object>('read', { id: '1' });
    await client.call('read', { id: '1' }, { correlationId: 'corr-2' });
    const [first, second] = server.seen;
    expect(first!.headers['x-correlation-id']).toBe('corr-1');
    expect(second!.headers['x-correlation-id']).toBe('corr-2');
    expect(first!.headers['nhsd-end-user-organisation-ods']).toBe('Y12345');
    expect(first!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first!.headers['x-request-id']).not.toBe(second!.headers['x-request-id']);
    expect(responseOf(body)?.requestId).toBe(first!.headers['x-request-id']);
    expect(first!.headers.accept).toContain('application/fhir+json');
  });

  it('neither header when not configured', async () => {
    await clientWith().call('read', { id: '1' });
    expect(server.seen[0]!.headers['x-correlation-id']).toBeUndefined();
    expect(server.seen[0]!.headers['nhsd-end-user-organisation-ods']).toBeUndefined();
  });

  it('If-Match: an ETag ending in a typographic quote is sent back byte for byte as it came', async () => {
    // The server sends the UTF-8 bytes of W/"3” (HTTP headers are bytes; fetch reads them as latin1).
    const wire = Buffer.from('W/"3”', 'utf8').toString('latin1');
    respond((_req, res) => json(res, 200, { resourceType: 'Patient', id: '42' }, { etag: wire }));
    const client = clientWith();
    const patient = await client.call<object>('read', { id: '42' });
    expect(responseOf(patient)?.etag).toBe(wire);
    await client.call('patch', { id: '42', body: [{ op: 'replace', path: '/gender', value: 'male' }] });
    const sent = server.seen[1]!.headers['if-match'] as string;
    expect(Buffer.from(sent, 'latin1').toString('utf8')).toBe('W/"3”');
  });

  it("If-Match from the body's meta.versionId, and an explicit argument wins", async () => {
    respond((_req, res) => json(res, 200, { resourceType: 'Flag', id: 'f1' }));
    const client = clientWith();
    await client.call('update', { id: 'f1', body: { resourceType: 'Flag', meta: { versionId: '5' } } });
    await client.call('update', {
      id: 'f1',
      'If-Match': 'W/"9"',
      body: { resourceType: 'Flag', meta: { versionId: '5' } },
    });
    expect(server.seen.map((s) => s.headers['if-match'])).toEqual(['W/"5"', 'W/"9"']);
  });
});

describe('logging', () => {
  it('events are redacted: no query string, no Authorization, no token', async () => {
    respond((_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [{}] }));
    const events: ClientEvent[] = [];
    await clientWith({ logger: (e) => events.push(e) }).call('search', { family: 'Smith-9000000009' });
    respond((_req, res) => json(res, 500, outcome('exception', 'SERVER_ERROR', `token ${TOKEN}`)));
    await clientWith({ logger: (e) => events.push(e) })
      .call('search', { family: 'Jones' })
      .catch(() => undefined);
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'request', 'response', 'error']);
    for (const event of events) {
      expect(event.url).toBe(`${server.url}/Patient`);
      const text = JSON.stringify(event);
      expect(text).not.toContain('Smith');
      expect(text).not.toContain('?');
      expect(text).not.toMatch(/authorization|bearer/i);
      expect(text).not.toContain(TOKEN);
    }
    expect(events[4]).toMatchObject({ type: 'error', status: 500, reason: 'ServerError' });
  });

  it('a logger that throws does not change the result', async () => {
    respond((_req, res) => json(res, 200, { resourceType: 'Patient', id: '1' }));
    const throwing = () => {
      throw new Error('logger down');
    };
    await expect(clientWith({ logger: throwing }).call('read', { id: '1' })).resolves.toMatchObject({ id: '1' });
    respond((_req, res) => json(res, 404, outcome('not-found')));
    await expect(clientWith({ logger: throwing }).call('read', { id: '1' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('ClientConfigError for options the client cannot use', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['http: on a non-loopback host', { baseUrl: 'http://api.example.nhs.uk/fhir' }, 'baseUrl'],
    ['a base URL with a query string', { baseUrl: 'https://api.example.nhs.uk/fhir?x=1' }, 'baseUrl'],
    ['a base URL with credentials', { baseUrl: 'https://u:p@api.example.nhs.uk/fhir' }, 'baseUrl'],
    ['a relative base URL', { baseUrl: '/fhir' }, 'baseUrl'],
    ['an unknown environment', { environment: 'staging' }, 'environment'],
    ['an environment without a published URL', { environment: 'prod' }, 'environment'],
    ['neither environment nor baseUrl', {}, 'environment'],
    ['int without auth', { environment: 'int' }, 'auth'],
    ['a zero timeout', { baseUrl: 'https://x.nhs.uk', timeoutMs: 0 }, 'timeoutMs'],
    ['a bad validate mode', { baseUrl: 'https://x.nhs.uk', validate: 'strict' }, 'validate'],
  ])('%s', (_, options, option) => {
    let thrown: unknown;
    try {
      new ApiClient(TEST_SPEC, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ClientConfigError);
    expect((thrown as ClientConfigError).option).toBe(option);
  });

  it('prod without auth is refused when the API publishes prod', () => {
    const spec = { ...TEST_SPEC, environments: { ...TEST_SPEC.environments, prod: 'https://api.service.nhs.uk/test' } };
    expect(() => new ApiClient(spec, { environment: 'prod' })).toThrow(ClientConfigError);
    expect(new ApiClient(spec, { environment: 'prod', auth: bearer }).baseUrl).toBe('https://api.service.nhs.uk/test');
    expect(new ApiClient(spec, { environment: 'sandbox' }).baseUrl).toBe('https://sandbox.api.service.nhs.uk/test');
  });

  it('http: on loopback is accepted, and a trailing slash dropped', () => {
    expect(new ApiClient(TEST_SPEC, { baseUrl: 'http://localhost:8080/fhir/' }).baseUrl).toBe(
      'http://localhost:8080/fhir',
    );
    expect(new ApiClient(TEST_SPEC, { baseUrl: 'http://[::1]:8080/fhir' }).baseUrl).toBe('http://[::1]:8080/fhir');
  });
});
