/**
 * The few FHIR shapes the runtime reads itself, written for both R4 and STU3 so the runtime needs
 * neither model package. The generated clients type bodies with the real models.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface OperationOutcomeIssue {
  severity: string;
  code: string;
  details?: { coding?: Coding[]; text?: string };
  diagnostics?: string;
  location?: string[];
  expression?: string[];
}

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

export interface SearchBundle {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  entry?: unknown[];
  link?: Array<{ relation: string; url: string }>;
}
