/**
 * The plain-data description of an API that a generated client hands to the runtime: one entry per
 * operation, with what the runtime needs to check arguments, build the request and read the answer.
 * `tools/api-codegen` emits values of these types from its operations model; this file is the one
 * place the contract between the two is declared.
 */

export type Environment = 'sandbox' | 'int' | 'prod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The JSON type a parameter value must have; what the runtime checks before sending. */
export type ValueSpec =
  | { readonly kind: 'string'; readonly enum?: readonly string[] }
  | { readonly kind: 'integer'; readonly minimum?: number; readonly maximum?: number }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'array'; readonly items: ValueSpec };

export interface ParamSpec {
  /** The name the API gives it on the wire (`patient:identifier`, `IsUnscheduledAccessEvent`). */
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly value: ValueSpec;
  /** The key of the argument object, when it is not `name` (`nhsNumber`, `careSetting`). */
  readonly key?: string;
  /** What is sent, with `{value}` standing for the argument: `https://fhir.nhs.uk/Id/nhs-number|{value}`. */
  readonly format?: string;
  /** The wire value for each argument value: `{ scheduled: 'false', unscheduled: 'true' }`. */
  readonly values?: Readonly<Record<string, string>>;
  /** Sent when the argument is left out; `false` as the argument sends nothing. */
  readonly default?: string;
}

export interface BodySpec {
  readonly required: boolean;
  /** The media type sent in `Content-Type`. */
  readonly contentType: string;
  /** The FHIR resource type the body must be, when it is one. */
  readonly resourceType?: string;
}

export interface OperationSpec {
  readonly method: HttpMethod;
  /** Relative to the base URL, with `{name}` for path parameters: `/Patient/{id}`. */
  readonly path: string;
  readonly params: readonly ParamSpec[];
  readonly body?: BodySpec;
  /** Per status (`200`, `201`, `2XX`), the FHIR resource types a successful body may be. */
  readonly responses: Readonly<Record<string, readonly string[]>>;
  /** A FHIR search: its "no data" answers are normalised to an empty searchset. */
  readonly search: boolean;
  /** Safe to send twice: retried on 502, 504, timeouts and dropped connections. */
  readonly idempotent: boolean;
  /** `required`: the runtime must send `If-Match` (from the argument, `meta.versionId` or the last `ETag`). */
  readonly ifMatch?: 'required' | 'optional';
  /** A fixed `Prefer` header the API wants on this operation. */
  readonly prefer?: string;
  /** Headers whose value the API fixes per operation. */
  readonly fixedHeaders?: Readonly<Record<string, string>>;
  /** Spine-direct: the interaction this operation is (`InteractionID` and JWT scope), handed to the auth. */
  readonly interaction?: { readonly id: string; readonly scope: string };
}

export interface ApiSpec {
  /** A short name used in errors and log events: `pds`. */
  readonly name: string;
  readonly title: string;
  readonly fhirVersion: 'R4' | 'STU3';
  /** Headers that carry the call's request id besides `X-Request-ID` (CP-IS's `TraceID`). */
  readonly traceHeaders?: readonly string[];
  /** Base URLs per environment; an API with none published takes `baseUrl` only. */
  readonly environments: Readonly<Partial<Record<Environment, string>>>;
  readonly operations: Readonly<Record<string, OperationSpec>>;
}
