import { defaultSpecPaths, fhirPackageKey, syncSpecs, type SpecPaths, type SyncResult } from '@nhs-fhir/specs';
import { inventoryOpenApi, type OpenApiInventory } from './openapi-inventory.js';
import { loadPackageGraph } from './package-graph.js';
import { inventoryPackage, type PackageInventory } from './package-inventory.js';
import { PackageStore } from './package-store.js';

export interface WorkspaceSpecs {
  sync: SyncResult;
  store: PackageStore;
  packages: PackageInventory[];
  openapi: OpenApiInventory[];
}

/**
 * Syncs every input of the workspace's manifest (a no-op when the cache already matches the lock),
 * then loads each FHIR package with its closure and each OpenAPI description, and inventories them.
 */
export async function loadWorkspaceSpecs(
  paths: SpecPaths = defaultSpecPaths(),
  mode: 'sync' | 'frozen' = 'sync',
): Promise<WorkspaceSpecs> {
  const sync = await syncSpecs({ paths, mode });
  const store = new PackageStore(paths.cache, sync.manifest);
  const packages: PackageInventory[] = [];
  for (const input of sync.manifest.fhirPackages) {
    packages.push(inventoryPackage(await loadPackageGraph(store, fhirPackageKey(input))));
  }
  const openapi = await Promise.all(sync.manifest.openapi.map((input) => inventoryOpenApi(paths.cache, input)));
  return { sync, store, packages, openapi };
}
