#!/usr/bin/env node
// Committed so that npm links the command at install time; the program itself is built into dist/.
import { existsSync } from 'node:fs';

const program = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(program)) {
  process.stderr.write('nhs-fhir-api-codegen: not built yet (no dist/cli.js); run `npm run generate` first\n');
  process.exit(1);
}
await import(program.href);
