export { main, parseCommand, UsageError, type CliIo, type Command } from './main.js';
export { SANDBOX_APIS, type SandboxApiName, type SandboxCommand, type SandboxDeps } from './sandbox.js';
export type { SpecsChangesCommand } from './specs-changes.js';
