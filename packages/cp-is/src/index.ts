import { ClientConfigError, type ClientOptions } from '@nhs-fhir/client';
import type { AuditEvent, Bundle, CareTeam, PractitionerRole } from '@nhs-fhir/r4';
import { type CpisApiClient, createCpisApiClient } from './generated/index.js';

export * from './generated/index.js';
export {
  responseOf,
  type ClientOptions,
  type CallOptions,
  type ResponseInfo,
  NhsApiError,
  ApiResponseError,
  BadRequestError,
  ForbiddenError,
  InvalidArgumentError,
  ClientConfigError,
  UnexpectedResponseError,
  TimeoutError,
  NetworkError,
} from '@nhs-fhir/client';

/** The CP-IS client: `searchCareTeam` and `searchAuditEvent`, typed with the England profiles. */
export type CpisClient = CpisApiClient;

/**
 * Creates a CP-IS client. CP-IS requires CIS2 user-restricted access (separate authentication and
 * authorisation) and says unattended access is not suitable [CPIS-AUTH]: application-restricted or
 * Spine-direct auth is refused here, before any call. `auth` may be left out for a sandbox.
 */
export function createCpisClient(options: ClientOptions): CpisClient {
  const mode = options?.auth?.mode;
  if (mode !== undefined && mode !== 'user-restricted') {
    throw new ClientConfigError(
      'cp-is',
      'auth',
      `CP-IS needs CIS2 user-restricted auth (UserRestrictedAuth); ${mode} access is not allowed for it`,
    );
  }
  return createCpisApiClient(options);
}

/** A child protection plan as the data-mapping page reads a CareTeam [CPIS-MAP]. */
export interface ChildProtectionPlan {
  /** The plan type (England-ChildProtectionPlan, SNOMED CT): `category[0].coding[0]`. */
  readonly planType: { readonly code?: string; readonly display?: string } | undefined;
  readonly start: string | undefined;
  readonly end: string | undefined;
  /** The responsible local authority: `name`. */
  readonly localAuthority: string | undefined;
  /** `telecom` with `use: mobile`. */
  readonly emergencyDutyPhone: string | undefined;
  /** `telecom` with `use: work`. */
  readonly officeHoursPhone: string | undefined;
}

/** One access to the child's record, as the data-mapping page reads an AuditEvent and its PractitionerRole. */
export interface RecordAccess {
  /** `AuditEvent.recorded`. */
  readonly accessedAt: string | undefined;
  /** The included PractitionerRole's `practitioner.display`. */
  readonly viewer: string | undefined;
  /** Its `code.coding.display`. */
  readonly role: string | undefined;
  /** Its `organization.display`. */
  readonly organisation: string | undefined;
}

/** The plans in a `searchCareTeam` result. */
export function childProtectionPlans(bundle: Bundle<CareTeam>): ChildProtectionPlan[] {
  return entriesOf<CareTeam>(bundle, 'CareTeam').map((team) => {
    const coding = team.category?.[0]?.coding?.[0];
    const phone = (use: string) => team.telecom?.find((telecom) => telecom.use === use)?.value;
    return {
      planType: coding
        ? { ...(coding.code ? { code: coding.code } : {}), ...(coding.display ? { display: coding.display } : {}) }
        : undefined,
      start: team.period?.start,
      end: team.period?.end,
      localAuthority: team.name,
      emergencyDutyPhone: phone('mobile'),
      officeHoursPhone: phone('work'),
    };
  });
}

/**
 * The access history in a `searchAuditEvent` result, newest first: each AuditEvent with the viewer
 * read from the PractitionerRole it refers to (`agent.who`), when the result included it.
 */
export function accessHistory(bundle: Bundle<AuditEvent | PractitionerRole>): RecordAccess[] {
  const roles = new Map<string, PractitionerRole>();
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (resource?.resourceType !== 'PractitionerRole') continue;
    if (resource.id) roles.set(`PractitionerRole/${resource.id}`, resource);
    if (entry.fullUrl) roles.set(entry.fullUrl, resource);
  }
  return entriesOf<AuditEvent>(bundle, 'AuditEvent')
    .map((event) => {
      const reference = event.agent?.map((agent) => agent.who?.reference).find((ref) => ref !== undefined);
      const role = reference === undefined ? undefined : (roles.get(reference) ?? findBySuffix(roles, reference));
      return {
        accessedAt: event.recorded,
        viewer: role?.practitioner?.display,
        role: role?.code?.[0]?.coding?.[0]?.display,
        organisation: role?.organization?.display,
      };
    })
    .sort((a, b) => (b.accessedAt ?? '').localeCompare(a.accessedAt ?? ''));
}

function entriesOf<T>(bundle: { entry?: Array<{ resource?: unknown }> }, type: string): T[] {
  return (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((resource): resource is T => (resource as { resourceType?: string } | undefined)?.resourceType === type);
}

function findBySuffix(roles: Map<string, PractitionerRole>, reference: string): PractitionerRole | undefined {
  for (const [key, role] of roles) if (reference.endsWith(`/${key}`) || key.endsWith(`/${reference}`)) return role;
  return undefined;
}
