export { main, parseCommand, UsageError, type CliIo, type Command } from './main.js';
