/**
 * `@nhs-fhir/specs/testing`: what the tests of the spec sync and of the tools built on it use (temporary
 * workspaces with hand-written fixture packages, package tarballs, a real HTTP server on 127.0.0.1 for upstream
 * fallbacks). Not part of the spec sync: the main entry neither re-exports nor imports it.
 */
export {
  FixtureServer,
  FixtureWorkspace,
  fixturePackageFiles,
  fixtureResources,
  makeTarball,
  writeTree,
  type FixturePackage,
} from './fixture-workspace.js';
export { withoutFhirComments } from './fhir-comments.js';
