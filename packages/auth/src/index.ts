export type {
  RequestAuth,
  AuthRequest,
  PreparedRequest,
  SpineInteraction,
  AuthorisedFetchInit,
} from './request-auth.js';
export { authorisedFetch, protectHeaders } from './request-auth.js';
export * from './errors.js';
export type { AuthEvent, AuthEventType, AuthLogger } from './logging.js';
export { DEFAULT_TIMEOUT_MS, type CommonAuthOptions } from './context.js';
export { MAX_RESPONSE_BYTES } from './http.js';
export { Redactor, REDACTED } from './redact.js';
export * from './spine-jwt.js';
export {
  SpineDirectAuth,
  reasonableAdjustmentsInteractions,
  type SpineDirectAuthOptions,
  type SpineTlsOptions,
  type SpineHeaderStyle,
} from './spine-direct.js';
export * from './keys.js';
export * from './client-assertion.js';
export * from './environments.js';
export { TokenSet, parseTokenResponse } from './token-endpoint.js';
export { TokenCache, DEFAULT_REFRESH_MARGIN_SECONDS, type CachedToken } from './token-cache.js';
export { ApplicationRestrictedAuth, type ApplicationRestrictedAuthOptions } from './application-restricted.js';
export * from './cis2.js';
export {
  UserRestrictedAuth,
  TOKEN_EXCHANGE_GRANT,
  ID_TOKEN_TYPE,
  type UserRestrictedAuthOptions,
} from './user-restricted.js';
