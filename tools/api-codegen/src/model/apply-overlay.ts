import { SpecError } from '@nhs-fhir/specs';
import type { OverlayEntry } from './overlay.js';
import type { OperationModel, OverlayOverride, ParameterModel, ResourceShape } from './operations-model.js';

/** Fields an overlay entry may set on an operation, whole. */
const WHOLE_FIELDS = new Set([
  'name',
  'path',
  'method',
  'ifMatch',
  'prefer',
  'search',
  'idempotent',
  'fixedHeaders',
  'interaction',
]);

/**
 * Applies an overlay's corrections to one operation the front end built, recording each as an
 * override (from, to, why, source). Returns undefined when the overlay omits the operation.
 */
export function applyCorrections(
  operation: OperationModel,
  entries: readonly OverlayEntry[],
  log: OverlayOverride[],
  place: { file: string; key: string },
): OperationModel | undefined {
  let result: OperationModel = operation;
  for (const entry of entries) {
    const record = (from: unknown) =>
      log.push({
        operation: result.name,
        field: entry.field,
        from,
        to: entry.value,
        why: entry.why,
        source: entry.source,
      });
    if (entry.field === 'omit') {
      record(false);
      return undefined;
    }
    if (entry.field === 'body.contentType' && result.body) {
      record(result.body.contentType);
      result = { ...result, body: { ...result.body, contentType: String(entry.value) } };
    } else if (entry.field === 'body.resource' && result.body) {
      record(result.body.resource);
      result = { ...result, body: { ...result.body, resource: entry.value as ResourceShape } };
    } else if (entry.field.startsWith('responses.')) {
      const status = entry.field.slice('responses.'.length);
      const previous = result.responses.find((r) => r.status === status);
      record(previous?.resources);
      const resources = entry.value as ResourceShape[];
      result = {
        ...result,
        responses: previous
          ? result.responses.map((r) => (r.status === status ? { ...r, resources } : r))
          : [...result.responses, { status, contentTypes: ['application/fhir+json'], resources }],
      };
    } else if (entry.field === 'params') {
      record(result.params.map((param) => param.name));
      result = withParams(result, entry.value as ParameterModel[]);
    } else if (entry.field === 'params.add') {
      record(undefined);
      result = withParams(result, [...result.params, ...(entry.value as ParameterModel[])]);
    } else if (WHOLE_FIELDS.has(entry.field)) {
      record(result[entry.field as keyof OperationModel]);
      result = { ...result, [entry.field]: entry.value };
    } else {
      throw new SpecError(
        'MANIFEST_INVALID',
        { input: 'overlay', file: place.file, jsonPath: `$.operations.${place.key}` },
        `${entry.field} does not apply to ${operation.sourceId}`,
      );
    }
  }
  return result;
}

/** Replaces the parameters, keeping `requiredHeaders` in step with the required header parameters. */
function withParams(operation: OperationModel, params: ParameterModel[]): OperationModel {
  const headers = new Set(operation.requiredHeaders.filter((name) => operation.managedHeaders.includes(name)));
  for (const param of params) if (param.in === 'header' && param.required) headers.add(param.name);
  return { ...operation, params, requiredHeaders: [...headers] };
}
