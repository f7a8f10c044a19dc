/**
 * JSON helpers every stage reads FHIR resources with. `isRecord` is the one of @nhs-fhir/specs (the spec sync
 * reads the same JSON); the generator imports it from here, not from the sync's manifest module.
 */
export { isRecord } from '@nhs-fhir/specs';

/** Deep copy of JSON data; faster than structuredClone and keeps key order. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = cloneJson(item);
    return out as T;
  }
  return value;
}
