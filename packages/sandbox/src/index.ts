export type {
  OperationOutcome,
  OutcomeIssue,
  SandboxApi,
  SandboxHandler,
  SandboxModel,
  SandboxOperation,
  SandboxParameter,
  SandboxRequest,
  SandboxResourceShape,
  SandboxResponse,
  SandboxResponseModel,
  SandboxStore,
  StoredResource,
} from './model.js';
export { type RunningSandbox, type SandboxOptions, startSandbox } from './server.js';
