import { CanonicalIndex } from '../../load/canonical-index.js';
import type { PackageGraph } from '../../load/package-graph.js';
import type { ValidationTables } from '@nhs-fhir/validation';

const CORE_PACKAGES = new Set(['hl7.fhir.r4.core', 'hl7.fhir.r3.core']);

/**
 * The graph of the closure's core package alone (with the dependencies it declares itself): what the base package's
 * `emit --validation` loads, so base tables compiled from it are the ones `@nhs-fhir/r4` and `@nhs-fhir/stu3` ship.
 */
export function coreGraphOf(graph: PackageGraph): PackageGraph | undefined {
  const core = graph.closure.find((pkg) => CORE_PACKAGES.has(pkg.id));
  if (core === undefined) return undefined;
  const closure = [core];
  for (let next = 0; next < closure.length; next++)
    for (const dependency of closure[next]!.dependencies) {
      if ('omit' in dependency) continue;
      const found = graph.closure.find((pkg) => pkg.key === dependency.use);
      if (found !== undefined && !closure.includes(found)) closure.push(found);
    }
  return { root: core, closure, index: new CanonicalIndex(closure), omitted: [] };
}

/**
 * The entries of `tables` that `parent` does not hold with the same content: a profile package's own layer over its
 * base tables. The validation runtime's `mergeTables(parent, layer)` gives `tables` back (key order aside).
 */
export function tablesWithout(tables: ValidationTables, parent: ValidationTables): ValidationTables {
  if (tables.fhirVersion !== parent.fhirVersion)
    throw new Error(`cannot layer ${tables.fhirVersion} tables over ${parent.fhirVersion} tables`);
  const without = <T>(own: Record<string, T>, inherited: Record<string, T>): Record<string, T> =>
    Object.fromEntries(
      Object.entries(own).filter(
        ([key, value]) => !(key in inherited) || JSON.stringify(inherited[key]) !== JSON.stringify(value),
      ),
    );
  return {
    fhirVersion: tables.fhirVersion,
    structures: without(tables.structures, parent.structures),
    baseTypes: without(tables.baseTypes, parent.baseTypes),
    primitives: without(tables.primitives, parent.primitives),
    valueSets: without(tables.valueSets, parent.valueSets),
    invariants: without(tables.invariants, parent.invariants),
  };
}
