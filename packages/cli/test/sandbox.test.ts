// `nhs-fhir sandbox`: argument checks (exit 2, nothing started), loading an API's `./sandbox` entry (exit 1 when
// it cannot), serving until SIGINT or SIGTERM (exit 0), in-process and as the real binary.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get as httpsGet, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import type { SandboxApi } from '@nhs-fhir/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, parseCommand, UsageError } from '../src/main.js';
import { TestCa } from '@nhs-fhir/testing';

const cliPath = new URL('../bin/nhs-fhir.js', import.meta.url).pathname;

const model = {
  api: 'demo',
  operations: [
    {
      name: 'readFlag',
      method: 'GET',
      path: '/Flag/{id}',
      params: [{ name: 'id', in: 'path', required: true }],
      requiredHeaders: ['X-Request-ID'],
      responses: [{ status: '200', resources: [{ resourceType: 'Flag' }] }],
    },
  ],
};
const seed = [{ resourceType: 'Flag', id: 'f1', status: 'active' }];
const sandboxApi: SandboxApi = { model, seed };

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-sandbox-'));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
  writeFileSync(join(dir, 'not-json.json'), '{');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** In process, with a stand-in for `import()` and a stop signal the test controls. */
async function cli(
  args: string[],
  importModule: (specifier: string) => Promise<unknown> = () => Promise.reject(new Error('not in this test')),
  whenListening: (url: string) => Promise<void> = async () => {},
): Promise<Run & { imported: string[] }> {
  let stdout = '';
  let stderr = '';
  const imported: string[] = [];
  let listening: ((url: string) => void) | undefined;
  const url = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const code = await main(
    args,
    {
      stdout: {
        write: (t: string) => {
          stdout += t;
          const found = / listening on (\S+)\n$/.exec(t)?.[1];
          if (found) listening?.(found);
        },
      },
      stderr: { write: (t: string) => (stderr += t) },
    },
    {},
    {
      importModule: (specifier) => {
        imported.push(specifier);
        return importModule(specifier);
      },
      untilStopped: () => url.then(whenListening),
    },
  );
  return { code, stdout, stderr, imported };
}

