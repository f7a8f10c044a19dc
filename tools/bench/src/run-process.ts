import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { extractCpuMs } from './cpu-marker.js';

export interface TimedRun {
  /** Wall-clock time from spawn to exit, in ms: what a person running the command waits. */
  ms: number;
  /** CPU time of the Node process (user + system), in ms; undefined if it died before reporting. */
  cpuMs: number | undefined;
  exitCode: number;
  /** stdout and stderr interleaved as they arrived, without the CPU hook's line. */
  output: string;
}

// From dist/ (the bench) or src/ (tests run after the build), the compiled hook is in the package's dist/.
const cpuHook = pathToFileURL(join(dirname(dirname(fileURLToPath(import.meta.url))), 'dist', 'cpu-usage-hook.js')).href;

/** Runs `node args` to completion and times it; never throws on a non-zero exit (the caller decides). */
export function runNodeTimed(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', cpuHook, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      const { cpuMs, output } = extractCpuMs(Buffer.concat(chunks).toString('utf8'));
      resolvePromise({ ms, cpuMs, exitCode: code ?? (signal === null ? 1 : 128), output });
    });
  });
}

/** The last `lines` lines of a command's output, for an error message. */
export function tail(output: string, lines = 15): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
