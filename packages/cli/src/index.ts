export { main, parseCommand, UsageError, type CliIo, type Command } from './main.js';
export type { SandboxCommand, SandboxDeps } from './sandbox.js';
