import type { HttpMethod } from '@nhs-fhir/client';
import type { PackageGraph, PackageResource } from '@nhs-fhir/fhir-codegen';
import { isRecord, SpecError } from '@nhs-fhir/specs';
import { applyCorrections } from '../model/apply-overlay.js';
import type {
  ApiModel,
  OperationModel,
  OverlayOverride,
  ParameterModel,
  ResourceShape,
  SearchParameterModel,
  StatementCoverage,
} from '../model/operations-model.js';
import type { ApiOverlay, StatementSource } from '../model/overlay.js';

const COMBINATION = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-parameter-combination';

/**
 * The CapabilityStatement front end: reads a statement from its package's closure (with the
 * SearchParameters and OperationDefinitions it refers to) into the operations model: one operation
 * per declared interaction, then the overlay's corrections, omissions and additions, and a coverage
 * list saying what the client does with every interaction the statement declares.
 */
export function readCapabilityStatement(graph: PackageGraph, source: StatementSource, overlay: ApiOverlay): ApiModel {
  const file = `specs/apis/${overlay.api}.json`;
  const found = graph.index.resolve(source.url);
  if (found === undefined || found.resourceType !== 'CapabilityStatement') {
    throw new SpecError('INPUT_NOT_FOUND', { input: source.package, file }, `no CapabilityStatement ${source.url}`);
  }
  const place = { input: source.package, file: found.file };
  const statement = found.json;
  const rest = Array.isArray(statement['rest']) ? statement['rest'].filter(isRecord) : [];
  const candidates: Array<{ key: string; searchParams: string[]; operation: OperationModel }> = [];
  const seenTypes = new Map<string, number>();
  for (const [restIndex, entry] of rest.entries()) {
    const resources = Array.isArray(entry['resource']) ? entry['resource'].filter(isRecord) : [];
    for (const [resourceIndex, resource] of resources.entries()) {
      const type = String(resource['type'] ?? '');
      if (type === '') {
        throw new SpecError(
          'RESOURCE_TYPE_MISSING',
          { ...place, jsonPath: `$.rest[${restIndex}].resource[${resourceIndex}]` },
          'no type',
        );
      }
      const profile = canonicalOf(resource['profile']);
      const count = (seenTypes.get(type) ?? 0) + 1;
      seenTypes.set(type, count);
      const prefix = count === 1 ? type : `${type}(${profile?.split('/').pop() ?? count})`;
      const shape: ResourceShape = { resourceType: type, ...(profile ? { profile } : {}) };
      const params = searchParameters(graph, resource, type);
      const versioned = resource['versioning'] === 'versioned-update';
      const codes = new Set(
        (Array.isArray(resource['interaction']) ? resource['interaction'] : [])
          .filter(isRecord)
          .map((interaction) => String(interaction['code'])),
      );
      for (const code of codes) {
        const operation = interactionOperation(type, code, shape, params, versioned);
        if (operation === undefined) continue;
        candidates.push({
          key: `${prefix}.${code}`,
          searchParams: code === 'search-type' || code === 'read' ? params.map((param) => param.name) : [],
          operation,
        });
      }
    }
    for (const interaction of Array.isArray(entry['interaction']) ? entry['interaction'].filter(isRecord) : []) {
      if (interaction['code'] === 'transaction' || interaction['code'] === 'batch') {
        const code = String(interaction['code']);
        candidates.push({ key: code, searchParams: [], operation: systemBundleOperation(code) });
      }
    }
    for (const operation of Array.isArray(entry['operation']) ? entry['operation'].filter(isRecord) : []) {
      const name = String(operation['name'] ?? '');
      const definition = graph.index.resolve(canonicalOf(operation['definition']) ?? '');
      candidates.push({ key: `$${name}`, searchParams: [], operation: operationDefinitionOperation(name, definition) });
    }
  }
  const overrides: OverlayOverride[] = [];
  const operations: OperationModel[] = [];
  const coverage: StatementCoverage[] = [];
  const used = new Set<string>();
  for (const candidate of candidates) {
    const entries = overlay.operations[candidate.key] ?? [];
    used.add(candidate.key);
    const before = overrides.length;
    const corrected = applyCorrections(candidate.operation, entries, overrides, { file, key: candidate.key });
    const applied = overrides.slice(before);
    const base = { interaction: candidate.key, searchParams: candidate.searchParams };
    if (corrected === undefined) {
      const omitted = entries.find((entry) => entry.field === 'omit')!;
      coverage.push({ ...base, outcome: 'omitted', why: omitted.why, source: omitted.source });
      continue;
    }
    operations.push(corrected);
    coverage.push(
      applied.length === 0
        ? { ...base, outcome: 'generated', operation: corrected.name }
        : {
            ...base,
            outcome: 'overridden',
            operation: corrected.name,
            why: [...new Set(applied.map((override) => override.why))].join('; '),
            source: [...new Set(applied.map((override) => override.source))].join(' '),
          },
    );
  }
  for (const key of Object.keys(overlay.operations)) {
    if (!used.has(key)) {
      throw new SpecError(
        'MANIFEST_INVALID',
        { input: 'overlay', file, jsonPath: `$.operations.${key}` },
        `the statement declares no interaction ${key}; declared: ${candidates.map((c) => c.key).join(', ')}`,
      );
    }
  }
  for (const addition of overlay.additions ?? []) {
    const operation: OperationModel = {
      ...addition.operation,
      sourceId: addition.operation.sourceId ?? addition.operation.name,
      managedHeaders: addition.operation.managedHeaders ?? [],
      requiredHeaders:
        addition.operation.requiredHeaders ??
        addition.operation.params.filter((param) => param.in === 'header' && param.required).map((p) => p.name),
    };
    operations.push(operation);
    overrides.push({
      operation: operation.name,
      field: 'added',
      from: undefined,
      to: `${operation.method} ${operation.path}`,
      why: addition.why,
      source: addition.source,
    });
  }
  if (overlay.requiredHeaders !== undefined) {
    operations.forEach((operation, index) => {
      operations[index] = {
        ...operation,
        requiredHeaders: [...new Set([...operation.requiredHeaders, ...(overlay.requiredHeaders ?? [])])],
      };
    });
  }
  const names = new Set<string>();
  for (const operation of operations) {
    if (names.has(operation.name)) {
      throw new SpecError('MANIFEST_INVALID', { input: 'overlay', file }, `two operations are named ${operation.name}`);
    }
    names.add(operation.name);
  }
  return {
    api: overlay.api,
    title: overlay.title,
    fhirVersion: overlay.fhirVersion,
    source: { kind: 'capability-statement', input: source.package, url: source.url },
    environments: overlay.environments,
    operations,
    overrides,
    missingHeader: overlay.missingHeader ?? { status: 400, code: 'MISSING_OR_INVALID_HEADER' },
    ...(overlay.traceHeaders ? { traceHeaders: overlay.traceHeaders } : {}),
    coverage,
  };
}

