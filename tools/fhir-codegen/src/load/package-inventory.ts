import type { PackageGraph } from './package-graph.js';
import { conformanceReferences } from './conformance-references.js';
import type { PackageResource } from './package-store.js';

export interface UnresolvedReference {
  canonical: string;
  /** How many places refer to it. */
  count: number;
  /** The first referring resource and path, to start a search from. */
  firstReferrer: string;
}

export interface PackageInventory {
  key: string;
  fhirVersion: string;
  resources: number;
  byResourceType: Record<string, number>;
  /** Constraints on resources and data types, not extensions. */
  profiles: number;
  extensions: number;
  /** Base resources, data types and logical models (derivation specialization, or none). */
  baseDefinitions: number;
  valueSets: number;
  codeSystems: number;
  capabilityStatements: number;
  examples: number;
  closure: string[];
  omitted: PackageGraph['omitted'];
  /** Canonical references from the package's own resources that resolve nowhere in its closure. */
  unresolved: UnresolvedReference[];
}

const isExtensionDefinition = (resource: PackageResource): boolean =>
  resource.resourceType === 'StructureDefinition' &&
  resource.json['type'] === 'Extension' &&
  resource.json['derivation'] === 'constraint';

/** Counts what a package holds and lists the references that resolve nowhere, without failing on them. */
export function inventoryPackage(graph: PackageGraph): PackageInventory {
  const { root, index } = graph;
  const byResourceType: Record<string, number> = {};
  let profiles = 0;
  let extensions = 0;
  let baseDefinitions = 0;
  const unresolved = new Map<string, UnresolvedReference>();
  for (const resource of root.resources) {
    byResourceType[resource.resourceType] = (byResourceType[resource.resourceType] ?? 0) + 1;
    if (resource.resourceType === 'StructureDefinition') {
      if (isExtensionDefinition(resource)) extensions++;
      else if (resource.json['derivation'] === 'constraint') profiles++;
      else baseDefinitions++;
    }
    for (const reference of conformanceReferences(resource)) {
      if (index.resolve(reference.canonical) !== undefined) continue;
      const known = unresolved.get(reference.canonical);
      if (known !== undefined) known.count++;
      else
        unresolved.set(reference.canonical, {
          canonical: reference.canonical,
          count: 1,
          firstReferrer: `${resource.url ?? resource.file} ${reference.path}`,
        });
    }
  }
  return {
    key: root.key,
    fhirVersion: root.fhirVersion,
    resources: root.resources.length,
    byResourceType: Object.fromEntries(Object.entries(byResourceType).sort(([a], [b]) => a.localeCompare(b))),
    profiles,
    extensions,
    baseDefinitions,
    valueSets: byResourceType['ValueSet'] ?? 0,
    codeSystems: byResourceType['CodeSystem'] ?? 0,
    capabilityStatements: byResourceType['CapabilityStatement'] ?? 0,
    examples: root.examples.length,
    closure: graph.closure.map((pkg) => pkg.key),
    omitted: graph.omitted,
    unresolved: [...unresolved.values()].sort((a, b) => a.canonical.localeCompare(b.canonical)),
  };
}
