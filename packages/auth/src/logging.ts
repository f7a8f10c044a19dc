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
  readonly type: AuthEventType;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly time: string;
  readonly [field: string]: unknown;
}

export type AuthLogger = (event: AuthEvent) => void;
