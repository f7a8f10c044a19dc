export {
  assertTarballClean,
  checkContents,
  checkTarball,
  ignoredAttwProblem,
  PackCheckError,
  type TarballCheck,
  type TarballProblem,
} from './check-tarball.js';
export { npmEnvironment, type PackedTarball, packPackages } from './pack.js';
export { type PublishedPackage, publishedPackages, workspaceRoot } from './published.js';
export { formatPackReport } from './size-report.js';
