import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey, type JsonWebKey } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '@nhs-fhir/auth';
import { cliPath, runBin, runInProcess as cli } from './run-cli.js';
import { TestTokenEndpoint } from './token-endpoint.js';

const run = promisify(execFile);
const API_KEY = 'cli-test-api-key-1234';

/** Run the committed bin shim (which loads dist/cli.js), as `npx nhs-fhir` would. */
const bin = (args: string[], cwd?: string) => runBin(args, cwd === undefined ? {} : { cwd });

function decode(token: string) {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(String(h), 'base64url').toString()),
    payload: JSON.parse(Buffer.from(String(p), 'base64url').toString()),
    signature: s,
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the nhs-fhir binary', () => {
  it('is a node script named in package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      bin: Record<string, string>;
    };
    // A committed file, so npm links it at install time, before dist/ is built.
    expect(pkg.bin['nhs-fhir']).toBe('./bin/nhs-fhir.js');
    expect(readFileSync(cliPath, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const help = await bin(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('keys generate');
    expect(help.stdout).toContain('token spine');
  });

  it('says what to run when dist/ is not built yet, with exit code 1', async () => {
    const unbuilt = mkdtempSync(join(tmpdir(), 'nhs-fhir-unbuilt-'));
    try {
      mkdirSync(join(unbuilt, 'bin'));
      copyFileSync(cliPath, join(unbuilt, 'bin', 'nhs-fhir.js'));
      const result = await run(process.execPath, [join(unbuilt, 'bin', 'nhs-fhir.js'), '--help']).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('nhs-fhir: not built yet (no dist/cli.js); run `npm run generate` first\n');
    } finally {
      rmSync(unbuilt, { recursive: true, force: true });
    }
  });

  it('keys generate writes an RSA 4096 PKCS#8 key (mode 0600) and a matching JWKS', async () => {
    const out = join(dir, 'keys');
    const result = await bin(['keys', 'generate', '--kid', 'app-2026-11', '--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const pemPath = join(out, 'app-2026-11.pem');
    expect(result.stdout.split('\n')).toContain(pemPath);
    expect(statSync(pemPath).mode & 0o777).toBe(0o600);
    const pem = readFileSync(pemPath, 'utf8');
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----\n')).toBe(true);
    const key = createPrivateKey(pem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    const jwks = JSON.parse(readFileSync(join(out, 'jwks.json'), 'utf8')) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: 'app-2026-11', alg: 'RS512', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(jwks.keys[0]?.n).toBe((createPublicKey(key).export({ format: 'jwk' }) as JsonWebKey).n);

    const again = await bin(['keys', 'generate', '--kid', 'app-2026-11', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^nhs-fhir keys generate: --kid: .*app-2026-11\.pem exists; pass --force to replace it\n$/,
    );
    expect(readFileSync(pemPath, 'utf8')).toBe(pem);

    // A second kid (key rotation) joins the existing JWKS instead of replacing it.
    const rotated = await bin(['keys', 'generate', '--kid', 'app-2027-01', '--out', out]);
    expect(rotated.code).toBe(0);
    const both = JSON.parse(readFileSync(join(out, 'jwks.json'), 'utf8')) as { keys: Array<Record<string, string>> };
    expect(both.keys.map((k) => k.kid)).toEqual(['app-2026-11', 'app-2027-01']);
    expect(both.keys[0]).toEqual(jwks.keys[0]);
  });

  it.each([
    [['keys', 'generate', '--out', 'x'], /missing --kid/],
    [['keys', 'generate', '--kid', '../escape', '--out', 'x'], /--kid: use letters/],
    [['keys', 'generate', '--kid', 'k', '--out', 'x', '--size', '1024'], /unknown option --size/],
    [['keys', 'rotate'], /unknown command/],
  ])('keys generate %j fails with one line', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('token spine', () => {
  const good = [
    'token',
    'spine',
    '--iss',
    'https://my-system.example.nhs.uk',
    '--aud',
    'https://clinicals.spineservices.nhs.uk/STU3/Flag?patient=1',
    '--asid',
    '200000000205',
    '--ods',
    'RR8',
    '--user',
    '555254242105',
    '--scope',
    'user/Flag.read',
  ];

  it('prints an unsecured Spine Core JWT with the claims asked for', async () => {
    const result = await cli(good);
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token.endsWith('.')).toBe(true);
    const { header, payload, signature } = decode(token);
    expect(header).toEqual({ alg: 'none', typ: 'JWT' });
    expect(signature).toBe('');
    expect(payload).toMatchObject({
      iss: 'https://my-system.example.nhs.uk',
      aud: 'https://clinicals.spineservices.nhs.uk/STU3/Flag',
      sub: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555254242105',
      requesting_user: 'https://fhir.nhs.uk/Id/sds-role-profile-id|555254242105',
      requesting_system: 'https://fhir.nhs.uk/Id/accredited-system|200000000205',
      requesting_organization: 'https://fhir.nhs.uk/Id/ods-organization-code|RR8',
      reason_for_request: 'directcare',
      scope: 'user/Flag.read',
    });
    expect(payload.exp - payload.iat).toBe(300);
  });

  const swap = (flag: string, value: string) => good.map((arg, i) => (good[i - 1] === flag ? value : arg));
  it.each([
    ['--asid', swap('--asid', '20000000020X')],
    ['--ods', swap('--ods', 'r-r8')],
    ['--user', swap('--user', 'dr-who')],
    ['--iss', swap('--iss', 'cas')],
    ['--aud', swap('--aud', 'clinicals')],
    ['--scope', swap('--scope', 'everything')],
    ['--reason', [...good, '--reason', 'curiosity']],
    ['--scope', good.slice(0, -2)],
    ['--bogus', [...good, '--bogus']],
    ['--asid', [...good.slice(0, 2), '--asid']],
  ])('names %s in a one-line error with exit code 2', async (flag, args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith('nhs-fhir token spine: ')).toBe(true);
    expect(result.stderr).toContain(flag);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('token app against a local token endpoint', () => {
  let endpoint: TestTokenEndpoint;
  let keyPath: string;
  let jwks: { keys: Array<JsonWebKey & { kid?: string }> };

  beforeAll(async () => {
    const generated = await generateSigningKey('cli-kid', 2048);
    jwks = generated.jwks as unknown as typeof jwks;
    keyPath = join(dir, 'cli-kid.pem');
    writeFileSync(keyPath, generated.privateKeyPem, { mode: 0o600 });
    endpoint = await new TestTokenEndpoint({ apiKey: API_KEY, jwks: () => jwks }).start();
  });
  afterAll(async () => {
    await endpoint?.stop();
  });

  it('prints the access token; --env URL is the endpoint and the assertion aud', async () => {
    const result = await bin([
      'token',
      'app',
      '--env',
      endpoint.url,
      '--api-key',
      API_KEY,
      '--key',
      keyPath,
      '--kid',
      'cli-kid',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${endpoint.issued.at(-1)}\n`);
    const assertion = endpoint.assertions.at(-1);
    expect(assertion?.header).toMatchObject({ alg: 'RS512', kid: 'cli-kid' });
    expect(assertion?.payload).toMatchObject({ iss: API_KEY, sub: API_KEY, aud: endpoint.url });
    expect(Number(assertion?.payload.exp) - Number(assertion?.payload.iat)).toBeLessThanOrEqual(300);
  });

  it('a refused request exits 1 with the platform error on one line and no assertion in it', async () => {
    const result = await cli([
      'token',
      'app',
      '--env',
      endpoint.url,
      '--api-key',
      'not-the-key',
      '--key',
      keyPath,
      '--kid',
      'cli-kid',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^nhs-fhir token app: .*invalid_client.*message_id [0-9a-f-]{36}.*\n$/);
    expect(result.stderr).not.toMatch(/eyJ/);
  });

  it.each([
    ['--env', ['--env', 'staging', '--api-key', API_KEY, '--kid', 'cli-kid']],
    ['--key', ['--env', 'int', '--api-key', API_KEY, '--kid', 'cli-kid', '--key', '/nonexistent/key.pem']],
    ['--lifetime', ['--env', 'int', '--api-key', API_KEY, '--kid', 'cli-kid', '--lifetime', '301']],
    ['--api-key', ['--env', 'int', '--kid', 'cli-kid']],
  ])('names %s in a one-line error with exit code 2', async (flag, args) => {
    const withKey = args.includes('--key') ? args : [...args, '--key', keyPath];
    const result = await cli(['token', 'app', ...withKey]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(flag);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('README commands', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  // One command per line, a line ending in a backslash continued on the next, as the shell reads them.
  const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] as string)
      .trim()
      .replace(/\\\n\s*/g, '')
      .split('\n'),
  );
  let endpoint: TestTokenEndpoint;
  let workdir: string;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'nhs-fhir-cli-readme-'));
    endpoint = await new TestTokenEndpoint({
      apiKey: API_KEY,
      jwks: () => JSON.parse(readFileSync(join(workdir, 'keys', 'jwks.json'), 'utf8')),
    }).start();
  });
  afterAll(async () => {
    await endpoint?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  /** Shell words of a README line; `$NHS_API_KEY` is the test key and `--env int` points at the local endpoint. */
  function argv(line: string): string[] {
    const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)]
      .map((m) => m[1] ?? (m[2] as string))
      .map((w) => w.replace('$NHS_API_KEY', API_KEY));
    expect(words.slice(0, 2)).toEqual(['npx', 'nhs-fhir']);
    return words.slice(2).map((w, i, all) => (all[i - 1] === '--env' && w === 'int' ? endpoint.url : w));
  }

  it('has the commands the test expects', () => {
    expect(commands.filter((c) => c.startsWith('npx nhs-fhir')).map((c) => c.split(' ').slice(2, 4).join(' '))).toEqual(
      ['keys generate', 'token app', 'token spine'],
    );
  });

  it('the quick start and the spine example run as written (with --env int pointed at a local endpoint)', async () => {
    const outputs: string[] = [];
    for (const line of commands.filter((c) => c.startsWith('npx nhs-fhir'))) {
      const result = await bin(argv(line), workdir);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      outputs.push(result.stdout);
    }
    expect(statSync(join(workdir, 'keys', 'my-app-2026-11.pem')).mode & 0o777).toBe(0o600);
    expect(outputs[1]).toBe(`${endpoint.issued.at(-1)}\n`);
    expect(decode(String(outputs[2]).trim()).payload.scope).toBe('user/Flag.read');
  });

  it('the curl example sends the token from the same token command', () => {
    const assignment = /^token=\$\((npx nhs-fhir token app[^)]*)\)$/.exec(
      commands.find((c) => c.startsWith('token=')) ?? '',
    );
    expect(assignment?.[1]).toBe(commands.find((c) => c.startsWith('npx nhs-fhir token app')));
    expect(commands.find((c) => c.startsWith('curl'))).toContain('-H "Authorization: Bearer $token"');
  });
});
