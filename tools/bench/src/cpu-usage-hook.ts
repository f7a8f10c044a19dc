// Loaded with `node --import` into each measured process: on exit it reports the process's own CPU time
// (user + system, all threads), which background load on a shared machine disturbs less than wall-clock time.
import { writeSync } from 'node:fs';
import { CPU_MARKER } from './cpu-marker.js';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(2, `\n${CPU_MARKER}${((user + system) / 1000).toFixed(1)}\n`);
});
