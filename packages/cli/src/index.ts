export { main, type CliIo } from './main.js';
