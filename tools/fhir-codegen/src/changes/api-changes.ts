import { dereference, isRecord, type OpenApiFileSet } from '@nhs-fhir/specs';
import type { SpecChange } from './change-model.js';
import type { OpenApiFolder } from './spec-folders.js';

/** A parameter or header of an operation. */
export interface ApiParameter {
  name: string;
  /** `query`, `path`, `header`, `cookie`; `search` for a CapabilityStatement's search parameters. */
  in: string;
  required: boolean;
}

/** What the comparison needs of an API: its operations by key (`GET /Patient/{id}`, `search-type Patient`). */
export interface ApiModel {
  subject: string;
  operations: Map<string, ApiParameter[]>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The operations of an OpenAPI description (2 or 3), with their parameters and headers. */
export function openApiModel(api: OpenApiFolder): ApiModel {
  const set: OpenApiFileSet = {
    input: api.id,
    root: api.root,
    bytes: new Map(),
    documents: api.documents,
    remoteRefs: {},
  };
  const root = api.documents.get(api.root);
  const paths = isRecord(root) && isRecord(root['paths']) ? root['paths'] : {};
  const operations = new Map<string, ApiParameter[]>();
  for (const [path, item] of Object.entries(paths)) {
    const { node, file } = dereference(set, item, api.root);
    if (!isRecord(node)) continue;
    const parametersOf = (list: unknown, from: string): ApiParameter[] =>
      (Array.isArray(list) ? list : []).flatMap((entry) => {
        const parameter = dereference(set, entry, from).node;
        if (!isRecord(parameter) || typeof parameter['name'] !== 'string' || typeof parameter['in'] !== 'string')
          return [];
        return [{ name: parameter['name'], in: parameter['in'], required: parameter['required'] === true }];
      });
    const shared = parametersOf(node['parameters'], file);
    for (const method of HTTP_METHODS) {
      const operation = dereference(set, node[method], file);
      if (!isRecord(operation.node)) continue;
      const own = parametersOf(operation.node['parameters'], operation.file);
      // An operation's own parameter overrides a path-level one of the same name and place.
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      operations.set(`${method.toUpperCase()} ${path}`, merged);
    }
  }
  return { subject: `openapi:${api.id}`, operations };
}

/**
 * The interactions, operations and search parameters of a CapabilityStatement (server side): keys
 * `read Patient`, `search-type Patient` (its search parameters as optional parameters), `$match Patient`.
 */
export function capabilityStatementModel(json: Record<string, unknown>): ApiModel {
  const operations = new Map<string, ApiParameter[]>();
  const rests = Array.isArray(json['rest']) ? json['rest'].filter(isRecord) : [];
  const named = (list: unknown): Record<string, unknown>[] => (Array.isArray(list) ? list.filter(isRecord) : []);
  for (const rest of rests) {
    const mode = rest['mode'] === 'client' ? 'client ' : '';
    for (const interaction of named(rest['interaction']))
      if (typeof interaction['code'] === 'string') operations.set(`${mode}${interaction['code']}`, []);
    for (const operation of named(rest['operation']))
      if (typeof operation['name'] === 'string') operations.set(`${mode}$${operation['name']}`, []);
    for (const resource of named(rest['resource'])) {
      const type = String(resource['type'] ?? '?');
      const search = named(resource['searchParam']).flatMap((param) =>
        typeof param['name'] === 'string' ? [{ name: param['name'], in: 'search', required: false }] : [],
      );
      for (const interaction of named(resource['interaction'])) {
        if (typeof interaction['code'] !== 'string') continue;
        operations.set(`${mode}${interaction['code']} ${type}`, interaction['code'] === 'search-type' ? search : []);
      }
      for (const operation of named(resource['operation']))
        if (typeof operation['name'] === 'string') operations.set(`${mode}$${operation['name']} ${type}`, []);
    }
  }
  return { subject: String(json['url'] ?? json['id'] ?? 'CapabilityStatement'), operations };
}

/**
 * Operations added (not breaking) and removed (breaking); parameters and headers added (breaking
 * when required), removed (breaking: a client's typed argument goes away), or made required (breaking).
 */
export function compareApiModels(before: ApiModel, after: ApiModel): SpecChange[] {
  const changes: SpecChange[] = [];
  const subject = after.subject;
  for (const [key] of before.operations) {
    if (!after.operations.has(key))
      changes.push({ subject, element: key, kind: 'operation-removed', breaking: true, detail: 'operation removed' });
  }
  for (const [key, parameters] of after.operations) {
    const previous = before.operations.get(key);
    if (previous === undefined) {
      changes.push({ subject, element: key, kind: 'operation-added', breaking: false, detail: 'operation added' });
      continue;
    }
    const label = (p: ApiParameter) => (p.in === 'header' ? `header ${p.name}` : `${p.in} parameter ${p.name}`);
    const kindOf = (p: ApiParameter, what: 'added' | 'removed' | 'required') =>
      p.in === 'header' ? (`header-${what}` as const) : (`parameter-${what}` as const);
    const same = (a: ApiParameter, b: ApiParameter) =>
      (a.in === 'header' ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name) && a.in === b.in;
    for (const old of previous) {
      const next = parameters.find((p) => same(p, old));
      if (next === undefined)
        changes.push({
          subject,
          element: key,
          kind: kindOf(old, 'removed'),
          breaking: true,
          detail: `${label(old)} removed`,
        });
      else if (next.required !== old.required)
        changes.push({
          subject,
          element: key,
          kind: kindOf(old, 'required'),
          breaking: next.required,
          before: old.required ? 'required' : 'optional',
          after: next.required ? 'required' : 'optional',
          detail: `${label(old)} ${next.required ? 'now required' : 'now optional'}`,
        });
    }
    for (const next of parameters) {
      if (previous.some((p) => same(p, next))) continue;
      changes.push({
        subject,
        element: key,
        kind: kindOf(next, 'added'),
        breaking: next.required,
        detail: `${next.required ? 'required' : 'optional'} ${label(next)} added`,
      });
    }
  }
  return changes;
}
