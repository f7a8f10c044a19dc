import { InvalidAuthInputError, preview } from './errors.js';

/** Spine Core: the token lives exactly five minutes (300 seconds, `exp` = `iat` + 300) [SC-JWT] [RA-JWT]. */
export const SPINE_JWT_LIFETIME_SECONDS = 300;

/** Naming system of an ASID; `requesting_system` is `<this>|<ASID>`. */
export const ACCREDITED_SYSTEM = 'https://fhir.nhs.uk/Id/accredited-system';
/** Naming system of an ODS code; `requesting_organization` is `<this>|<ODS code>`. */
export const ODS_ORGANIZATION_CODE = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** Naming system of an SDS role profile id; `sub` and `requesting_user` are `<this>|<id>`. */
export const SDS_ROLE_PROFILE_ID = 'https://fhir.nhs.uk/Id/sds-role-profile-id';

/** The Spine JWT `reason_for_request`; Reasonable Adjustments uses `directcare` (the default). */
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
  /** The `reason_for_request`. Default `directcare`. */
  readonly reasonForRequest?: ReasonForRequest;
  /**
   * Spine Core's scopes page names the claim `requested_scope`; its JWT page and RA use `scope`
   * (the default). See nhs-auth-facts.md §1.3.
   */
  readonly scopeClaim?: 'scope' | 'requested_scope';
}

/**
 * The payload of a Spine Core JWT as {@link buildSpineJwtClaims} makes it. Identifier claims are
 * `<naming-system URI>|<value>` strings; times are seconds since the epoch.
 */
export interface SpineJwtClaims {
  /** The calling system's URI. */
  iss: string;
  /** The same value as `requesting_user`. */
  sub: string;
  /** The API endpoint, without query or fragment. */
  aud: string;
  /** `iat` + 300, in seconds since the epoch. */
  exp: number;
  /** When the token was made, in seconds since the epoch. */
  iat: number;
  /** Why the data is requested. */
  reason_for_request: ReasonForRequest;
  /** The interaction's scope, when `scopeClaim` is `scope` (the default). */
  scope?: string;
  /** The interaction's scope, when `scopeClaim` is `requested_scope`. */
  requested_scope?: string;
  /** `https://fhir.nhs.uk/Id/accredited-system|<ASID>`. */
  requesting_system: string;
  /** `https://fhir.nhs.uk/Id/ods-organization-code|<ODS code>`. */
  requesting_organization: string;
  /** `https://fhir.nhs.uk/Id/sds-role-profile-id|<role profile id>`. */
  requesting_user: string;
}

const ASID = /^[0-9]{1,20}$/;
// ODS codes: 3 to 10 upper-case letters and digits (trusts RR8, practices A12345, Y-codes, 8JD29).
const ODS_CODE = /^[A-Z0-9]{3,10}$/;
const ROLE_PROFILE_ID = /^[0-9]{1,20}$/;
const SCOPE = /^[A-Za-z]+\/[A-Za-z*]+\.[A-Za-z*]+( [A-Za-z]+\/[A-Za-z*]+\.[A-Za-z*]+)*$/;
const REASONS: readonly ReasonForRequest[] = ['directcare', 'secondaryuses', 'patientaccess'];

/**
 * Check an ASID (Accredited System ID): 1 to 20 digits.
 *
 * @param field - The option name the error reports.
 * @throws {@link InvalidAuthInputError} when it is not.
 */
export function assertAsid(asid: string, field = 'asid'): void {
  if (typeof asid !== 'string' || !ASID.test(asid))
    throw new InvalidAuthInputError(field, `an ASID is digits only; got ${preview(asid)}`);
}

/**
 * Check an ODS organisation code: 3 to 10 upper-case letters or digits (`RR8`, `A12345`).
 *
 * @param field - The option name the error reports.
 * @throws {@link InvalidAuthInputError} when it is not.
 */
export function assertOdsCode(odsCode: string, field = 'odsCode'): void {
  if (typeof odsCode !== 'string' || !ODS_CODE.test(odsCode)) {
    throw new InvalidAuthInputError(
      field,
      `an ODS code is 3 to 10 upper-case letters or digits; got ${preview(odsCode)}`,
    );
  }
}

/**
 * Check an SDS role profile id (the user's URP): 1 to 20 digits.
 *
 * @param field - The option name the error reports.
 * @throws {@link InvalidAuthInputError} when it is not.
 */
export function assertRoleProfileId(id: string, field = 'userRoleProfileId'): void {
  if (typeof id !== 'string' || !ROLE_PROFILE_ID.test(id)) {
    throw new InvalidAuthInputError(field, `a role profile id is digits only; got ${preview(id)}`);
  }
}

/**
 * Check that `value` is an absolute `http:` or `https:` URL.
 *
 * @param field - The option name the error reports.
 * @returns The parsed URL.
 * @throws {@link InvalidAuthInputError} when it is not.
 */
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
 *
 * @param field - The option name the error reports.
 * @returns The parsed URL.
 * @throws {@link InvalidAuthInputError} for anything else.
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

/**
 * Validate the inputs and build the Spine Core JWT claims, without encoding them (see
 * {@link createSpineJwt}). `sub` and `requesting_user` are the same.
 *
 * @param nowMs - Milliseconds since the epoch; the claims' `iat` and `exp` are in seconds.
 * @throws {@link InvalidAuthInputError} naming the input at fault (`issuer`, `audience`, `asid`,
 * `odsCode`, `userRoleProfileId`, `scope`, `reasonForRequest`, `scopeClaim`).
 */
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

/**
 * The unsecured Spine Core JWT for Spine-direct calls: header `{"alg":"none","typ":"JWT"}`, the
 * claims of {@link buildSpineJwtClaims}, an empty signature and so a trailing dot, valid for 5
 * minutes. {@link SpineDirectAuth} makes one per request; use this to make one on its own.
 *
 * @param nowMs - Milliseconds since the epoch. Default `Date.now()`.
 * @returns The compact token, to send as `Authorization: Bearer <jwt>`.
 * @throws {@link InvalidAuthInputError} when an input has the wrong shape.
 *
 * @example
 * ```ts
 * const jwt = createSpineJwt({
 *   issuer: 'https://my-system.example.nhs.uk',
 *   audience: 'https://spine.example.nhs.uk/STU3/Flag',
 *   asid: '200000000205',
 *   odsCode: 'RR8',
 *   userRoleProfileId: '555254242105',
 *   scope: 'user/Flag.read',
 * });
 * ```
 */
export function createSpineJwt(input: SpineJwtInput, nowMs: number = Date.now()): string {
  const claims = buildSpineJwtClaims(input, nowMs);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.`;
}
