/**
 * DSTU2 JSON carried XML comments as `fhir_comments`; STU3 dropped the property. The Spine examples in the real
 * packages still have it (converted from commented XML): tests that check those examples remove it first, so the
 * rest of their content is checked rather than the whole file excluded.
 */
export function withoutFhirComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFhirComments);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'fhir_comments')
      .map(([key, child]) => [key, withoutFhirComments(child)]),
  );
}
