import { randomUUID } from 'node:crypto';
import { type CallOptions, type ClientOptions, InvalidArgumentError, type OperationOutcome } from '@nhs-fhir/client';
import {
  type EnglandConditionFlag,
  type EnglandFlagPatientFlag,
  type EnglandFlagPatientFlagAdjustment,
  validate,
} from '@nhs-fhir/nhs-england';
import type { Bundle } from '@nhs-fhir/r4';
import { createPatientFlagsApiClient, type PatientFlagsApiClient } from './generated/index.js';

export * from './generated/index.js';
export {
  responseOf,
  type ClientOptions,
  type CallOptions,
  type ResponseInfo,
  NhsApiError,
  ApiResponseError,
  NotFoundError,
  InvalidArgumentError,
  ClientConfigError,
  UnexpectedResponseError,
  TimeoutError,
  NetworkError,
} from '@nhs-fhir/client';

/** A resource that supports a flag: an adjustment Flag or a Condition, each with its contained Provenance. */
export type SupportingResource = EnglandFlagPatientFlagAdjustment | EnglandConditionFlag;

export interface PatientFlagsClient extends PatientFlagsApiClient {
  /** Adds one supporting resource to a patient's flag: `POST /Flag` or `POST /Condition` by its type. */
  addSupportingResource(args: { body: SupportingResource }, options?: CallOptions): Promise<unknown>;
}

/** Creates a Patient Flags client (CIS2 user-restricted or application-restricted auth, or none for a sandbox). */
export function createPatientFlagsClient(options: ClientOptions): PatientFlagsClient {
  const client = createPatientFlagsApiClient(options);
  return {
    ...client,
    addSupportingResource: (args, callOptions) => {
      const type = (args?.body as { resourceType?: unknown } | undefined)?.resourceType;
      if (type === 'Flag') return client.addFlag({ body: args.body as EnglandFlagPatientFlagAdjustment }, callOptions);
      if (type === 'Condition') return client.addCondition({ body: args.body as EnglandConditionFlag }, callOptions);
      return Promise.reject(
        new InvalidArgumentError(
          { api: 'patient-flags', operation: 'addSupportingResource' },
          'body',
          `expected a Flag or a Condition, got ${typeof type === 'string' ? type.slice(0, 40) : typeof type}`,
        ),
      );
    },
  };
}

/** The transaction Bundle that creates a flag with its supporting resources. */
export interface PatientFlagTransaction extends Bundle {
  type: 'transaction';
}

/** Who records a flag: the contained Provenance every resource of a flag carries [PF-DM]. */
export interface FlagAuthor {
  /** The user's job role (SDS job role name), for `agent.role`. */
  readonly role: { readonly system: string; readonly code: string; readonly display?: string };
  /** `agent.who`: the practitioner (an SDS reference). */
  readonly who: string;
  /** `agent.onBehalfOf`: the organisation. */
  readonly onBehalfOf?: string;
  /** Default: now. */
  readonly recorded?: string;
}

const PROVENANCE_PROFILE = 'https://fhir.nhs.uk/England/StructureDefinition/England-Provenance-Flag';

/**
 * Builds the transaction that `createPatientFlag` sends: the PatientFlag and its supporting resources, each
 * one entry (`POST` with a `urn:uuid` full URL; `PUT` to its own id when it has one, as the IG's examples
 * do). Each resource carries a contained Provenance: its own, or one made from `author` (target `#`,
 * activity CREATE). Every resource is validated against its England profile first, and the builder throws,
 * naming the entry and the element, before anything is sent [PF-V2-ADDTX] [PF-DM].
 */
export function patientFlagTransaction(
  flag: EnglandFlagPatientFlag,
  supporting: readonly SupportingResource[] = [],
  author?: FlagAuthor,
): PatientFlagTransaction {
  const site = { api: 'patient-flags', operation: 'patientFlagTransaction' };
  const resources = [flag, ...supporting].map((resource, index) => {
    const where = index === 0 ? 'flag' : `supporting[${index - 1}]`;
    const hasProvenance = (resource.contained ?? []).some((item) => item?.resourceType === 'Provenance');
    if (!hasProvenance && author === undefined) {
      throw new InvalidArgumentError(
        site,
        where,
        `${resource.resourceType} has no contained Provenance; give an author`,
      );
    }
    const withProvenance = hasProvenance
      ? resource
      : ({ ...resource, contained: [...(resource.contained ?? []), provenanceBy(author!)] } as typeof resource);
    const errors = validate(withProvenance).issue.filter(
      (issue) => issue.severity === 'error' || issue.severity === 'fatal',
    );
    if (errors.length > 0) {
      const first = errors[0]!;
      const at = first.expression?.[0] ?? '';
      throw new InvalidArgumentError(
        site,
        where,
        `${resource.resourceType} fails its profile: ${errors.length} error(s), ` +
          `first at ${at}: ${first.diagnostics ?? first.code}`,
      );
    }
    return withProvenance;
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) =>
      resource.id
        ? {
            fullUrl: `${resource.resourceType}/${resource.id}`,
            resource,
            request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
          }
        : { fullUrl: `urn:uuid:${randomUUID()}`, resource, request: { method: 'POST', url: resource.resourceType } },
    ),
  } as PatientFlagTransaction;
}

function provenanceBy(author: FlagAuthor) {
  return {
    resourceType: 'Provenance' as const,
    id: randomUUID(),
    meta: { profile: [PROVENANCE_PROFILE] },
    target: [{ reference: '#' }],
    recorded: author.recorded ?? new Date().toISOString(),
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }],
    },
    agent: [
      {
        role: [{ coding: [{ ...author.role }] }],
        who: { reference: author.who },
        ...(author.onBehalfOf ? { onBehalfOf: { reference: author.onBehalfOf } } : {}),
      },
    ],
  };
}

/** The detail of a delete's OperationOutcome: "Deleted 1 PatientFlag and 2 associated resources". */
export function deletionSummary(outcome: OperationOutcome): string | undefined {
  return outcome.issue
    .map((issue) => issue.diagnostics ?? issue.details?.text)
    .find((text) => typeof text === 'string');
}
