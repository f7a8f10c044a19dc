export type { ApiSpec, OperationSpec, ParamSpec, BodySpec, ValueSpec, Environment, HttpMethod } from './api-spec.js';
export {
  ApiClient,
  type ClientOptions,
  type CallOptions,
  type ClientHooks,
  type ResourceValidator,
  type ValidateMode,
} from './client.js';
export * from './errors.js';
export type { ClientEvent, ClientEventType, ClientLogger } from './logging.js';
export type { Coding, OperationOutcome, OperationOutcomeIssue, FhirResource, SearchBundle } from './fhir.js';
export { responseOf, type ResponseInfo, type NoData } from './response-info.js';
export { ifMatchFrom, ifMatchForResource } from './versioning.js';
export { parseRetryAfter, DEFAULT_RETRY, type RetryOptions } from './retry.js';
