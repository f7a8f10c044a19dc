// `client.fhir` is a fhir-kit-client on the runtime's base URL, auth, dispatcher and headers. The
// first block shows it works for untyped interactions; the second shows, against the same real
// server, what it does not do that the runtime needs — each is why generated clients use the
// runtime's own transport and not fhir-kit-client.
import { buildConnector } from 'undici';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, NhsApiError, NotFoundError, ServerError, UnexpectedResponseError } from '../src/index.js';
import { json, outcome, startServer, TEST_SPEC, type TestServer } from './support/http.js';

const TOKEN = 'escape-hatch-token-123456';
const auth = {
  mode: 'application-restricted' as const,
  prepare: async () => ({ headers: { authorization: `Bearer ${TOKEN}` } }),
};

let server: TestServer;
let connects = 0;
const connector = buildConnector({});
const agent = new Agent({
  connect: (options, callback) => {
    connects++;
    connector(options, callback);
  },
});

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await agent.close();
  await server.stop();
});
beforeEach(() => {
  server.seen.length = 0;
});

const client = () =>
  new ApiClient(TEST_SPEC, {
    baseUrl: server.url,
    auth,
    dispatcher: agent,
    correlationId: 'corr-fhir',
    endUserOrganisationOds: 'Y12345',
    maxResponseBytes: 1024 * 1024,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });

describe('client.fhir works for untyped interactions', () => {
  it('read, search and create carry the auth headers, an X-Request-ID, and go through the dispatcher', async () => {
    server.handler = (req, res, body) => {
      if (req.method === 'POST')
        return json(res, 201, { ...JSON.parse(body), id: 'new-1' }, { location: '/Flag/new-1' });
      if (req.url?.startsWith('/Patient?')) {
        return json(res, 200, {
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [{ resource: { resourceType: 'Patient' } }],
        });
      }
      return json(res, 200, { resourceType: 'Patient', id: '9000000009' });
    };
    const before = connects;
    const fhir = client().fhir;
    const patient = await fhir.read({ resourceType: 'Patient', id: '9000000009' });
    const bundle = await fhir.search({ resourceType: 'Patient', searchParams: { family: 'Smith' } });
    const created = await fhir.create({ resourceType: 'Flag', body: { resourceType: 'Flag', status: 'active' } });
    expect(patient).toMatchObject({ resourceType: 'Patient', id: '9000000009' });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(created).toMatchObject({ resourceType: 'Flag', id: 'new-1' });
    expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /Patient/9000000009',
      'GET /Patient?family=Smith',
      'POST /Flag',
    ]);
    for (const seen of server.seen) {
      expect(seen.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen.headers['x-correlation-id']).toBe('corr-fhir');
      expect(seen.headers['nhsd-end-user-organisation-ods']).toBe('Y12345');
    }
    expect(new Set(server.seen.map((s) => s.headers['x-request-id'])).size).toBe(3);
    expect(JSON.parse(server.seen[2]!.body)).toEqual({ resourceType: 'Flag', status: 'active' });
    // The per-client undici Agent opened the connection(s): the requests went through it.
    expect(connects).toBeGreaterThan(before);
  });
});

describe('what fhir-kit-client cannot do that the runtime needs', () => {
  it('it does not retry a 503; the runtime does, with the same X-Request-ID', async () => {
    let calls = 0;
    server.handler = (_req, res) => {
      calls++;
      if (calls % 2 === 1) return res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      json(res, 200, { resourceType: 'Patient', id: '1' });
    };
    // Reason 1: no retries. A 503 (API Platform's "try again") is the caller's problem.
    await expect(client().fhir.read({ resourceType: 'Patient', id: '1' })).rejects.toMatchObject({
      response: { status: 503 },
    });
    expect(server.seen).toHaveLength(1);

    server.seen.length = 0;
    calls = 0;
    await expect(client().call('read', { id: '1' })).resolves.toMatchObject({ id: '1' });
    expect(server.seen).toHaveLength(2);
    expect(server.seen[0]!.headers['x-request-id']).toBe(server.seen[1]!.headers['x-request-id']);
  });

  it('a 200 whose body is a JSON number: an untyped TypeError; the runtime: UnexpectedResponseError', async () => {
    server.handler = (_req, res) => json(res, 200, 42);
    // Reason 2: it does not check that the body is a resource at all.
    const error = await client()
      .fhir.read({ resourceType: 'Patient', id: '1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(NhsApiError);
    await expect(client().call('read', { id: '1' })).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it('error responses are a plain Error with response.status, no typed error or detail code', async () => {
    server.handler = (_req, res) => json(res, 404, outcome('not-found', 'RESOURCE_NOT_FOUND'));
    // Reason 3: callers would have to switch on status and dig the NHS detail code out themselves.
    const error = (await client()
      .fhir.read({ resourceType: 'Patient', id: '1' })
      .catch((e: unknown) => e)) as Error & { response?: { status: number; data: unknown } };
    expect(error.constructor).toBe(Error);
    expect(error).not.toBeInstanceOf(NhsApiError);
    expect(error.response?.status).toBe(404);
    expect(error).not.toHaveProperty('code');
    const typed = (await client()
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as NotFoundError;
    expect(typed).toBeInstanceOf(NotFoundError);
    expect(typed.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('it reads a body of any size; the runtime stops at maxResponseBytes', async () => {
    const big = { resourceType: 'Patient', id: '1', text: { div: 'x'.repeat(3 * 1024 * 1024) } };
    server.handler = (_req, res) => json(res, 200, big);
    // Reason 4: a broken or hostile server can make it buffer as much as it sends.
    const read = (await client().fhir.read({ resourceType: 'Patient', id: '1' })) as typeof big;
    expect(read.text.div).toHaveLength(3 * 1024 * 1024);
    const error = (await client()
      .call('read', { id: '1' })
      .catch((e: unknown) => e)) as UnexpectedResponseError;
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error.message).toMatch(/larger than maxResponseBytes/);
  });

  it('a 5xx from fhir-kit-client is not a ServerError either', async () => {
    server.handler = (_req, res) => json(res, 500, outcome('exception', 'SERVER_ERROR'));
    const error = await client()
      .fhir.read({ resourceType: 'Patient', id: '1' })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ServerError);
  });
});
