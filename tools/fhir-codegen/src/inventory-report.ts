import type { WorkspaceSpecs } from './load/workspace-specs.js';

/** The human-readable summary `npm run generate` prints: what was loaded, counted, and left unresolved. */
export function formatInventory(specs: WorkspaceSpecs): string {
  const lines: string[] = [];
  lines.push(`FHIR packages (${specs.packages.length})`);
  for (const pkg of specs.packages) {
    lines.push(`  ${pkg.key}  FHIR ${pkg.fhirVersion}  ${pkg.resources} resources`);
    lines.push(
      `    profiles ${pkg.profiles}, extensions ${pkg.extensions}, base definitions ${pkg.baseDefinitions}, ` +
        `value sets ${pkg.valueSets}, ` +
        `code systems ${pkg.codeSystems}, capability statements ${pkg.capabilityStatements}, examples ${pkg.examples}`,
    );
    const others = Object.entries(pkg.byResourceType)
      .filter(([type]) => !['StructureDefinition', 'ValueSet', 'CodeSystem', 'CapabilityStatement'].includes(type))
      .map(([type, count]) => `${type} ${count}`);
    if (others.length > 0) lines.push(`    also: ${others.join(', ')}`);
    if (pkg.closure.length > 1) lines.push(`    dependencies: ${pkg.closure.slice(1).join(', ')}`);
    for (const omitted of pkg.omitted.filter((entry) => entry.by === pkg.key)) {
      lines.push(`    left out: ${omitted.id}#${omitted.declared} (${omitted.reason})`);
    }
    if (pkg.unresolved.length > 0) {
      lines.push(`    unresolved references (${pkg.unresolved.length}, not fatal):`);
      for (const ref of pkg.unresolved)
        lines.push(`      ${ref.canonical}  x${ref.count}, first from ${ref.firstReferrer}`);
    }
  }
  lines.push(`OpenAPI descriptions (${specs.openapi.length})`);
  for (const api of specs.openapi) {
    lines.push(
      `  ${api.key}  "${api.title}" OpenAPI ${api.openapi}, ${api.files} files, ${api.operations.length} operations`,
    );
    lines.push(`    ${api.operations.map((op) => `${op.method} ${op.path}`).join(', ')}`);
  }
  return lines.join('\n');
}
