export * from './generated/proxy/index.js';
export * from './remove-record.js';
export {
  responseOf,
  ifMatchFrom,
  type ClientOptions,
  type CallOptions,
  type ResponseInfo,
  NhsApiError,
  ApiResponseError,
  NotFoundError,
  UnprocessableEntityError,
  VersionConflictError,
  PreconditionFailedError,
  InvalidArgumentError,
  ClientConfigError,
  UnexpectedResponseError,
  TimeoutError,
  NetworkError,
} from '@nhs-fhir/client';
