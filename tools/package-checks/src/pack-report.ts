// `npm run pack:report` (and the package-checks `bench` target): packs every published package, checks each
// tarball and prints its packed and unpacked size with the problems found. Sizes are printed, never asserted.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTarball } from './check-tarball.js';
import { packPackages } from './pack.js';
import { publishedPackages } from './published.js';
import { formatPackReport } from './size-report.js';

const destination = await mkdtemp(join(tmpdir(), 'nhs-fhir-pack-'));
try {
  const tarballs = await packPackages(
    publishedPackages().map((pkg) => pkg.dir),
    destination,
  );
  const checks = [];
  for (const tarball of tarballs) checks.push(await checkTarball(tarball.tarball));
  console.log(formatPackReport(tarballs, checks));
  for (const check of checks) {
    for (const problem of check.problems) console.log(`${check.name}: ${problem.tool}: ${problem.message}`);
    if (check.ignored.length > 0) console.log(`${check.name}: attw, ignored on purpose: ${check.ignored.join('; ')}`);
  }
} finally {
  await rm(destination, { recursive: true, force: true });
}
