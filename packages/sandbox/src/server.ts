import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type {
  OperationOutcome,
  SandboxApi,
  SandboxOperation,
  SandboxParameter,
  SandboxRequest,
  SandboxResponse,
  StoredResource,
} from './model.js';
import { outcome, refuses } from './outcome.js';
import { applyJsonPatch, PatchError } from './patch.js';
import { isDateValue, matches, modifierOf, typesOf } from './search.js';
import { MemoryStore } from './store.js';

/** Where and how `startSandbox` listens. */
export interface SandboxOptions {
  /** 0 (the default) takes a free port; the URL says which. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS, and only to clients with a certificate signed by `ca` (TLS 1.2 or later). */
  tls?: {
    /** The server's certificate, PEM. */
    cert: string | Buffer;
    /** The server's private key, PEM. */
    key: string | Buffer;
    /** The CA certificate that client certificates must chain to, PEM. */
    ca: string | Buffer;
  };
}

/** A sandbox that `startSandbox` started: its URL, and how to stop it. */
export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` (or `https:`), no trailing slash: the base URL to give a client. */
  readonly url: string;
  /** Closes the server and every open connection. */
  stop(): Promise<void>;
}

type Kind =
  | 'search'
  | 'read'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'conditional-delete'
  | 'transaction'
  | 'custom';

interface Route {
  readonly op: SandboxOperation;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Literal characters in the template: `/Patient/{id}` beats `/{type}/{id}`. */
  readonly literal: number;
  readonly kind: Kind;
  /** The resource types it works on, best first. */
  readonly types: readonly string[];
}

/** A refusal: thrown inside a request, answered as it says. */
class Answer extends Error {
  constructor(readonly response: SandboxResponse) {
    super('answer');
  }
}

const refuse = (status: number, body: OperationOutcome, headers?: Record<string, string>): Answer =>
  new Answer({ status, body, ...(headers ? { headers } : {}) });

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;
const IGNORED_QUERY = new Set(['_format']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function successResources(op: SandboxOperation) {
  return op.responses.filter((r) => /^2/.test(r.status)).flatMap((r) => r.resources);
}

function kindOf(op: SandboxOperation, method: string, names: readonly string[]): Kind {
  const bodyType = op.body?.resource?.resourceType;
  const entries = successResources(op).some((r) => r.resourceType === 'Bundle' && (r.entries?.length ?? 0) > 0);
  if (op.path.includes('$') || bodyType === 'Parameters') return 'custom';
  const idParam = names.some((name) => name !== 'type');
  switch (method) {
    case 'GET':
      if (op.search || entries) return 'search';
      return idParam ? 'read' : 'custom';
    case 'POST':
      if (bodyType === 'Bundle') return 'transaction';
      return idParam ? 'custom' : 'create';
    case 'PUT':
      return idParam ? 'update' : 'custom';
    case 'PATCH':
      return idParam ? 'patch' : 'custom';
    case 'DELETE':
      return /\}$/.test(op.path) && idParam ? 'delete' : 'conditional-delete';
    default:
      return 'custom';
  }
}

function typesFor(op: SandboxOperation, kind: Kind): string[] {
  const types: string[] = [];
  const add = (type: string | undefined) => {
    if (type && RESOURCE_TYPE.test(type) && type !== 'OperationOutcome' && !types.includes(type)) types.push(type);
  };
  const success = successResources(op);
  if (kind === 'search') for (const r of success) for (const entry of r.entries ?? []) add(entry);
  if (kind !== 'search')
    add(op.body?.resource?.resourceType === 'Bundle' ? undefined : op.body?.resource?.resourceType);
  for (const r of success) if (r.resourceType !== 'Bundle') add(r.resourceType);
  if (kind === 'search' || kind === 'conditional-delete')
    for (const param of op.params) if (param.search) for (const type of typesOf(param.search.expressions)) add(type);
  add(/^\/([A-Za-z]+)/.exec(op.path)?.[1]);
  return types;
}

function compile(op: SandboxOperation): Route {
  if (typeof op?.path !== 'string' || typeof op.method !== 'string' || typeof op.name !== 'string')
    throw new TypeError('sandbox: every operation needs a name, a method and a path');
  const names: string[] = [];
  let literal = 0;
  const template = op.path.length > 1 ? op.path.replace(/\/$/, '') : op.path;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const name = /^\{([^}]+)\}$/.exec(part)?.[1];
      if (name !== undefined) {
        names.push(name);
        return '([^/]+)';
      }
      literal += part.length;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const method = op.method.toUpperCase();
  const kind = kindOf(op, method, names);
  return { op, method, pattern: new RegExp(`^${source}$`), names, literal, kind, types: typesFor(op, kind) };
}

function versionOf(ifMatch: string): string {
  return /^(?:W\/)?"(.*)"$/.exec(ifMatch.trim())?.[1] ?? ifMatch.trim();
}

function etag(resource: StoredResource): string {
  return `W/"${resource.meta.versionId}"`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw refuse(413, outcome('error', 'too-long', 'the body is over 16 MiB'));
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Replaces every `reference` found in `map` (a transaction's `urn:uuid:` fullUrls) with what it maps to. */
function rewriteReferences(node: unknown, map: ReadonlyMap<string, string>): void {
  if (Array.isArray(node)) for (const item of node) rewriteReferences(item, map);
  else if (isObject(node))
    for (const [key, value] of Object.entries(node)) {
      if (key === 'reference' && typeof value === 'string' && map.has(value)) node[key] = map.get(value);
      else rewriteReferences(value, map);
    }
}

/** Whether a resource refers to `id` anywhere (a Reference ending in it, or an identifier with it as value). */
function refersTo(node: unknown, id: string, depth = 0): boolean {
  if (depth > 8) return false;
  if (Array.isArray(node)) return node.some((item) => refersTo(item, id, depth + 1));
  if (!isObject(node)) return false;
  if (typeof node.reference === 'string' && (node.reference === id || node.reference.endsWith(`/${id}`))) return true;
  if (isObject(node.identifier) && node.identifier.value === id) return true;
  return Object.values(node).some((value) => refersTo(value, id, depth + 1));
}

/**
 * Starts a local FHIR server for `api`: it routes by the operations' methods and path templates,
 * refuses calls the real API would refuse (a required header missing, an unknown or missing query
 * parameter, no `If-Match`, a stale version, a body the validator rejects) and keeps resources in memory.
 */
export async function startSandbox(api: SandboxApi, options: SandboxOptions = {}): Promise<RunningSandbox> {
  if (!isObject(api) || !isObject(api.model) || !Array.isArray(api.model.operations))
    throw new TypeError('sandbox: api.model must be an operations model with an operations array');
  const routes = api.model.operations.map(compile).sort((a, b) => b.literal - a.literal);
  const missingHeader = api.model.missingHeader ?? { status: 400, code: 'MISSING_HEADER' };
  const store = new MemoryStore();
  store.seed(api.seed ?? []);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('sandbox: port must be 0 to 65535');
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';

  const validate = (resource: unknown, where = ''): OperationOutcome | undefined => {
    if (!api.validate) return undefined;
    const result = api.validate(resource);
    if (!refuses(result)) return undefined;
    if (where === '') return result;
    return {
      resourceType: 'OperationOutcome',
      issue: result.issue.map((issue) => ({ ...issue, diagnostics: `${where}: ${issue.diagnostics ?? issue.code}` })),
    };
  };

  /** The body as a resource of one of `types`, or a 400. */
  const resourceBody = (
    body: unknown,
    types: readonly string[],
  ): Record<string, unknown> & { resourceType: string } => {
    if (!isObject(body) || typeof body.resourceType !== 'string')
      throw refuse(400, outcome('error', 'invalid', 'the body must be a FHIR resource', 'INVALID_RESOURCE'));
    if (types.length > 0 && !types.includes(body.resourceType))
      throw refuse(
        400,
        outcome('error', 'invalid', `expected a ${types.join(' or ')}, got ${body.resourceType}`, 'INVALID_RESOURCE', [
          'resourceType',
        ]),
      );
    return body as Record<string, unknown> & { resourceType: string };
  };

  const checkValid = (resource: unknown) => {
    const invalid = validate(resource);
    if (invalid) throw new Answer({ status: 422, body: invalid });
  };

  const notFound = (type: string, id: string) =>
    refuse(404, outcome('error', 'not-found', `${type}/${id} is not known`, 'RESOURCE_NOT_FOUND'));

  const current = (type: string, id: string, request: SandboxRequest): StoredResource => {
    const found = store.get(type, id);
    if (!found) throw notFound(type, id);
    const ifMatch = request.headers['if-match'];
    if (ifMatch !== undefined && versionOf(ifMatch) !== found.meta.versionId)
      throw refuse(
        409,
        outcome(
          'error',
          'conflict',
          `If-Match ${ifMatch} does not match the current version ${etag(found)}`,
          'RESOURCE_VERSION_MISMATCH',
        ),
      );
    return found;
  };

  const search = (route: Route, request: SandboxRequest, types: readonly string[]): StoredResource[] => {
    const criteria: Array<{ param: SandboxParameter; name: string; value: string }> = [];
    for (const [name, values] of Object.entries(request.query)) {
      const param = paramFor(route.op, name);
      if (param?.search) for (const value of values) criteria.push({ param, name, value });
    }
    const owner = route.names.filter((name) => name !== 'type').map((name) => request.pathParams[name] as string);
    return types
      .flatMap((type) => store.list(type))
      .filter((resource) => owner.every((id) => refersTo(resource, id)))
      .filter((resource) => criteria.every(({ param, name, value }) => matches(resource, param, name, value)));
  };

  const serve = async (route: Route, request: SandboxRequest): Promise<SandboxResponse> => {
    const handler = api.handlers?.[route.op.name];
    if (handler) return handler(request, store);
    const type = request.pathParams.type ?? route.types[0];
    const idName = [...route.names].reverse().find((name) => name !== 'type');
    const id = idName === undefined ? '' : (request.pathParams[idName] as string);
    const types = request.pathParams.type ? [request.pathParams.type] : route.types;
    const collection = (resourceId: string) =>
      `${baseUrl}${route.op.path.replace(/\{type\}/, type ?? '').replace(/\/$/, '')}/${resourceId}`;
    switch (route.kind) {
      case 'search': {
        const found = search(route, request, types);
        const self = `${baseUrl}${request.path}${queryString(request.query)}`;
        return {
          status: 200,
          body: {
            resourceType: 'Bundle',
            id: randomUUID(),
            meta: { lastUpdated: new Date().toISOString() },
            type: 'searchset',
            total: found.length,
            link: [{ relation: 'self', url: self }],
            entry: found.map((resource) => ({
              fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
              resource,
              search: { mode: 'match' },
            })),
          },
        };
      }
      case 'read': {
        const found = type === undefined ? undefined : store.get(type, id);
        if (!found) throw notFound(type ?? 'resource', id);
        return { status: 200, body: found, headers: { etag: etag(found) } };
      }
      case 'create': {
        const body = resourceBody(request.body, types);
        checkValid(body);
        const created = store.create(body);
        return { status: 201, body: created, headers: { location: collection(created.id), etag: etag(created) } };
      }
      case 'update': {
        if (type === undefined) throw notFound('resource', id);
        const found = current(type, id, request);
        const body = resourceBody(request.body, [found.resourceType]);
        if (body.id !== undefined && body.id !== id)
          throw refuse(
            400,
            outcome('error', 'invalid', `the body's id ${String(body.id)} is not ${id}`, 'INVALID_RESOURCE', ['id']),
          );
        checkValid({ ...body, id });
        const updated = store.update({ ...body, id });
        return { status: 200, body: updated, headers: { etag: etag(updated) } };
      }
      case 'patch': {
        if (type === undefined) throw notFound('resource', id);
        const found = current(type, id, request);
        let patched: unknown;
        try {
          patched = applyJsonPatch(found, request.body);
        } catch (error) {
          if (!(error instanceof PatchError)) throw error;
          throw refuse(400, outcome('error', 'invalid', error.message, 'INVALID_UPDATE'));
        }
        const body = resourceBody(patched, [found.resourceType]);
        if (body.id !== id)
          throw refuse(400, outcome('error', 'invalid', 'a patch cannot change the id', 'INVALID_UPDATE'));
        checkValid(body);
        const updated = store.update(body);
        return { status: 200, body: updated, headers: { etag: etag(updated) } };
      }
      case 'delete': {
        if (type === undefined || !store.delete(type, id))
          throw refuse(
            404,
            outcome('warning', 'not-found', `${type ?? 'resource'}/${id} is not known; nothing deleted`),
          );
        return { status: 200, body: outcome('information', 'informational', `Deleted 1 ${type}`) };
      }
      case 'conditional-delete': {
        const searched = Object.keys(request.query).filter((name) => paramFor(route.op, name)?.search);
        if (searched.length === 0)
          throw refuse(
            400,
            outcome(
              'error',
              'invalid',
              'a conditional delete needs at least one search parameter',
              'INVALID_SEARCH_DATA',
            ),
          );
        const found = search(route, request, types);
        for (const resource of found) store.delete(resource.resourceType, resource.id);
        if (found.length === 0)
          return { status: 200, body: outcome('warning', 'not-found', 'nothing matched; nothing deleted') };
        const counts = new Map<string, number>();
        for (const resource of found) counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
        const said = [...counts].map(([t, n]) => `${n} ${t}`).join(' and ');
        return { status: 200, body: outcome('information', 'informational', `Deleted ${said}`) };
      }
      case 'transaction':
        return transaction(request.body);
      default:
        return {
          status: 501,
          body: outcome(
            'error',
            'not-supported',
            `the sandbox cannot answer ${route.op.name} by itself; give it a handler`,
            'NOT_IMPLEMENTED',
          ),
        };
    }
  };

  const transaction = (body: unknown): SandboxResponse => {
    if (!isObject(body) || body.resourceType !== 'Bundle' || body.type !== 'transaction')
      throw refuse(
        400,
        outcome('error', 'invalid', 'the body must be a Bundle of type transaction', 'INVALID_RESOURCE'),
      );
    const entries = Array.isArray(body.entry) ? (body.entry as unknown[]) : [];
    const issues: OperationOutcome['issue'] = [];
    let conflict: OperationOutcome | undefined;
    const planned = entries.map((entry, i) => {
      const where = `Bundle.entry[${i}]`;
      const resource = isObject(entry) ? entry.resource : undefined;
      const request = isObject(entry) && isObject(entry.request) ? entry.request : {};
      const method = String(request.method ?? 'POST').toUpperCase();
      const bad = (message: string, at: string) =>
        issues.push(...outcome('error', 'invalid', `${where}: ${message}`, 'INVALID_RESOURCE', [at]).issue);
      if (!isObject(resource) || typeof resource.resourceType !== 'string') {
        bad('no resource', where);
        return undefined;
      }
      let id: string = randomUUID();
      if (method === 'PUT') {
        // an update, or a create with the id the client chose (`PUT Patient/example`)
        const url = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(String(request.url ?? ''));
        if (!url || url[1] !== resource.resourceType || (resource.id !== undefined && resource.id !== url[2])) {
          bad('a PUT entry needs request.url Type/id naming its resource', `${where}.request.url`);
          return undefined;
        }
        id = url[2] as string;
        const found = store.get(resource.resourceType, id);
        const ifMatch = typeof request.ifMatch === 'string' ? request.ifMatch : undefined;
        if (found && ifMatch !== undefined && versionOf(ifMatch) !== found.meta.versionId)
          conflict ??= outcome(
            'error',
            'conflict',
            `${where}: If-Match ${ifMatch} does not match the current version ${etag(found)}`,
            'RESOURCE_VERSION_MISMATCH',
          );
      } else if (method !== 'POST') {
        issues.push(
          ...outcome(
            'error',
            'not-supported',
            `${where}: only POST and PUT entries are supported`,
            'INVALID_RESOURCE',
            [`${where}.request.method`],
          ).issue,
        );
        return undefined;
      }
      const invalid = validate({ ...resource, ...(method === 'PUT' ? { id } : {}) }, where);
      if (invalid) issues.push(...invalid.issue);
      return { entry: entry as Record<string, unknown>, resource, id, put: method === 'PUT' };
    });
    if (issues.length > 0) {
      const status = issues.some((issue) => issue.code === 'not-supported' || issue.code === 'invalid') ? 400 : 422;
      throw new Answer({ status, body: { resourceType: 'OperationOutcome', issue: issues } });
    }
    if (conflict) throw new Answer({ status: 409, body: conflict });
    const references = new Map<string, string>();
    for (const plan of planned) {
      if (plan && typeof plan.entry.fullUrl === 'string')
        references.set(plan.entry.fullUrl, `${String(plan.resource.resourceType)}/${plan.id}`);
    }
    const written = planned.map((plan) => {
      const { resource, id, put } = plan as NonNullable<typeof plan>;
      const copy = structuredClone(resource);
      rewriteReferences(copy, references);
      const exists = put && store.get(String(resource.resourceType), id) !== undefined;
      return exists
        ? { status: '200 OK', resource: store.update({ ...copy, id }) }
        : { status: '201 Created', resource: store.create(copy, id) };
    });
    return {
      status: 200,
      body: {
        resourceType: 'Bundle',
        id: randomUUID(),
        type: 'transaction-response',
        entry: written.map(({ status, resource }) => ({
          response: {
            status,
            location: `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`,
            etag: etag(resource),
            lastModified: resource.meta.lastUpdated,
          },
        })),
      },
    };
  };

  const check = (route: Route, headers: Record<string, string>, query: Record<string, string[]>) => {
    const op = route.op;
    if (op.ifMatch === 'required' && headers['if-match'] === undefined)
      throw refuse(
        412,
        outcome('error', 'required', `${op.name} needs an If-Match header`, 'PRECONDITION_FAILED', ['If-Match']),
      );
    const required = new Set((op.requiredHeaders ?? []).map((name) => name.toLowerCase()));
    for (const param of op.params) if (param.in === 'header' && param.required) required.add(param.name.toLowerCase());
    if (op.ifMatch !== undefined) required.delete('if-match');
    for (const name of required) {
      if (headers[name] === undefined || headers[name] === '')
        throw refuse(
          missingHeader.status,
          outcome('error', 'required', `missing header ${name}`, missingHeader.code, [name]),
        );
    }
    for (const [name, values] of Object.entries(query)) {
      if (IGNORED_QUERY.has(name)) continue;
      const param = paramFor(op, name);
      if (!param)
        throw refuse(
          400,
          outcome('error', 'invalid', `${op.name} has no query parameter ${name}`, 'INVALID_SEARCH_DATA', [name]),
        );
      if (param.search?.type.toLowerCase() === 'date') {
        const bad = values.flatMap((value) => value.split(',')).find((value) => !isDateValue(value));
        if (bad !== undefined)
          throw refuse(
            400,
            outcome('error', 'invalid', `${name}: ${JSON.stringify(bad)} is not a date`, 'INVALID_SEARCH_DATA', [name]),
          );
      }
    }
    for (const param of op.params) {
      if (param.in !== 'query' || !param.required) continue;
      const given = Object.keys(query).some((name) => name === param.name || name.split(':')[0] === param.name);
      if (!given)
        throw refuse(
          400,
          outcome('error', 'required', `missing query parameter ${param.name}`, 'INVALID_SEARCH_DATA', [param.name]),
        );
    }
  };

  const answer = async (req: IncomingMessage): Promise<SandboxResponse> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const onPath = routes.filter((route) => route.pattern.test(path));
    if (onPath.length === 0)
      throw refuse(404, outcome('error', 'not-supported', `no operation of ${api.model.api} at ${path}`, 'NOT_FOUND'));
    const route = onPath.find((candidate) => candidate.method === method);
    if (!route) {
      const allow = [...new Set(onPath.map((candidate) => candidate.method))].join(', ');
      throw refuse(405, outcome('error', 'not-supported', `${method} is not allowed on ${path}`), { allow });
    }
    const pathParams: Record<string, string> = {};
    const captured = route.pattern.exec(path) as RegExpExecArray;
    route.names.forEach((name, i) => {
      try {
        pathParams[name] = decodeURIComponent(captured[i + 1] as string);
      } catch {
        throw refuse(400, outcome('error', 'invalid', `the ${name} in the path is not valid percent-encoding`));
      }
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    const query: Record<string, string[]> = {};
    for (const [name, value] of url.searchParams) (query[name] ??= []).push(value);
    check(route, headers, query);
    const text = await readBody(req);
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw refuse(400, outcome('error', 'invalid', 'the body is not JSON', 'INVALID_RESOURCE'));
      }
    }
    return serve(route, { operation: route.op.name, method, path, pathParams, query, headers, body, baseUrl });
  };

  const respond = (req: IncomingMessage, res: ServerResponse, response: SandboxResponse) => {
    const headers: Record<string, string> = { ...response.headers, 'content-type': 'application/fhir+json' };
    for (const name of ['x-request-id', 'x-correlation-id']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const text = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    answer(req)
      .catch((error: unknown) =>
        error instanceof Answer
          ? error.response
          : {
              status: 500,
              body: outcome('fatal', 'exception', `sandbox: ${(error as Error)?.message ?? String(error)}`),
            },
      )
      .then((response) => {
        respond(req, res, response);
        // an early refusal leaves the body unread: drain it
        if (!req.readableEnded) req.resume();
      })
      .catch(() => res.destroy());
  };

  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
        },
        listener,
      )
    : createHttpServer(listener);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  baseUrl = `${options.tls ? 'https' : 'http'}://${shownHost}:${boundPort}`;
  let stopping: Promise<void> | undefined;
  return {
    url: baseUrl,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}

function paramFor(op: SandboxOperation, queryName: string): SandboxParameter | undefined {
  const query = op.params.filter((param) => param.in === 'query');
  const exact = query.find((param) => param.name === queryName);
  if (exact) return exact;
  if (modifierOf(queryName) === undefined) return undefined;
  const base = queryName.split(':')[0];
  return query.find((param) => param.name === base);
}

function queryString(query: Readonly<Record<string, readonly string[]>>): string {
  const params = new URLSearchParams();
  for (const [name, values] of Object.entries(query)) for (const value of values) params.append(name, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
