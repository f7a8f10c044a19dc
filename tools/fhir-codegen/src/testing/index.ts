/**
 * `@nhs-fhir/fhir-codegen/testing`: what the tests of the generated packages use to check them as a consumer
 * would (strict tsc over consumer code and the packages' examples, README examples run as written). Not part of
 * the generator: the pipeline never imports from here.
 */
export {
  strictConsumerTsconfig,
  runTsc,
  typeScriptCompilers,
  readmeExample,
  checkAndRunExample,
  type ExampleInput,
  type TscResult,
} from './example-checks.js';
export { writeProfileExampleChecks, type ProfileExampleCheckFiles } from './profile-example-checks.js';
