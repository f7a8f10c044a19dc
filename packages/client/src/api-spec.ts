/**
 * The plain-data description of an API that a generated client hands to the runtime: one entry per
 * operation, with what the runtime needs to check arguments, build the request and read the answer.
 * `tools/api-codegen` emits values of these types from its operations model; this file is the one
 * place the contract between the two is declared.
 */

/** A published deployment of an API: the open sandbox, integration testing, or production. */
export type Environment = 'sandbox' | 'int' | 'prod';

/** The HTTP methods an operation may use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The JSON type a parameter value must have; what the runtime checks before sending. */
export type ValueSpec =
  | { readonly kind: 'string'; readonly enum?: readonly string[] }
  | { readonly kind: 'integer'; readonly minimum?: number; readonly maximum?: number }
  | { readonly kind: 'number' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'array'; readonly items: ValueSpec };

/** One parameter of an operation: where it goes on the request, its type, and how its argument is sent. */
export interface ParamSpec {
  /** The name the API gives it on the wire (`patient:identifier`, `IsUnscheduledAccessEvent`). */
  readonly name: string;
  /** Where it is sent: a `{name}` of the path, the query string, or a header. */
  readonly in: 'path' | 'query' | 'header';
  /** Left out, the call is refused with InvalidArgumentError before anything is sent. */
  readonly required: boolean;
  /** The JSON type the argument must have. */
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

/** The request body of an operation. */
export interface BodySpec {
  /** Left out, the call is refused with InvalidArgumentError. */
  readonly required: boolean;
  /** The media type sent in `Content-Type`. */
  readonly contentType: string;
  /** The FHIR resource type the body must be, when it is one. */
  readonly resourceType?: string;
}

/** One operation of an API: the request the runtime builds for it and the answers it accepts. */
export interface OperationSpec {
  /** The HTTP method. */
  readonly method: HttpMethod;
  /** Relative to the base URL, with `{name}` for path parameters: `/Patient/{id}`. */
  readonly path: string;
  /** Its parameters, path, query and header. */
  readonly params: readonly ParamSpec[];
  /** Its request body, when it takes one. */
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

/**
 * A whole API as the runtime sees it: its name, FHIR version, base URLs and operations. A generated client
 * passes one to ApiClient.
 */
export interface ApiSpec {
  /** A short name used in errors and log events: `pds`. */
  readonly name: string;
  /** Its human title (`Personal Demographics Service (FHIR)`). */
  readonly title: string;
  /** The FHIR version of its resources. */
  readonly fhirVersion: 'R4' | 'STU3';
  /** Headers that carry the call's request id besides `X-Request-ID` (CP-IS's `TraceID`). */
  readonly traceHeaders?: readonly string[];
  /** Base URLs per environment; an API with none published takes `baseUrl` only. */
  readonly environments: Readonly<Partial<Record<Environment, string>>>;
  /** Its operations, by the name of the client method (`getPatient`). */
  readonly operations: Readonly<Record<string, OperationSpec>>;
}
