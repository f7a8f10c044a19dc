import { ClientConfigError, type ClientOptions } from '@nhs-fhir/client';
import { createRaSpineApiClient, type RaSpineApiClient } from './generated/spine/index.js';

export * from './generated/spine/index.js';
export { createRaProxyClient, type RaProxyClient, raProxyApi } from './generated/proxy/index.js';
/** The argument types of the proxy client (their names repeat the Spine client's). */
export type * as RaProxy from './generated/proxy/client.js';
export * from './remove-record.js';
export * from './soft-delete.js';
export {
  responseOf,
  ifMatchFrom,
  type ClientOptions,
  type CallOptions,
  type ResponseInfo,
  NhsApiError,
  ApiResponseError,
  NotFoundError,
  VersionConflictError,
  PreconditionFailedError,
  UnprocessableEntityError,
  InvalidArgumentError,
  ClientConfigError,
  UnexpectedResponseError,
  TimeoutError,
  NetworkError,
} from '@nhs-fhir/client';

/** The Spine-direct Reasonable Adjustments client that createRaSpineClient returns. */
export type RaSpineClient = RaSpineApiClient;

/**
 * Creates the Spine-direct RA client. Spine takes mutual TLS, ASID headers and a Spine JWT, so `auth`
 * must be a `SpineDirectAuth` (@nhs-fhir/auth); only a local sandbox (a loopback `baseUrl`) may go without.
 * Spine publishes a production base URL only: give `baseUrl` for path-to-live environments [SC-ENV].
 *
 * @throws ClientConfigError when `auth` is not Spine-direct (and `baseUrl` is not a loopback address), or when
 * ApiClient refuses the options.
 * @example
 * ```ts
 * const auth = new SpineDirectAuth({ issuer, fromAsid, toAsid, odsCode, userRoleProfileId, tls });
 * const ra = createRaSpineClient({ environment: 'prod', auth });
 * const flags = await ra.readFlags({ nhsNumber: '9000000009' });
 * ```
 */
export function createRaSpineClient(options: ClientOptions): RaSpineClient {
  const mode = options?.auth?.mode;
  const local =
    options?.baseUrl !== undefined && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])[:/]/.test(options.baseUrl);
  if (mode !== 'spine-direct' && !(mode === undefined && local)) {
    throw new ClientConfigError(
      'reasonable-adjustments',
      'auth',
      `Spine-direct RA needs SpineDirectAuth (mutual TLS, ASID, Spine JWT)${mode ? `; got ${mode}` : ''}`,
    );
  }
  return createRaSpineApiClient(options);
}
