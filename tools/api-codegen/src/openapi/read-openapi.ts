import type { HttpMethod, ValueSpec } from '@nhs-fhir/client';
import { dereference, isRecord, type OpenApiFileSet, SpecError } from '@nhs-fhir/specs';
import { applyCorrections } from '../model/apply-overlay.js';
import type { ApiOverlay } from '../model/overlay.js';
import {
  type ApiModel,
  type BodyModel,
  camelCase,
  type OperationModel,
  type OverlayOverride,
  type ParameterModel,
  type ResourceShape,
  type ResponseModel,
} from '../model/operations-model.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);
const IF_MATCH_DOC =
  'The version this change applies to (`W/"<versionId>"`); default: from meta.versionId or the last ETag seen.';

interface Located {
  node: unknown;
  file: string;
}

/**
 * The OpenAPI front end: reads a collected description (every file and pinned remote copy) into
 * the operations model, then applies the API's overlay, recording each override.
 */
export function readOpenApi(set: OpenApiFileSet, overlay: ApiOverlay): ApiModel {
  const root = set.documents.get(set.root);
  const paths = isRecord(root) && isRecord(root['paths']) ? root['paths'] : {};
  const managed = new Set(overlay.managedHeaders.map((name) => name.toLowerCase()));
  const operations: OperationModel[] = [];
  const overrides: OverlayOverride[] = [];
  const seen = new Set<string>();
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(set, rawItem, set.root);
    if (!isRecord(item.node)) continue;
    const shared = Array.isArray(item.node['parameters']) ? item.node['parameters'] : [];
    for (const method of METHODS) {
      if (item.node[method] === undefined) continue;
      const operation = deref(set, item.node[method], item.file);
      if (!isRecord(operation.node)) continue;
      const sourceId = typeof operation.node['operationId'] === 'string' ? operation.node['operationId'] : '';
      const at = `$.paths.${path}.${method}`;
      if (sourceId === '') fail(set, operation.file, at, 'operation has no operationId');
      seen.add(sourceId);
      const built = readOperation(set, { path, method, sourceId, at }, operation, shared, item.file, managed);
      const corrected = applyCorrections(built, overlay.operations[sourceId] ?? [], overrides, {
        file: `specs/apis/${overlay.api}.json`,
        key: sourceId,
      });
      if (corrected !== undefined) operations.push(corrected);
    }
  }
  for (const id of Object.keys(overlay.operations)) {
    if (!seen.has(id)) {
      throw new SpecError(
        'MANIFEST_INVALID',
        { input: 'overlay', file: `specs/apis/${overlay.api}.json`, jsonPath: `$.operations.${id}` },
        `the description has no operation ${id}`,
      );
    }
  }
  return {
    api: overlay.api,
    title: overlay.title,
    fhirVersion: overlay.fhirVersion,
    source: { kind: 'openapi', input: set.input },
    environments: overlay.environments,
    operations,
    overrides,
    missingHeader: overlay.missingHeader ?? { status: 400, code: 'MISSING_OR_INVALID_HEADER' },
  };
}

interface OperationPlace {
  path: string;
  method: (typeof METHODS)[number];
  sourceId: string;
  at: string;
}