function interactionOperation(
  type: string,
  code: string,
  shape: ResourceShape,
  params: ParameterModel[],
  versioned: boolean,
): OperationModel | undefined {
  const id: ParameterModel = { name: 'id', in: 'path', required: true, value: { kind: 'string' } };
  const base = { sourceId: `${type}.${code}`, managedHeaders: [], requiredHeaders: [] };
  const ok = (status: string, resources: ResourceShape[]) => [
    { status, contentTypes: ['application/fhir+json'], resources },
  ];
  const make = (name: string, method: HttpMethod, path: string, rest: Partial<OperationModel>): OperationModel => ({
    ...base,
    name,
    summary: `${code} ${type}`,
    method,
    path,
    params: [],
    responses: [],
    search: false,
    idempotent: method !== 'POST' && method !== 'PATCH',
    ...rest,
  });
  switch (code) {
    case 'read':
      return make(`read${type}`, 'GET', `/${type}/{id}`, { params: [id], responses: ok('200', [shape]) });
    case 'search-type':
      return make(`search${type}`, 'GET', `/${type}`, {
        params,
        responses: ok('200', [{ resourceType: 'Bundle', entries: [type] }]),
        search: true,
      });
    case 'create':
      return make(`create${type}`, 'POST', `/${type}`, {
        body: {
          required: true,
          contentType: 'application/fhir+json',
          sourceContentType: 'application/fhir+json',
          resource: shape,
        },
        responses: ok('201', [shape]),
      });
    case 'update':
      return make(`update${type}`, 'PUT', `/${type}/{id}`, {
        params: [id, ...(versioned ? [ifMatchParam()] : [])],
        body: {
          required: true,
          contentType: 'application/fhir+json',
          sourceContentType: 'application/fhir+json',
          resource: shape,
        },
        responses: ok('200', [shape]),
        ...(versioned ? { ifMatch: 'required' as const } : {}),
      });
    case 'delete':
      return make(`delete${type}`, 'DELETE', `/${type}/{id}`, {
        params: [id],
        responses: ok('200', [{ resourceType: 'OperationOutcome' }]),
      });
    default:
      // vread, history and patch are declared by no API these clients serve; reported as not generated.
      return undefined;
  }
}

