import { isRecord } from '@nhs-fhir/specs';
import type { ApiModel } from '../model/operations-model.js';

type Resource = Record<string, unknown> & { resourceType: string };

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
const UNPACKED = new Set(['collection', 'searchset', 'transaction', 'batch', 'transaction-response']);

/** Every resource type the API serves: response bodies, Bundle entries and request bodies. */
export function servedTypes(model: ApiModel): Set<string> {
  const types = new Set<string>();
  for (const operation of model.operations) {
    if (operation.body?.resource) types.add(operation.body.resource.resourceType);
    for (const response of operation.responses) {
      for (const shape of response.resources) {
        types.add(shape.resourceType);
        for (const entry of shape.entries ?? []) types.add(entry);
      }
    }
  }
  types.delete('OperationOutcome');
  types.delete('Bundle');
  types.delete('Parameters');
  return types;
}

/**
 * The resources a local sandbox starts with, from the examples the API's own publisher wrote: those
 * of a served type, Bundles unpacked into their entries, duplicates (type and id) once. Patients
 * come too, and a reference to a seeded Patient with an NHS number gains that number as its
 * `identifier`, so a search by the examples' NHS numbers finds them.
 */
export function sandboxSeed(examples: readonly unknown[], served: ReadonlySet<string>): Resource[] {
  const seed = new Map<string, Resource>();
  const add = (value: unknown) => {
    if (!isRecord(value) || typeof value['resourceType'] !== 'string') return;
    const resource = value as Resource;
    if (resource.resourceType === 'Bundle' && UNPACKED.has(String(resource['type']))) {
      for (const entry of Array.isArray(resource['entry']) ? resource['entry'] : []) {
        if (isRecord(entry)) add(entry['resource']);
      }
      return;
    }
    if (!served.has(resource.resourceType) && resource.resourceType !== 'Patient') return;
    const key = `${resource.resourceType}/${String(resource['id'] ?? seed.size)}`;
    if (!seed.has(key)) seed.set(key, structuredClone(resource));
  };
  for (const example of examples) add(example);
  const nhsNumbers = new Map<string, string>();
  for (const [key, resource] of seed) {
    if (resource.resourceType !== 'Patient') continue;
    const identifier = (Array.isArray(resource['identifier']) ? resource['identifier'] : []).find(
      (item) => isRecord(item) && item['system'] === NHS_NUMBER && typeof item['value'] === 'string',
    ) as { value: string } | undefined;
    if (identifier) nhsNumbers.set(key, identifier.value);
  }
  const link = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) link(item);
      return;
    }
    if (!isRecord(node)) return;
    const nhs = typeof node['reference'] === 'string' ? nhsNumbers.get(node['reference']) : undefined;
    if (nhs !== undefined && node['identifier'] === undefined) node['identifier'] = { system: NHS_NUMBER, value: nhs };
    for (const value of Object.values(node)) link(value);
  };
  for (const resource of seed.values()) if (resource.resourceType !== 'Patient') link(resource);
  return [...seed.values()];
}

/** The examples of an OpenAPI description's successful responses (a bundled document). */
export function openApiExamples(bundle: unknown): unknown[] {
  const found: unknown[] = [];
  const paths = isRecord(bundle) && isRecord(bundle['paths']) ? bundle['paths'] : {};
  for (const item of Object.values(paths)) {
    if (!isRecord(item)) continue;
    for (const operation of Object.values(item)) {
      const responses = isRecord(operation) && isRecord(operation['responses']) ? operation['responses'] : {};
      for (const [status, response] of Object.entries(responses)) {
        if (!status.startsWith('2') || !isRecord(response) || !isRecord(response['content'])) continue;
        for (const media of Object.values(response['content'])) {
          if (!isRecord(media)) continue;
          if (media['example'] !== undefined) found.push(media['example']);
          for (const example of isRecord(media['examples']) ? Object.values(media['examples']) : []) {
            if (isRecord(example)) found.push(example['value']);
          }
        }
      }
    }
  }
  return found;
}
