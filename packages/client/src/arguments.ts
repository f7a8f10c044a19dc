import type { OperationSpec, ParamSpec, ValueSpec } from './api-spec.js';
import { type CallSite, InvalidArgumentError } from './errors.js';

/** The parts of a request that come from the caller's arguments. */
export interface RequestParts {
  /** Path with parameters filled in and the query string: `/Patient/9000000009?_history=true`. */
  readonly target: string;
  /** The path alone, used to key the last `ETag` seen for a resource. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

const BODY = 'body';

/**
 * Checks the argument object against the operation and builds the request parts; the first problem
 * is an {@link InvalidArgumentError} naming the operation and the parameter, before anything is sent.
 */
export function buildRequestParts(site: Partial<CallSite>, spec: OperationSpec, args: unknown): RequestParts {
  if (args !== undefined && (args === null || typeof args !== 'object' || Array.isArray(args))) {
    throw new InvalidArgumentError(site, '(arguments)', `expected an object of parameters, got ${describe(args)}`);
  }
  const given = (args ?? {}) as Record<string, unknown>;
  const known = new Map(spec.params.map((param) => [param.key ?? param.name, param]));
  for (const key of Object.keys(given)) {
    if (key === BODY && spec.body !== undefined) continue;
    if (!known.has(key)) {
      const expected = [...known.keys(), ...(spec.body ? [BODY] : [])];
      throw new InvalidArgumentError(
        site,
        key,
        `unknown parameter; expected ${expected.length ? `one of ${expected.join(', ')}` : 'none'}`,
      );
    }
  }
  let path = spec.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const param of spec.params) {
    const key = param.key ?? param.name;
    let value = given[key];
    if (value === false && param.default !== undefined) continue;
    if ((value === undefined || value === null) && param.default !== undefined) value = param.default;
    if (value === undefined || value === null) {
      if (param.required) throw new InvalidArgumentError(site, key, `required ${param.in} parameter is missing`);
      continue;
    }
    checkValue(site, param, param.value, value, key);
    value = wireValue(param, value);
    switch (param.in) {
      case 'path':
        if (String(value) === '') throw new InvalidArgumentError(site, param.name, 'path parameter is empty');
        path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
        break;
      case 'query':
        for (const item of Array.isArray(value) ? value : [value]) query.append(param.name, String(item));
        break;
      case 'header': {
        const text = String(value);
        if (/[\r\n\0]/.test(text)) {
          throw new InvalidArgumentError(site, param.name, 'header value holds a line break or NUL');
        }
        headers[param.name] = text;
        break;
      }
    }
  }
  const body = given[BODY];
  if (spec.body !== undefined) {
    if (body === undefined) {
      if (spec.body.required) throw new InvalidArgumentError(site, BODY, 'required request body is missing');
    } else {
      checkBody(site, spec.body.resourceType, body);
    }
  }
  const search = query.toString();
  return { target: search ? `${path}?${search}` : path, path, headers, body };
}

/** The argument as the API wants it: mapped through `values`, then put into `format`. */
function wireValue(param: ParamSpec, value: unknown): unknown {
  const one = (item: unknown) => {
    const mapped = param.values?.[String(item)] ?? item;
    return param.format === undefined ? mapped : param.format.replace('{value}', String(mapped));
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function checkBody(site: Partial<CallSite>, resourceType: string | undefined, body: unknown): void {
  if (body === null || typeof body !== 'object') {
    throw new InvalidArgumentError(site, BODY, `expected a JSON object or array, got ${describe(body)}`);
  }
  if (resourceType === undefined) return;
  const actual = Array.isArray(body) ? undefined : (body as { resourceType?: unknown }).resourceType;
  if (actual !== resourceType) {
    throw new InvalidArgumentError(
      site,
      BODY,
      `expected a ${resourceType} resource, got ${typeof actual === 'string' ? actual : describe(body)}`,
    );
  }
}

function checkValue(site: Partial<CallSite>, param: ParamSpec, spec: ValueSpec, value: unknown, label: string): void {
  const fail = (what: string) => {
    throw new InvalidArgumentError(site, label, `${what}, got ${describe(value)}`);
  };
  switch (spec.kind) {
    case 'string':
      if (typeof value !== 'string') fail('expected a string');
      if (spec.enum && !spec.enum.includes(value as string)) fail(`expected one of ${spec.enum.join(', ')}`);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('expected an integer');
      if (spec.minimum !== undefined && (value as number) < spec.minimum) fail(`expected at least ${spec.minimum}`);
      if (spec.maximum !== undefined && (value as number) > spec.maximum) fail(`expected at most ${spec.maximum}`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('expected a finite number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected true or false');
      return;
    case 'array':
      if (!Array.isArray(value)) fail('expected an array');
      (value as unknown[]).forEach((item, index) => {
        checkValue(site, param, spec.items, item, `${label}[${index}]`);
      });
      return;
  }
}

/** A short description of a value for an error message: its type, and a prefix of it if it is text. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
