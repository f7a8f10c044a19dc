#!/usr/bin/env node
// Runs the anchor, @atomic-ehr/codegen, on a FHIR package folder already on disk, in its own process so
// the bench times it like any other command. Its cache (.codegen-cache/) goes in the working directory.
import { parseArgs } from 'node:util';
import { APIBuilder, prettyReport } from '@atomic-ehr/codegen';

/** A registry address that refuses connections: if the anchor ever tries to download, it fails at once. */
const NO_REGISTRY = 'http://127.0.0.1:9/';

const { values } = parseArgs({
  options: {
    'package-dir': { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    out: { type: 'string' },
    profiles: { type: 'boolean', default: false },
  },
});
const packageDir = values['package-dir'];
const { name, version, out } = values;
if (packageDir === undefined || name === undefined || version === undefined || out === undefined) {
  console.error(
    'usage: atomic-codegen-runner --package-dir <dir> --name <id> --version <version> --out <dir> [--profiles]',
  );
  process.exit(2);
}

// localStructureDefinitions copies the folder into the anchor's cache and indexes it; with no dependencies
// listed, the canonical manager installs nothing, so no registry is needed.
const builder = new APIBuilder({ registry: NO_REGISTRY })
  .localStructureDefinitions({ package: { name, version }, path: packageDir })
  .typescript({ generateProfile: values.profiles })
  .outputTo(out);
const report = await builder.generate();
console.log(prettyReport(report));
console.log(
  `BENCH_RESULT ${JSON.stringify({
    success: report.success,
    errors: report.errors,
    files: Object.values(report.filesGenerated).reduce((n, files) => n + Object.keys(files).length, 0),
  })}`,
);
process.exit(report.success ? 0 : 1);
