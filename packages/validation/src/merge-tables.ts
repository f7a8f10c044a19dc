import type { ValidationTables } from './tables.js';

/**
 * Tables in layers as the packages ship them: the base types' (`@nhs-fhir/r4/validation-tables`), then a profile
 * package's own. A later layer's entry replaces an earlier one under the same key.
 */
export function mergeTables(layers: readonly ValidationTables[]): ValidationTables {
  const [first, ...rest] = layers;
  if (first === undefined) throw new Error('mergeTables: no tables given');
  if (rest.length === 0) return first;
  const merged: ValidationTables = {
    fhirVersion: first.fhirVersion,
    structures: { ...first.structures },
    baseTypes: { ...first.baseTypes },
    primitives: { ...first.primitives },
    valueSets: { ...first.valueSets },
    invariants: { ...first.invariants },
  };
  rest.forEach((layer, position) => {
    if (layer.fhirVersion !== first.fhirVersion)
      throw new Error(
        `mergeTables: layer ${position + 1} is ${layer.fhirVersion} tables, layer 0 is ${first.fhirVersion} tables`,
      );
    Object.assign(merged.structures, layer.structures);
    Object.assign(merged.baseTypes, layer.baseTypes);
    Object.assign(merged.primitives, layer.primitives);
    Object.assign(merged.valueSets, layer.valueSets);
    Object.assign(merged.invariants, layer.invariants);
  });
  return merged;
}