function ifMatchParam(): ParameterModel {
  return {
    name: 'If-Match',
    in: 'header',
    required: false,
    value: { kind: 'string' },
    description: 'The version this change applies to; default: from meta.versionId or the last ETag seen.',
  };
}

function systemBundleOperation(code: string): OperationModel {
  const bundle: ResourceShape = { resourceType: 'Bundle' };
  return {
    name: code,
    sourceId: code,
    summary: `${code} Bundle`,
    method: 'POST',
    path: '/',
    params: [],
    managedHeaders: [],
    requiredHeaders: [],
    body: {
      required: true,
      contentType: 'application/fhir+json',
      sourceContentType: 'application/fhir+json',
      resource: bundle,
    },
    responses: [{ status: '200', contentTypes: ['application/fhir+json'], resources: [bundle] }],
    search: false,
    idempotent: false,
  };
}

function operationDefinitionOperation(name: string, definition: PackageResource | undefined): OperationModel {
  const json = definition?.json ?? {};
  const system = json['system'] === true;
  const types = Array.isArray(json['resource']) ? json['resource'].map(String) : [];
  return {
    name,
    sourceId: `$${name}`,
    summary:
      typeof json['title'] === 'string' ? json['title'] : typeof json['name'] === 'string' ? json['name'] : `$${name}`,
    method: 'POST',
    path: system || types.length !== 1 ? `/$${name}` : `/${types[0]}/$${name}`,
    params: [],
    managedHeaders: [],
    requiredHeaders: [],
    body: {
      required: true,
      contentType: 'application/fhir+json',
      sourceContentType: 'application/fhir+json',
      resource: { resourceType: 'Parameters' },
    },
    responses: [
      { status: '200', contentTypes: ['application/fhir+json'], resources: [{ resourceType: 'OperationOutcome' }] },
    ],
    search: false,
    idempotent: false,
  };
}

/** The statement's search parameters of a resource, each with its SearchParameter's type and paths. */
function searchParameters(graph: PackageGraph, resource: Record<string, unknown>, type: string): ParameterModel[] {
  const required = new Set<string>();
  for (const extension of Array.isArray(resource['extension']) ? resource['extension'].filter(isRecord) : []) {
    if (extension['url'] !== COMBINATION) continue;
    for (const part of Array.isArray(extension['extension']) ? extension['extension'].filter(isRecord) : []) {
      if (part['url'] === 'required' && typeof part['valueString'] === 'string') required.add(part['valueString']);
    }
  }
  const params = Array.isArray(resource['searchParam']) ? resource['searchParam'].filter(isRecord) : [];
  return params.map((param) => {
    const name = String(param['name']);
    const search = searchParameterModel(graph, param, type, name);
    return {
      name,
      in: 'query' as const,
      required: required.has(name),
      value: { kind: 'string' as const },
      ...(typeof param['documentation'] === 'string' ? { description: param['documentation'] } : {}),
      ...(search ? { search } : {}),
    };
  });
}

function searchParameterModel(
  graph: PackageGraph,
  param: Record<string, unknown>,
  type: string,
  code: string,
): SearchParameterModel | undefined {
  const byDefinition = typeof param['definition'] === 'string' ? graph.index.resolve(param['definition']) : undefined;
  const definition =
    byDefinition ??
    graph.closure
      .flatMap((pkg) => pkg.resources)
      .find(
        (candidate) =>
          candidate.resourceType === 'SearchParameter' &&
          candidate.json['code'] === code &&
          Array.isArray(candidate.json['base']) &&
          candidate.json['base'].includes(type),
      );
  const expression = typeof definition?.json['expression'] === 'string' ? definition.json['expression'] : undefined;
  const paramType = String(param['type'] ?? definition?.json['type'] ?? 'token');
  if (expression === undefined) return { type: paramType, expressions: [] };
  return { type: paramType, expressions: simplePaths(expression, type) };
}

/** `CareTeam.subject.where(resolve() is Patient) | AuditEvent.agent.who` for CareTeam -> [`CareTeam.subject`]. */
export function simplePaths(expression: string, type: string): string[] {
  return expression
    .split('|')
    .map((part) =>
      part
        .trim()
        .replace(/^\((.*)\)$/, '$1')
        .replace(/\.where\(.*\)$/, '')
        .replace(/\.as\(([^)]*)\)/g, '')
        .replace(/ as \w+$/, '')
        .trim(),
    )
    .filter((path) => path === type || path.startsWith(`${type}.`));
}

function canonicalOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value['reference'] === 'string') return value['reference'];
  return undefined;
}
