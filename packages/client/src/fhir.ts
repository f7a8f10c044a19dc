/**
 * The few FHIR shapes the runtime reads itself, written for both R4 and STU3 so the runtime needs
 * neither model package. The generated clients type bodies with the real models.
 */

/** A FHIR Coding, as far as the runtime reads it (an issue's detail code). */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

/** One issue of an OperationOutcome: the runtime reads its severity, detail code and location. */
export interface OperationOutcomeIssue {
  severity: string;
  code: string;
  details?: { coding?: Coding[]; text?: string };
  diagnostics?: string;
  location?: string[];
  expression?: string[];
}

/** The FHIR OperationOutcome an API answers with on an error, as far as the runtime reads it. */
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  id?: string;
  issue: OperationOutcomeIssue[];
}

/** Any resource, as far as the runtime looks into it. */
export interface FhirResource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string };
}

/** A FHIR searchset Bundle, as far as the runtime reads it (its `next` link for paging). */
export interface SearchBundle {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  entry?: unknown[];
  link?: Array<{ relation: string; url: string }>;
}
