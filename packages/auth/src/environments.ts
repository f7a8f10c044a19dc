import { InvalidAuthInputError, preview } from './errors.js';
import { assertEndpointUrl } from './spine-jwt.js';

/**
 * An API Platform environment preset for the `environment` option; each names its token endpoint
 * in {@link API_PLATFORM_TOKEN_URLS}. The option also takes a token endpoint URL.
 */
export type ApiPlatformEnvironment = 'sandbox' | 'int' | 'prod';

/** API Platform token endpoints: `https://<env host>/oauth2/token` [HW-JWT] [FORUM-TX] [PDS-OAS]. */
export const API_PLATFORM_TOKEN_URLS: Readonly<Record<ApiPlatformEnvironment, string>> = {
  sandbox: 'https://sandbox.api.service.nhs.uk/oauth2/token',
  int: 'https://int.api.service.nhs.uk/oauth2/token',
  prod: 'https://api.service.nhs.uk/oauth2/token',
};

/**
 * The sandbox token exchange runs against the CIS2 mock, at `oauth2-mock` [HW-SEP-ENV]. Not the
 * `sandbox` preset (which is `/oauth2/token`): pass this URL as `environment` to use it.
 */
export const API_PLATFORM_SANDBOX_MOCK_TOKEN_URL = 'https://sandbox.api.service.nhs.uk/oauth2-mock/token';

/** A CIS2 environment preset for the `discovery` option of {@link Cis2Client}: INT or live. */
export type Cis2Environment = 'int' | 'live';

const CIS2_HEALTHCARE_REALM = 'openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
/**
 * CIS2 discovery document URLs of the Healthcare realm [CIS2-DISC]. The issuer inside them
 * carries `:443` [FS-ISS]: {@link Cis2Client} takes it from the document, never hand-typed.
 */
export const CIS2_DISCOVERY_URLS: Readonly<Record<Cis2Environment, string>> = {
  int: `https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk/${CIS2_HEALTHCARE_REALM}/.well-known/openid-configuration`,
  live: `https://am.nhsidentity.spineservices.nhs.uk/${CIS2_HEALTHCARE_REALM}/.well-known/openid-configuration`,
};

/**
 * The token endpoint for an `environment` option: a preset name, or the token endpoint URL itself
 * (which is then also the assertion `aud`; https, or http on loopback only).
 *
 * @param field - The option name the error reports.
 * @throws {@link InvalidAuthInputError} for anything else.
 */
export function resolveTokenUrl(environment: ApiPlatformEnvironment | string, field = 'environment'): string {
  if (typeof environment !== 'string')
    throw new InvalidAuthInputError(
      field,
      `expected sandbox, int, prod or a token endpoint URL; got ${preview(environment)}`,
    );
  if (Object.hasOwn(API_PLATFORM_TOKEN_URLS, environment))
    return API_PLATFORM_TOKEN_URLS[environment as ApiPlatformEnvironment];
  if (!/^https?:\/\//.test(environment)) {
    throw new InvalidAuthInputError(
      field,
      `expected sandbox, int, prod or a token endpoint URL; got ${preview(environment)}`,
    );
  }
  return assertEndpointUrl(environment, field).href;
}