function readOperation(
  set: OpenApiFileSet,
  place: OperationPlace,
  operation: Located,
  shared: unknown[],
  itemFile: string,
  managed: Set<string>,
): OperationModel {
  const node = operation.node as Record<string, unknown>;
  const method = place.method.toUpperCase() as HttpMethod;
  // Operation parameters override path-level ones with the same name and location.
  const byKey = new Map<string, Record<string, unknown>>();
  for (const [list, file] of [
    [shared, itemFile],
    [Array.isArray(node['parameters']) ? node['parameters'] : [], operation.file],
  ] as const) {
    for (const raw of list) {
      const param = deref(set, raw, file).node;
      if (isRecord(param) && typeof param['name'] === 'string') byKey.set(`${param['in']}:${param['name']}`, param);
    }
  }
  const params: ParameterModel[] = [];
  const managedHeaders: string[] = [];
  const requiredHeaders: string[] = [];
  let ifMatch: 'required' | 'optional' | undefined;
  for (const param of byKey.values()) {
    const name = param['name'] as string;
    const location = param['in'];
    if (location !== 'path' && location !== 'query' && location !== 'header') continue;
    const required = param['required'] === true;
    if (location === 'header' && required) requiredHeaders.push(name);
    if (location === 'header' && name.toLowerCase() === 'if-match') {
      // The runtime fills it from meta.versionId or the last ETag; a caller may still pass it.
      ifMatch = required ? 'required' : 'optional';
      params.push({ name, in: 'header', required: false, value: { kind: 'string' }, description: IF_MATCH_DOC });
      continue;
    }
    if (location === 'header' && managed.has(name.toLowerCase())) {
      managedHeaders.push(name);
      continue;
    }
    const schema = deref(set, param['schema'], operation.file).node;
    const pattern = isRecord(schema) && typeof schema['pattern'] === 'string' ? schema['pattern'] : undefined;
    const description = typeof param['description'] === 'string' ? firstLine(param['description']) : undefined;
    params.push({
      name,
      in: location,
      required: location === 'path' ? true : required,
      value: valueSpec(set, schema, operation.file),
      ...(pattern !== undefined ? { pattern } : {}),
      ...(description ? { description } : {}),
    });
  }
  const body = readBody(set, node['requestBody'], operation.file);
  const responses = readResponses(set, node['responses'], operation.file);
  const search = method === 'GET' && responses.some((r) => r.status.startsWith('2') && r.resources.some(isBundle));
  const summary = typeof node['summary'] === 'string' ? node['summary'] : place.sourceId;
  return {
    name: camelCase(place.sourceId),
    sourceId: place.sourceId,
    summary,
    method,
    path: place.path,
    params,
    managedHeaders,
    requiredHeaders,
    ...(body ? { body } : {}),
    responses,
    search,
    idempotent: IDEMPOTENT.has(method),
    ...(ifMatch ? { ifMatch } : {}),
  };
}

function readBody(set: OpenApiFileSet, raw: unknown, file: string): BodyModel | undefined {
  if (raw === undefined) return undefined;
  const located = deref(set, raw, file);
  if (!isRecord(located.node) || !isRecord(located.node['content'])) return undefined;
  const [contentType, media] = Object.entries(located.node['content'])[0] ?? [];
  if (contentType === undefined) return undefined;
  const [resource] = mediaResources(set, media, located.file);
  return {
    required: located.node['required'] === true,
    contentType,
    sourceContentType: contentType,
    ...(resource ? { resource } : {}),
  };
}

function readResponses(set: OpenApiFileSet, raw: unknown, file: string): ResponseModel[] {
  const located = deref(set, raw, file);
  if (!isRecord(located.node)) return [];
  return Object.entries(located.node).map(([status, rawResponse]) => {
    const response = deref(set, rawResponse, located.file);
    const node = isRecord(response.node) ? response.node : {};
    const content = isRecord(node['content']) ? node['content'] : {};
    const resources: ResourceShape[] = [];
    for (const media of Object.values(content)) {
      for (const shape of mediaResources(set, media, response.file)) addShape(resources, shape);
    }
    const description = typeof node['description'] === 'string' ? firstLine(node['description']) : undefined;
    return {
      status: String(status),
      contentTypes: Object.keys(content),
      resources,
      ...(description ? { description } : {}),
    };
  });
}

/** The FHIR resources a media type object describes: from its schema, else from its examples. */
function mediaResources(set: OpenApiFileSet, raw: unknown, file: string): ResourceShape[] {
  const media = deref(set, raw, file);
  if (!isRecord(media.node)) return [];
  const fromSchema = schemaResources(set, media.node['schema'], media.file, 0);
  if (fromSchema.length > 0) return fromSchema;
  const examples: unknown[] = [];
  if (media.node['example'] !== undefined) examples.push(deref(set, media.node['example'], media.file).node);
  if (isRecord(media.node['examples'])) {
    for (const example of Object.values(media.node['examples'])) {
      const located = deref(set, example, media.file);
      if (isRecord(located.node)) examples.push(deref(set, located.node['value'], located.file).node);
    }
  }
  const shapes: ResourceShape[] = [];
  for (const example of examples) {
    const shape = exampleShape(example);
    if (shape) addShape(shapes, shape);
  }
  return shapes;
}

