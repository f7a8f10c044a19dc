import { spawn } from 'node:child_process';

export interface TimedRun {
  /** Wall-clock time from spawn to exit, in ms: what a person running the command waits. */
  ms: number;
  exitCode: number;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
}

/** Runs `command args` to completion and times it; never throws on a non-zero exit (the caller decides). */
export function runTimed(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      resolvePromise({ ms, exitCode: code ?? (signal === null ? 1 : 128), output: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

/** The last `lines` lines of a command's output, for an error message. */
export function tail(output: string, lines = 15): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
