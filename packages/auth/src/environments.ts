import { InvalidAuthInputError, preview } from './errors.js';
import { assertEndpointUrl } from './spine-jwt.js';

export type ApiPlatformEnvironment = 'sandbox' | 'int' | 'prod';

/** API Platform token endpoints: `https://<env host>/oauth2/token` [HW-JWT] [FORUM-TX] [PDS-OAS]. */
export const API_PLATFORM_TOKEN_URLS: Readonly<Record<ApiPlatformEnvironment, string>> = {
  sandbox: 'https://sandbox.api.service.nhs.uk/oauth2/token',
  int: 'https://int.api.service.nhs.uk/oauth2/token',
  prod: 'https://api.service.nhs.uk/oauth2/token',
};

/** The sandbox token exchange runs against the CIS2 mock, at `oauth2-mock` [HW-SEP-ENV]. */
export const API_PLATFORM_SANDBOX_MOCK_TOKEN_URL = 'https://sandbox.api.service.nhs.uk/oauth2-mock/token';

export type Cis2Environment = 'int' | 'live';

/** CIS2 discovery documents [CIS2-DISC]. The issuer inside them carries `:443` [FS-ISS]: never hand-type it. */
const CIS2_HEALTHCARE_REALM = 'openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare';
export const CIS2_DISCOVERY_URLS: Readonly<Record<Cis2Environment, string>> = {
  int: `https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk/${CIS2_HEALTHCARE_REALM}/.well-known/openid-configuration`,
  live: `https://am.nhsidentity.spineservices.nhs.uk/${CIS2_HEALTHCARE_REALM}/.well-known/openid-configuration`,
};

/** A preset name or the token endpoint URL itself (which is then also the assertion `aud`). */
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
