/**
 * The part of an API's operations model (the JSON `tools/api-codegen` emits as `operations-model.json`)
 * that the sandbox reads. Declared structurally here, with loose `string`s where the model has unions,
 * so that the emitted JSON, read with `JSON.parse` or imported, can be passed as it is.
 */
export interface SandboxModel {
  /** Short name, used in messages: `pds`. */
  readonly api: string;
  /** The API's title, from its description (not used by the sandbox). */
  readonly title?: string;
  /** `R4` or `STU3` (not used by the sandbox: it stores any JSON resource). */
  readonly fhirVersion?: string;
  /** Every operation the sandbox serves; a call matching none gets 404. */
  readonly operations: readonly SandboxOperation[];
  /** How the API answers a call that lacks a required header; 400 `MISSING_HEADER` when the model has none. */
  readonly missingHeader?: {
    /** The HTTP status of the answer, such as 400. */
    readonly status: number;
    /** The code of the OperationOutcome's issue, such as `MISSING_HEADER`. */
    readonly code: string;
  };
}

/** One operation of the API: how it is called, and what it takes and answers. */
export interface SandboxOperation {
  /** The client method name (`getPatient`); `handlers` are keyed by it. */
  readonly name: string;
  /** `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. */
  readonly method: string;
  /** Relative to the base URL, with `{name}` for path parameters: `/Patient/{id}`, `/{type}/{id}`, `/`. */
  readonly path: string;
  /** The operation's path, query and header parameters. */
  readonly params: readonly SandboxParameter[];
  /** Every header the API requires on this operation; a call without one is refused. */
  readonly requiredHeaders?: readonly string[];
  /** The request body, when the operation takes one. */
  readonly body?: {
    /** A call without a body is refused. */
    readonly required?: boolean;
    /** The resource the body should hold. */
    readonly resource?: SandboxResourceShape;
  };
  /** The responses the description declares, by status. */
  readonly responses: readonly SandboxResponseModel[];
  /** A FHIR search: answered with a `searchset` Bundle of the stored resources that match. */
  readonly search?: boolean;
  /** `required`: a call without `If-Match` is refused; `optional`: checked against `meta.versionId` when sent. */
  readonly ifMatch?: string;
}

/** A parameter of an operation. */
export interface SandboxParameter {
  /** The name on the wire: `family`, `_id`, `X-Request-ID`. */
  readonly name: string;
  /** `path`, `query` or `header`. */
  readonly in: string;
  /** A call without it is refused (for a header, as `missingHeader` says). */
  readonly required: boolean;
  /** For a FHIR search parameter: its type and the simple paths it searches (`Flag.subject`). */
  readonly search?: {
    /** The SearchParameter's type: `token`, `string`, `reference`, `date`, ... */
    readonly type: string;
    /** The paths whose values it matches: `Flag.subject`. */
    readonly expressions: readonly string[];
  };
}

/** A response the description declares. */
export interface SandboxResponseModel {
  /** `200`, `201`, `2XX`, `4XX`, `default`. */
  readonly status: string;
  /** The resources its body may hold. */
  readonly resources: readonly SandboxResourceShape[];
}

/** A resource in a body: its type and, for a Bundle, the types of its entries. */
export interface SandboxResourceShape {
  /** `Patient`, `Bundle`, ... */
  readonly resourceType: string;
  /** For a Bundle: the resource types its entries hold. */
  readonly entries?: readonly string[];
}

/** A FHIR resource as the sandbox keeps it. */
export interface StoredResource {
  /** The resource's type: `Flag`. */
  resourceType: string;
  /** Its id: the seed's, or one the sandbox made on create. */
  id: string;
  /** Its metadata; any other `meta` fields are kept as sent. */
  meta: {
    /** `1` on create, one more on each update; the `ETag` is `W/"<versionId>"`. */
    versionId: string;
    /** When it was last stored, as an ISO 8601 instant. */
    lastUpdated?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One issue of an {@link OperationOutcome}, as FHIR defines it (the fields the sandbox uses). */
export interface OutcomeIssue {
  /** `fatal`, `error`, `warning` or `information`. */
  severity: string;
  /** A FHIR issue-type code: `required`, `not-found`, `conflict`, ... */
  code: string;
  /** What is wrong, for a person to read. */
  diagnostics?: string;
  /** FHIRPath expressions naming the elements concerned. */
  expression?: string[];
  /** The API's own error code (PDS's `MISSING_HEADER`, ...), as a CodeableConcept. */
  details?: {
    /** The codes. */
    coding?: Array<{
      /** The code system's URL. */
      system?: string;
      /** The code. */
      code?: string;
      /** The code's display text. */
      display?: string;
    }>;
    /** The concept as text. */
    text?: string;
  };
}

/** The body of every error answer, and what a `validate` function returns. */
export interface OperationOutcome {
  /** Always `OperationOutcome`. */
  resourceType: 'OperationOutcome';
  /** The issues; none when all is well. */
  issue: OutcomeIssue[];
}

/** What a handler is given: the matched operation and the request, its body parsed. */
export interface SandboxRequest {
  /** The operation's name: `getPatient`. */
  readonly operation: string;
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path as called, without the query: `/$removerarecord`. */
  readonly path: string;
  /** The values of the operation's path parameters, decoded. */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Every query parameter with all its values, in order. */
  readonly query: Readonly<Record<string, readonly string[]>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body parsed as JSON; undefined when there was none. */
  readonly body: unknown;
  /** The sandbox's base URL as the client called it: `http://127.0.0.1:4321`. */
  readonly baseUrl: string;
}

/** What a handler answers. */
export interface SandboxResponse {
  /** The HTTP status. */
  readonly status: number;
  /** Sent as JSON with `Content-Type: application/fhir+json`; no body when undefined. */
  readonly body?: unknown;
  /** More response headers (`ETag`, `Location`, ...). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The sandbox's in-memory resources, as handlers see them. Everything in and out is a copy. */
export interface SandboxStore {
  /** The resource of that type and id, or undefined. */
  get(resourceType: string, id: string): StoredResource | undefined;
  /** Every resource of a type, or every resource when no type is given. */
  list(resourceType?: string): StoredResource[];
  /** Stores a new resource: a fresh id, `meta.versionId` '1'. */
  create(resource: object): StoredResource;
  /** Replaces (or adds) the resource with its id, bumping `meta.versionId`. */
  update(resource: object): StoredResource;
  /** True when there was such a resource. */
  delete(resourceType: string, id: string): boolean;
}

/** Answers one operation in place of the sandbox; given the request and the store, it may change the store. */
export type SandboxHandler = (
  request: SandboxRequest,
  store: SandboxStore,
) => SandboxResponse | Promise<SandboxResponse>;

/**
 * What `startSandbox` serves: an API's operations model, the resources to start with, and optionally a validator
 * and handlers. Each client package exports one as `sandboxApi` from its `./sandbox` entry.
 */
export interface SandboxApi {
  /** The operations to serve. */
  readonly model: SandboxModel;
  /** FHIR resources to start with; Bundles of type collection, searchset and transaction are unpacked. */
  readonly seed: readonly object[];
  /** Checks a body before it is stored; any issue of severity `error` or `fatal` refuses it with 422. */
  readonly validate?: (resource: unknown) => OperationOutcome;
  /** Per operation name: answers the operation instead of the sandbox (semantics a model cannot say). */
  readonly handlers?: Readonly<Record<string, SandboxHandler>>;
}
