/**
 * The part of an API's operations model (the JSON `tools/api-codegen` emits as `operations-model.json`)
 * that the sandbox reads. Declared structurally here, with loose `string`s where the model has unions,
 * so that the emitted JSON, read with `JSON.parse` or imported, can be passed as it is.
 */
export interface SandboxModel {
  /** Short name, used in messages: `pds`. */
  readonly api: string;
  readonly title?: string;
  readonly fhirVersion?: string;
  readonly operations: readonly SandboxOperation[];
  /** How the API answers a call that lacks a required header; 400 `MISSING_HEADER` when the model has none. */
  readonly missingHeader?: { readonly status: number; readonly code: string };
}

export interface SandboxOperation {
  /** The client method name (`getPatient`); `handlers` are keyed by it. */
  readonly name: string;
  /** `GET`, `POST`, `PUT`, `PATCH` or `DELETE`. */
  readonly method: string;
  /** Relative to the base URL, with `{name}` for path parameters: `/Patient/{id}`, `/{type}/{id}`, `/`. */
  readonly path: string;
  readonly params: readonly SandboxParameter[];
  /** Every header the API requires on this operation; a call without one is refused. */
  readonly requiredHeaders?: readonly string[];
  readonly body?: { readonly required?: boolean; readonly resource?: SandboxResourceShape };
  readonly responses: readonly SandboxResponseModel[];
  readonly search?: boolean;
  readonly ifMatch?: string;
}

export interface SandboxParameter {
  readonly name: string;
  /** `path`, `query` or `header`. */
  readonly in: string;
  readonly required: boolean;
  /** For a FHIR search parameter: its type and the simple paths it searches (`Flag.subject`). */
  readonly search?: { readonly type: string; readonly expressions: readonly string[] };
}

export interface SandboxResponseModel {
  /** `200`, `201`, `2XX`, `4XX`, `default`. */
  readonly status: string;
  readonly resources: readonly SandboxResourceShape[];
}

export interface SandboxResourceShape {
  readonly resourceType: string;
  readonly entries?: readonly string[];
}

/** A FHIR resource as the sandbox keeps it. */
export interface StoredResource {
  resourceType: string;
  id: string;
  meta: { versionId: string; lastUpdated?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface OutcomeIssue {
  severity: string;
  code: string;
  diagnostics?: string;
  expression?: string[];
  details?: { coding?: Array<{ system?: string; code?: string; display?: string }>; text?: string };
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OutcomeIssue[];
}

/** What a handler is given: the matched operation and the request, its body parsed. */
export interface SandboxRequest {
  readonly operation: string;
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

export interface SandboxResponse {
  readonly status: number;
  /** Sent as JSON with `Content-Type: application/fhir+json`; no body when undefined. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The sandbox's in-memory resources, as handlers see them. Everything in and out is a copy. */
export interface SandboxStore {
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

export type SandboxHandler = (
  request: SandboxRequest,
  store: SandboxStore,
) => SandboxResponse | Promise<SandboxResponse>;

export interface SandboxApi {
  readonly model: SandboxModel;
  /** FHIR resources to start with; Bundles of type collection, searchset and transaction are unpacked. */
  readonly seed: readonly object[];
  /** Checks a body before it is stored; any issue of severity `error` or `fatal` refuses it with 422. */
  readonly validate?: (resource: unknown) => OperationOutcome;
  /** Per operation name: answers the operation instead of the sandbox (semantics a model cannot say). */
  readonly handlers?: Readonly<Record<string, SandboxHandler>>;
}