describe('nhs-fhir sandbox: arguments', () => {
  it('parses an api, a port and the TLS files', () => {
    expect(
      parseCommand(['sandbox', 'cp-is', '--port', '0', '--tls', '--cert', 'c', '--key', 'k', '--ca', 'a']),
    ).toEqual({
      name: 'sandbox',
      api: 'cp-is',
      port: 0,
      tls: { cert: 'c', key: 'k', ca: 'a' },
      model: undefined,
      seed: undefined,
    });
    expect(parseCommand(['sandbox', 'pds'])).toMatchObject({ api: 'pds', port: 9000, tls: undefined });
    expect(parseCommand(['sandbox', '--help'])).toMatchObject({ name: 'help' });
    expect(parseCommand(['sandbox', 'patient-flags', '-h'])).toMatchObject({ name: 'help' });
  });

  it.each([
    [['sandbox'], /^missing <api>: one of pds, reasonable-adjustments, cp-is, patient-flags$/],
    [['sandbox', 'gp-connect'], /^unknown api "gp-connect"; one of/],
    [['sandbox', 'x'.repeat(60)], /^unknown api "x{40}"… \(60 characters\)/],
    [['sandbox', '--port', '1'], /^missing <api> before "--port"/],
    [['sandbox', 'pds', '--port', '65536'], /^--port: a port number from 0 to 65535; got "65536"$/],
    [['sandbox', 'pds', '--port', '-1'], /^--port: a port number from 0 to 65535; got "-1"$/],
    [['sandbox', 'pds', '--port', '80.5'], /^--port: a port number/],
    [['sandbox', 'pds', '--port', 'http'], /^--port: a port number/],
    [['sandbox', 'pds', '--port', '1', '--port', '2'], /^--port is given more than once$/],
    [['sandbox', 'pds', '--tls'], /^missing --cert$/],
    [['sandbox', 'pds', '--tls', '--cert', 'c', '--key', 'k'], /^missing --ca$/],
    [['sandbox', 'pds', '--cert', 'c'], /^--cert needs --tls$/],
    [['sandbox', 'pds', '--seed', 's'], /^--seed needs --model$/],
    [['sandbox', 'pds', '--verbose'], /^unknown option --verbose$/],
    [['sandbox', 'pds', 'extra'], /^unexpected argument "extra"$/],
  ])('refuses %j', (args, message) => {
    let error: unknown;
    try {
      parseCommand(args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses bad input with one line and exit 2, before loading or starting anything', async () => {
    for (const args of [
      ['sandbox', 'nope'],
      ['sandbox', 'pds', '--port', '99999'],
      ['sandbox', 'pds', '--tls', '--cert', join(dir, 'missing.pem'), '--key', 'k', '--ca', 'a'],
      ['sandbox', 'pds', '--model', join(dir, 'not-json.json')],
      ['sandbox', 'pds', '--model', join(dir, 'seed.json')],
      ['sandbox', 'pds', '--model', join(dir, 'model.json'), '--seed', join(dir, 'model.json')],
    ]) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^nhs-fhir sandbox: [^\n]+\n$/);
      expect(result.imported).toEqual([]);
    }
  });

  it('refuses TLS files that are not a certificate and key, with exit 2', async () => {
    const junk = join(dir, 'junk.pem');
    writeFileSync(junk, 'not a pem');
    const result = await cli(
      ['sandbox', 'pds', '--port', '0', '--tls', '--cert', junk, '--key', junk, '--ca', junk],
      () => Promise.resolve({ sandboxApi }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^nhs-fhir sandbox: --tls: cannot use the certificate, key or CA \(\w+\)\n$/);
    expect(result.stdout).toBe('');
  });
});

describe('nhs-fhir sandbox: loading the API', () => {
  it.each([
    ['pds', '@nhs-fhir/pds/sandbox'],
    ['reasonable-adjustments', '@nhs-fhir/reasonable-adjustments/sandbox'],
    ['cp-is', '@nhs-fhir/cp-is/sandbox'],
    ['patient-flags', '@nhs-fhir/patient-flags/sandbox'],
  ])('loads %s from %s', async (api, specifier) => {
    const result = await cli(
      ['sandbox', api, '--port', '0'],
      () => Promise.resolve({ sandboxApi }),
      async (url) => {
        const response = await fetch(`${url}/Flag/f1`, { headers: { 'x-request-id': 'r1' } });
        expect(response.status).toBe(200);
      },
    );
    expect(result.imported).toEqual([specifier]);
    expect(result.stdout).toMatch(new RegExp(`^${api} sandbox listening on http://127\\.0\\.0\\.1:\\d+\\n$`));
    expect(result.code).toBe(0);
  });

  it('fails with one line naming the package and exit 1 when it cannot be loaded', async () => {
    const missing = Object.assign(new Error("Cannot find package '@nhs-fhir/cp-is'\n  at somewhere"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const result = await cli(['sandbox', 'cp-is', '--port', '0'], () => Promise.reject(missing));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'nhs-fhir sandbox: cannot load @nhs-fhir/cp-is/sandbox (ERR_MODULE_NOT_FOUND); is it installed and built?\n',
    );
    expect(result.stdout).toBe('');
  });

  it('fails with exit 1 when the entry exports no sandboxApi', async () => {
    const result = await cli(['sandbox', 'pds', '--port', '0'], () => Promise.resolve({ somethingElse: 1 }));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'nhs-fhir sandbox: @nhs-fhir/pds/sandbox exports no sandboxApi with a model and a seed\n',
    );
  });

  it('serves HTTPS with --tls, only to clients with a certificate', async () => {
    const ca = new TestCa('CLI Test CA');
    const server = ca.issue('sandbox', '127.0.0.1');
    const user = ca.issue('my-system');
    const files = { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem') };
    writeFileSync(files.cert, server.certPem);
    writeFileSync(files.key, server.keyPem);
    writeFileSync(files.ca, ca.certPem);
    /** The status of GET /Flag/f1 over HTTPS with these TLS options (rejects when the handshake is refused). */
    const status = (url: string, tls: RequestOptions) =>
      new Promise<number | undefined>((resolve, reject) => {
        const req = httpsGet(`${url}/Flag/f1`, { ...tls, agent: false, headers: { 'x-request-id': 'r1' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
      });
    const result = await cli(
      ['sandbox', 'pds', '--port', '0', '--tls', '--cert', files.cert, '--key', files.key, '--ca', files.ca],
      () => Promise.resolve({ sandboxApi }),
      async (url) => {
        expect(await status(url, { cert: user.certPem, key: user.keyPem, ca: ca.certPem })).toBe(200);
        await expect(status(url, { ca: ca.certPem })).rejects.toThrow();
      },
    );
    expect(result.stdout).toMatch(/^pds sandbox listening on https:\/\/127\.0\.0\.1:\d+\n$/);
    expect(result.code).toBe(0);
  });
});

/** Starts the real binary and resolves with the URL it prints. */
function start(args: string[]): { child: ChildProcess; url: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => resolve(line));
    void exit.then((code) => reject(new Error(`exited ${code} before listening: ${stderr}`)));
  });
  return { child, url, exit };
}

describe('the nhs-fhir binary', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves --model and --seed on a free port and stops on %s with exit 0',
    async (signal) => {
      const { child, url, exit } = start([
        'sandbox',
        'patient-flags',
        '--port',
        '0',
        '--model',
        join(dir, 'model.json'),
        '--seed',
        join(dir, 'seed.json'),
      ]);
      try {
        const line = await url;
        expect(line).toMatch(/^patient-flags sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
        const base = line.split(' ').pop() as string;
        const response = await fetch(`${base}/Flag/f1`, { headers: { 'x-request-id': 'r1' } });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ id: 'f1', meta: { versionId: '1' } });
        expect((await fetch(`${base}/Flag/f1`)).status).toBe(400);
        child.kill(signal);
        expect(await exit).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('fails with one line and exit 2 for bad input, without listening', async () => {
    const { exit, url } = start(['sandbox', 'pds', '--port', 'eighty']);
    await expect(url).rejects.toThrow(/exited 2 before listening: nhs-fhir sandbox: --port: a port number/);
    expect(await exit).toBe(2);
  });
});
