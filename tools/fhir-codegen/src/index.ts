export { PackageStore, type LoadedPackage, type PackageResource } from './load/package-store.js';
export { CanonicalIndex } from './load/canonical-index.js';
export { loadPackageGraph, fhirRelease, type PackageGraph, type OmittedDependency } from './load/package-graph.js';
export { conformanceReferences, type ConformanceReference } from './load/conformance-references.js';
export { inventoryPackage, type PackageInventory, type UnresolvedReference } from './load/package-inventory.js';
export { inventoryOpenApi, type OpenApiInventory } from './load/openapi-inventory.js';
export { loadWorkspaceSpecs, type WorkspaceSpecs } from './load/workspace-specs.js';
