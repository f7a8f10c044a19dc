import { InvalidAuthInputError, preview } from './errors.js';

/** Spine Core: the token lives exactly five minutes [SC-JWT] [RA-JWT]. */
export const SPINE_JWT_LIFETIME_SECONDS = 300;

export const ACCREDITED_SYSTEM = 'https://fhir.nhs.uk/Id/accredited-system';
export const ODS_ORGANIZATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SDS_ROLE_PROFILE_ID = 'https://fhir.nhs.uk/Id/sds-role-profile-id';

export type ReasonForRequest = 'directcare' | 'secondaryuses' | 'patientaccess';

/** Inputs for a Spine Core JWT, as plain values; the naming-system prefixes are added here. */
export interface SpineJwtInput {
  /** URI of the calling system that mints the token. */
  readonly issuer: string;
  /** The API endpoint; any query or fragment is dropped. */
  readonly audience: string;
  /** Accredited System ID of the caller: digits. */
  readonly asid: string;
  /** ODS code of the requesting organisation. */
  readonly odsCode: string;
  /** SDS role profile id (URP) of the user: digits. Also the `sub`. */
  readonly userRoleProfileId: string;
  /** Per-interaction scope, e.g. `user/Flag.read`. */
  readonly scope: string;
  readonly reasonForRequest?: ReasonForRequest;
  /**
   * Spine Core's scopes page names the claim `requested_scope`; its JWT page and RA use `scope`
   * (the default). See nhs-auth-facts.md §1.3.
   */
  readonly scopeClaim?: 'scope' | 'requested_scope';
}

export interface SpineJwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  reason_for_request: ReasonForRequest;
  scope?: string;
  requested_scope?: string;
  requesting_system: string;
  requesting_organization: string;
  requesting_user: string;
}

const ASID = /^[0-9]{1,20}$/;
// ODS codes: 3 to 10 upper-case letters and digits (trusts RR8, practices A12345, Y-codes, 8JD29).
const ODS_CODE = /^[A-Z0-9]{3,10}$/;
const ROLE_PROFILE_ID = /^[0-9]{1,20}$/;
const SCOPE = /^[A-Za-z]+\/[A-Za-z*]+\.[A-Za-z*]+( [A-Za-z]+\/[A-Za-z*]+\.[A-Za-z*]+)*$/;
const REASONS: readonly ReasonForRequest[] = ['directcare', 'secondaryuses', 'patientaccess'];

export function assertAsid(asid: string, field = 'asid'): void {
  if (typeof asid !== 'string' || !ASID.test(asid))
    throw new InvalidAuthInputError(field, `an ASID is digits only; got ${preview(asid)}`);
}

export function assertOdsCode(odsCode: string, field = 'odsCode'): void {
  if (typeof odsCode !== 'string' || !ODS_CODE.test(odsCode)) {
    throw new InvalidAuthInputError(
      field,
      `an ODS code is 3 to 10 upper-case letters or digits; got ${preview(odsCode)}`,
    );
  }
}

export function assertRoleProfileId(id: string, field = 'userRoleProfileId'): void {
  if (typeof id !== 'string' || !ROLE_PROFILE_ID.test(id)) {
    throw new InvalidAuthInputError(field, `a role profile id is digits only; got ${preview(id)}`);
  }
}

export function assertHttpUrl(value: string, field: string): URL {
  if (typeof value !== 'string') throw new InvalidAuthInputError(field, `must be a URL string; got ${preview(value)}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidAuthInputError(field, `not a URL: ${preview(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InvalidAuthInputError(field, `must be an http(s) URL; got ${preview(url.protocol)}`);
  return url;
}

/** `localhost`, 127.0.0.0/8 or [::1]: the only hosts a plain http:// endpoint may be on. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

/**
 * An endpoint this package sends secrets to (token, discovery, JWKS, UserInfo): https, or plain
 * http only on the loopback interface (a local stand-in or mock).
 */
export function assertEndpointUrl(value: string, field: string): URL {
  const url = assertHttpUrl(value, field);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    throw new InvalidAuthInputError(
      field,
      `plain http:// is only allowed on loopback (localhost, 127.0.0.1, [::1]); use https for ${preview(url.host)}`,
    );
  return url;
}

/** The endpoint as Spine wants it in `aud`: no query string, no fragment. */
export function audienceOf(endpoint: string | URL): string {
  const url = new URL(String(endpoint));
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Validate the inputs and build the claims. `nowMs` is milliseconds since the epoch. */
export function buildSpineJwtClaims(input: SpineJwtInput, nowMs: number = Date.now()): SpineJwtClaims {
  assertHttpUrl(input.issuer, 'issuer');
  assertHttpUrl(input.audience, 'audience');
  assertAsid(input.asid);
  assertOdsCode(input.odsCode);
  assertRoleProfileId(input.userRoleProfileId);
  if (typeof input.scope !== 'string' || !SCOPE.test(input.scope)) {
    throw new InvalidAuthInputError(
      'scope',
      `expected SMART-style scopes such as user/Flag.read; got ${preview(input.scope)}`,
    );
  }
  const reason = input.reasonForRequest ?? 'directcare';
  if (!REASONS.includes(reason))
    throw new InvalidAuthInputError('reasonForRequest', `must be one of ${REASONS.join(', ')}`);
  const scopeClaim = input.scopeClaim ?? 'scope';
  if (scopeClaim !== 'scope' && scopeClaim !== 'requested_scope')
    throw new InvalidAuthInputError('scopeClaim', 'must be scope or requested_scope');

  const iat = Math.floor(nowMs / 1000);
  const user = `${SDS_ROLE_PROFILE_ID}|${input.userRoleProfileId}`;
  return {
    iss: input.issuer,
    // Spine Core's example has sub != requesting_user although its text says they match: keep them equal.
    sub: user,
    aud: audienceOf(input.audience),
    exp: iat + SPINE_JWT_LIFETIME_SECONDS,
    iat,
    reason_for_request: reason,
    [scopeClaim]: input.scope,
    requesting_system: `${ACCREDITED_SYSTEM}|${input.asid}`,
    requesting_organization: `${ODS_ORGANIZATION_CODE}|${input.odsCode}`,
    requesting_user: user,
  };
}

/** The unsecured Spine Core JWT: header `{"alg":"none","typ":"JWT"}`, empty signature, trailing dot. */
export function createSpineJwt(input: SpineJwtInput, nowMs: number = Date.now()): string {
  const claims = buildSpineJwtClaims(input, nowMs);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.`;
}
