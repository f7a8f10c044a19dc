// Real HTTP servers on 127.0.0.1 for the tests: a free port, a count of the requests that reached
// them, and a stop that also ends kept-alive connections.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiSpec, OperationSpec } from '../../src/index.js';

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

export interface TestServer {
  readonly url: string;
  readonly seen: SeenRequest[];
  readonly server: Server;
  handler: Handler;
  stop(): Promise<void>;
}

/** Starts a server whose handler can be swapped per test; every request is recorded in `seen`. */
export async function startServer(handler: Handler = defaultHandler): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const state: TestServer = {
    url: '',
    seen,
    server: undefined as unknown as Server,
    handler,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    try {
      await state.handler(req, res, body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (state as { server: Server }).server = server;
  return state;
}

function defaultHandler(_req: IncomingMessage, res: ServerResponse): void {
  json(res, 200, { resourceType: 'Patient', id: '9000000009' });
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers }).end(JSON.stringify(body));
}

export function outcome(code: string, detail?: string, diagnostics?: string) {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code,
        ...(detail
          ? {
              details: {
                coding: [{ system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode', code: detail }],
              },
            }
          : {}),
        ...(diagnostics ? { diagnostics } : {}),
      },
    ],
  };
}

const read: OperationSpec = {
  method: 'GET',
  path: '/Patient/{id}',
  params: [{ name: 'id', in: 'path', required: true, value: { kind: 'string' } }],
  responses: { '200': ['Patient'] },
  search: false,
  idempotent: true,
};

/** A small hand-written API: a read, a search, a create, an update and a patch, like PDS. */
export const TEST_SPEC: ApiSpec = {
  name: 'test',
  title: 'Test API',
  fhirVersion: 'R4',
  environments: { sandbox: 'https://sandbox.api.service.nhs.uk/test', int: 'https://int.api.service.nhs.uk/test' },
  operations: {
    read,
    search: {
      method: 'GET',
      path: '/Patient',
      params: [
        { name: 'family', in: 'query', required: true, value: { kind: 'string' } },
        { name: 'gender', in: 'query', required: false, value: { kind: 'string', enum: ['male', 'female', 'other'] } },
        { name: '_max-results', in: 'query', required: false, value: { kind: 'integer', minimum: 1, maximum: 50 } },
        { name: 'birthdate', in: 'query', required: false, value: { kind: 'array', items: { kind: 'string' } } },
        { name: '_fuzzy-match', in: 'query', required: false, value: { kind: 'boolean' } },
        { name: 'X-Trace', in: 'header', required: false, value: { kind: 'string' } },
      ],
      responses: { '200': ['Bundle'] },
      search: true,
      idempotent: true,
    },
    create: {
      method: 'POST',
      path: '/Flag',
      params: [],
      body: { required: true, contentType: 'application/fhir+json', resourceType: 'Flag' },
      responses: { '201': ['Flag'] },
      search: false,
      idempotent: false,
    },
    update: {
      method: 'PUT',
      path: '/Flag/{id}',
      params: [
        { name: 'id', in: 'path', required: true, value: { kind: 'string' } },
        { name: 'If-Match', in: 'header', required: false, value: { kind: 'string' } },
      ],
      body: { required: true, contentType: 'application/fhir+json', resourceType: 'Flag' },
      responses: { '200': ['Flag'] },
      search: false,
      idempotent: true,
      ifMatch: 'optional',
    },
    patch: {
      method: 'PATCH',
      path: '/Patient/{id}',
      params: [
        { name: 'id', in: 'path', required: true, value: { kind: 'string' } },
        { name: 'If-Match', in: 'header', required: false, value: { kind: 'string' } },
      ],
      body: { required: true, contentType: 'application/json-patch+json' },
      responses: { '200': ['Patient'] },
      search: false,
      idempotent: false,
      ifMatch: 'required',
    },
  },
};

/** Resolves with the value, or rejects after `ms` so that a call that never settles fails the test. */
export function guard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
