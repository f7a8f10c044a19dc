/** What happened; one of a small fixed set so log processors can switch on it. */
export type AuthEventType =
  | 'spine.jwt.created'
  | 'spine.request.prepared'
  | 'token.request'
  | 'token.response'
  | 'token.error'
  | 'token.cache.hit'
  | 'token.refresh.started'
  | 'token.refresh.failed'
  | 'oidc.discovery'
  | 'oidc.authorization.created'
  | 'oidc.id_token.accepted'
  | 'oidc.id_token.rejected'
  | 'oidc.userinfo'
  | 'oidc.role.selected';

/**
 * An event handed to the logging hook. It has already been redacted: no token, assertion,
 * private key or client secret reaches the hook.
 */
export interface AuthEvent {
  /** What happened. */
  readonly type: AuthEventType;
  /** How much it matters. */
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** When, as an ISO 8601 string from the auth object's clock. */
  readonly time: string;
  /** Fields of the event type, e.g. `tokenUrl`, `grantType`, `status`. */
  readonly [field: string]: unknown;
}

/**
 * The logging hook, the `logger` option of every auth class: called with each redacted event.
 * An exception it throws is swallowed, so a failing logger cannot break authentication.
 *
 * @example
 * ```ts
 * const logger: AuthLogger = (event) => console.error(JSON.stringify(event));
 * ```
 */
export type AuthLogger = (event: AuthEvent) => void;