function exampleShape(example: unknown): ResourceShape | undefined {
  if (!isRecord(example) || typeof example['resourceType'] !== 'string') return undefined;
  if (example['resourceType'] !== 'Bundle') return { resourceType: example['resourceType'] };
  const entries = new Set<string>();
  for (const entry of Array.isArray(example['entry']) ? example['entry'] : []) {
    if (isRecord(entry) && isRecord(entry['resource']) && typeof entry['resource']['resourceType'] === 'string') {
      entries.add(entry['resource']['resourceType']);
    }
  }
  return { resourceType: 'Bundle', entries: [...entries].sort() };
}

/** The resource types a schema describes, from `resourceType`'s enum, default or example. */
function schemaResources(set: OpenApiFileSet, raw: unknown, file: string, depth: number): ResourceShape[] {
  if (raw === undefined || depth > 8) return [];
  const located = deref(set, raw, file);
  const schema = located.node;
  if (!isRecord(schema)) return [];
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) {
      return schema[key].flatMap((member) => schemaResources(set, member, located.file, depth + 1));
    }
  }
  if (Array.isArray(schema['allOf'])) {
    for (const member of schema['allOf']) {
      const found = schemaResources(set, member, located.file, depth + 1);
      if (found.length > 0) return found;
    }
  }
  const properties = isRecord(schema['properties']) ? schema['properties'] : undefined;
  const resourceTypeSchema = deref(set, properties?.['resourceType'], located.file).node;
  if (!isRecord(resourceTypeSchema)) return [];
  const named = Array.isArray(resourceTypeSchema['enum'])
    ? resourceTypeSchema['enum'][0]
    : (resourceTypeSchema['default'] ?? resourceTypeSchema['example']);
  if (typeof named !== 'string') return [];
  if (named !== 'Bundle') return [{ resourceType: named }];
  const entry = deref(set, properties?.['entry'], located.file);
  const items = isRecord(entry.node) ? deref(set, entry.node['items'], entry.file) : undefined;
  const itemProperties =
    items && isRecord(items.node) && isRecord(items.node['properties']) ? items.node['properties'] : {};
  const entries = schemaResources(set, itemProperties['resource'], items?.file ?? located.file, depth + 1);
  return [{ resourceType: 'Bundle', entries: [...new Set(entries.map((e) => e.resourceType))].sort() }];
}

function valueSpec(set: OpenApiFileSet, schema: unknown, file: string): ValueSpec {
  if (!isRecord(schema)) return { kind: 'string' };
  switch (schema['type']) {
    case 'integer': {
      const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
      const maximum = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
      return {
        kind: 'integer',
        ...(minimum !== undefined ? { minimum } : {}),
        ...(maximum !== undefined ? { maximum } : {}),
      };
    }
    case 'number':
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      return { kind: 'array', items: valueSpec(set, deref(set, schema['items'], file).node, file) };
    default:
      return Array.isArray(schema['enum']) && schema['enum'].every((v) => typeof v === 'string')
        ? { kind: 'string', enum: schema['enum'] as string[] }
        : { kind: 'string' };
  }
}

function deref(set: OpenApiFileSet, node: unknown, file: string): Located {
  return dereference(set, node, file);
}

function isBundle(shape: ResourceShape): boolean {
  return shape.resourceType === 'Bundle';
}

/** Adds a shape to a list; two Bundles become one with the entry types of both. */
function addShape(shapes: ResourceShape[], shape: ResourceShape): void {
  const index = shapes.findIndex((known) => known.resourceType === shape.resourceType);
  if (index === -1) {
    shapes.push(shape);
  } else if (shape.resourceType === 'Bundle') {
    const entries = [...new Set([...(shapes[index]!.entries ?? []), ...(shape.entries ?? [])])].sort();
    shapes[index] = { resourceType: 'Bundle', entries };
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.trim();
}

function fail(set: OpenApiFileSet, file: string, jsonPath: string, what: string): never {
  throw new SpecError('MANIFEST_INVALID', { input: set.input, file, jsonPath }, what);
}
