import { spawn } from 'node:child_process';
import { CPU_MARKER, extractCpuMs } from './cpu-marker.js';

export interface TimedRun {
  /**
   * Wall-clock time from spawn to exit, in ms: what a person running the command waits (plus a shell's start, a few
   * ms).
   */
  ms: number;
  /** CPU time of the Node process (user + system, all threads), in ms; undefined if the shell did not report it. */
  cpuMs: number | undefined;
  exitCode: number;
  /** stdout and stderr interleaved as they arrived, without the shell's report. */
  output: string;
}

/**
 * Runs the command, then has the shell that waited for it report its CPU time. The measured process is
 * started exactly as a user would start it: code preloaded into it (an `--import` hook that read
 * `process.cpuUsage()` on exit) changed its heap enough to change when V8 collected garbage, and with it
 * the measured time (docs/design/declarations.md).
 */
const MEASURING_SHELL = `"$@"; code=$?; printf '\\n${CPU_MARKER}\\n' >&2; times >&2; exit $code`;

/** Runs `node args` to completion and times it; never throws on a non-zero exit (the caller decides). */
export function runNodeTimed(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', MEASURING_SHELL, 'bash', process.execPath, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
