import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { main } from '../src/main.js';

/** What one run of the command line gave: its exit code and everything it wrote. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);
/** The committed bin shim (which loads dist/cli.js), as `npx nhs-fhir` runs it. */
export const cliPath = new URL('../bin/nhs-fhir.js', import.meta.url).pathname;

/** Runs the bin shim in a child Node process, in `cwd`, with `env` added to this process's environment. */
export async function runBin(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: { ...process.env, ...options.env },
    });
    return { code: 0, stdout, stderr } satisfies CliRun;
  } catch (error) {
    const e = error as CliRun;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr } satisfies CliRun;
  }
}

/** Runs `main` in this process with `env` as its environment, capturing what it writes. */
export async function runInProcess(args: string[], env?: Record<string, string>): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    args,
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    ...(env === undefined ? [] : [env]),
  );
  return { code, stdout, stderr };
}
