import type { Environment, HttpMethod, ParamSpec } from '@nhs-fhir/client';

/**
 * The operations model: one plain-data description of an API, whatever it was read from (an OpenAPI
 * description now, a CapabilityStatement with its overlay next). Front ends build it; the one emitter
 * reads it; `printOperationsModel` turns it into text that can be reviewed and diffed.
 */
export interface ApiModel {
  /** Short name, used in errors and file names: `pds`. */
  readonly api: string;
  readonly title: string;
  readonly fhirVersion: 'R4' | 'STU3';
  readonly source: ModelSource;
  readonly environments: Readonly<Partial<Record<Environment, string>>>;
  readonly operations: readonly OperationModel[];
  /** Every place the overlay changed what the source says, with the reason and its source tag. */
  readonly overrides: readonly OverlayOverride[];
  /** Headers that carry each call's request id besides `X-Request-ID` (CP-IS: `TraceID`). */
  readonly traceHeaders?: readonly string[];
  /** How the API answers a call that lacks a required header (CP-IS: 400 PRECONDITION_FAILED). */
  readonly missingHeader: { readonly status: number; readonly code: string };
  /** For a CapabilityStatement: every interaction it declares, and what the client does with it. */
  readonly coverage?: readonly StatementCoverage[];
}

export interface ModelSource {
  readonly kind: 'openapi' | 'capability-statement';
  /** The spec input it came from: `personal-demographics-service@f57f5839`. */
  readonly input: string;
  /** For a CapabilityStatement: its canonical URL. */
  readonly url?: string;
}

/** What the client does with one interaction a CapabilityStatement declares. */
export interface StatementCoverage {
  /** `CareTeam.read`, `Flag.search-type`, `transaction`, `$removerarecord`. */
  readonly interaction: string;
  readonly searchParams: readonly string[];
  readonly outcome: 'generated' | 'overridden' | 'omitted';
  readonly operation?: string;
  readonly why?: string;
  readonly source?: string;
}

export interface OperationModel {
  /** The client method name: the camel-cased operationId (`getPatient`). */
  readonly name: string;
  /** The id the source gives it (`get-patient`). */
  readonly sourceId: string;
  readonly summary: string;
  readonly method: HttpMethod;
  readonly path: string;
  /** What the caller passes, keyed by these names. */
  readonly params: readonly ParameterModel[];
  /** Headers the source declares that the runtime sets itself (request id, auth, content type). */
  readonly managedHeaders: readonly string[];
  /** Every header the API requires on this operation, managed or not (a sandbox refuses a call without one). */
  readonly requiredHeaders: readonly string[];
  readonly body?: BodyModel;
  readonly responses: readonly ResponseModel[];
  readonly search: boolean;
  readonly idempotent: boolean;
  readonly ifMatch?: 'required' | 'optional';
  readonly prefer?: string;
  readonly fixedHeaders?: Readonly<Record<string, string>>;
  /** Spine-direct: the `InteractionID` and JWT scope of this operation. */
  readonly interaction?: { readonly id: string; readonly scope: string };
}

/** A parameter as the runtime reads it (`ParamSpec` of @nhs-fhir/client), with what the reader and the sandbox need. */
export interface ParameterModel extends ParamSpec {
  /** Kept for the reader and the docs; the runtime leaves patterns to the server. */
  readonly pattern?: string;
  readonly description?: string;
  /** For a FHIR search parameter: its type and the FHIRPath expressions it searches (from its SearchParameter). */
  readonly search?: SearchParameterModel;
}

export interface SearchParameterModel {
  readonly type: string;
  /** One simple path per resource type it applies to: `Patient.name.family`, `Flag.subject`. */
  readonly expressions: readonly string[];
}

export interface BodyModel {
  readonly required: boolean;
  readonly contentType: string;
  /** The media type the source declares the body's schema under (before any overlay change). */
  readonly sourceContentType: string;
  /** Set when the body is a FHIR resource: typed with the FHIR models, not the source's schema. */
  readonly resource?: ResourceShape;
}

export interface ResponseModel {
  /** `200`, `201`, `4XX`, `default`. */
  readonly status: string;
  readonly contentTypes: readonly string[];
  /** The FHIR resources the body may be; empty when it is none or unknown. */
  readonly resources: readonly ResourceShape[];
  readonly description?: string;
}

/** A FHIR resource type, and for a Bundle the types of its entries. */
export interface ResourceShape {
  readonly resourceType: string;
  readonly entries?: readonly string[];
  /** The profile it is declared with, when the source names one (a CapabilityStatement's `profile`). */
  readonly profile?: string;
}

export interface OverlayOverride {
  readonly operation: string;
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly why: string;
  /** The source tag from `shared/docs/api-facts.md`: `[PDS-COV-POST]`. */
  readonly source: string;
}

/** The model as stable, reviewable JSON text (two-space indent, fields in declaration order). */
export function printOperationsModel(model: ApiModel): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}

/** `get-patient` and `get_patient` to `getPatient`; `readFlag` stays as it is. */
export function camelCase(id: string): string {
  return id
    .replace(/[-_\s]+([a-zA-Z0-9])/g, (_, letter: string) => letter.toUpperCase())
    .replace(/^[A-Z]/, (c) => c.toLowerCase());
}
