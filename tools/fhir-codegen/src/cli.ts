#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { SpecError, defaultSpecPaths } from '@nhs-fhir/specs';
import { formatInventory } from './inventory-report.js';
import { loadWorkspaceSpecs } from './load/workspace-specs.js';

const USAGE = `usage: nhs-fhir-codegen <command>

  inventory [--frozen]   sync the specs, load every FHIR package with its dependencies and every
                         OpenAPI description, and print what was loaded`;

export async function runCodegenCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { frozen: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  const [command] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'inventory') {
    const paths = defaultSpecPaths();
    const specs = await loadWorkspaceSpecs(paths, values.frozen ? 'frozen' : 'sync');
    const fetched = specs.sync.inputs.filter((input) => input.status !== 'cached');
    console.log(`spec sync: ${specs.sync.inputs.length} inputs, ${fetched.length} fetched (mirror: ${paths.mirror ?? 'none'}, cache: ${paths.cache})`);
    console.log(formatInventory(specs));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  runCodegenCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`error: ${error instanceof SpecError || error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
