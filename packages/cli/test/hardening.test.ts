import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, type GeneratedSigningKey } from '@nhs-fhir/auth';
import { runBin, runInProcess } from './run-cli.js';
import { EchoTokenEndpoint, findLeaks, SilentEndpoint, type EchoStyle } from './hostile-endpoints.js';
import { TestTokenEndpoint } from './token-endpoint.js';

const API_KEY = 'cli-hardening-api-key-5678';
const bin = (args: string[], env: Record<string, string> = {}) => runBin(args, { env });
const cli = (args: string[], env: Record<string, string> = {}) => runInProcess(args, env);
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Exit 2, nothing on stdout, exactly one line on stderr matching `message`. */
function expectUsageError(result: { code: number; stdout: string; stderr: string }, message: RegExp): void {
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

let dir: string;
let generated: GeneratedSigningKey;
let keyPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-cli-hardening-'));
  generated = await generateSigningKey('hard-kid', 2048);
  keyPath = join(dir, 'hard-kid.pem');
  writeFileSync(keyPath, generated.privateKeyPem, { mode: 0o600 });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const app = (env: string, ...extra: string[]) => [
  'token',
  'app',
  '--env',
  env,
  '--api-key',
  API_KEY,
  '--key',
  keyPath,
  '--kid',
  'hard-kid',
  ...extra,
];

describe('reads are capped at 1 MB', () => {
  it('--key /dev/zero is refused after 1 MB, not read until memory runs out', async () => {
    const result = await cli([
      'token',
      'app',
      '--env',
      'int',
      '--api-key',
      API_KEY,
      '--kid',
      'k',
      '--key',
      '/dev/zero',
    ]);
    expectUsageError(result, /^nhs-fhir token app: --key: "\/dev\/zero" is over 1 MB; refused\n$/);
  });

  it('a 2 MB key file is refused', async () => {
    const big = join(dir, 'big.pem');
    writeFileSync(big, 'A'.repeat(2 * 1024 * 1024));
    expectUsageError(await cli(app('int').map((a) => (a === keyPath ? big : a))), /--key: .* is over 1 MB/);
  });

  it('a 2 MB jwks.json is refused before a key is made', async () => {
    const out = join(dir, 'big-jwks');
    mkdirSync(out);
    writeFileSync(join(out, 'jwks.json'), `{"keys":[${' '.repeat(2 * 1024 * 1024)}]}`);
    expectUsageError(
      await cli(['keys', 'generate', '--kid', 'k1', '--out', out]),
      /--out: .*jwks\.json.* is over 1 MB/,
    );
    expect(readdirSync(out)).toEqual(['jwks.json']);
  });
});

describe('keys generate never half-writes', () => {
  it('a jwks.json of {"keys":[null]} is refused before anything is written; a rerun says the same', async () => {
    const out = join(dir, 'null-key');
    mkdirSync(out);
    writeFileSync(join(out, 'jwks.json'), '{"keys":[null]}');
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await cli(['keys', 'generate', '--kid', 'k1', '--out', out]);
      expectUsageError(result, /^nhs-fhir keys generate: --out: .*jwks\.json" keys\[0\] is not a JWK object/);
      expect(readdirSync(out)).toEqual(['jwks.json']);
    }
  });

  it.each([
    ['not JSON', 'nope', /is not JSON/],
    ['no keys array', '{"keys":{}}', /is not a JWKS/],
    ['a key without kty', '{"keys":[{"kid":"a"}]}', /keys\[0\] has no kty/],
    ['a private key', '{"keys":[{"kty":"RSA","kid":"a","d":"x"}]}', /keys\[0\] holds a private key/],
  ])('a jwks.json with %s is refused and left alone', async (_title, content, message) => {
    const out = mkdtempSync(join(dir, 'bad-jwks-'));
    writeFileSync(join(out, 'jwks.json'), content);
    expectUsageError(await cli(['keys', 'generate', '--kid', 'k1', '--out', out]), message);
    expect(readdirSync(out)).toEqual(['jwks.json']);
    expect(readFileSync(join(out, 'jwks.json'), 'utf8')).toBe(content);
  });

  it('--out that is a file is refused with exit 2 and one line (not a raw EEXIST)', async () => {
    const out = join(dir, 'file-out');
    mkdirSync(out);
    writeFileSync(join(out, 'jwks.json'), '{"keys":[]}');
    const result = await cli(['keys', 'generate', '--kid', 'k1', '--out', join(out, 'jwks.json')]);
    expectUsageError(result, /^nhs-fhir keys generate: --out: ".*jwks\.json" is a file\n$/);
    const under = await cli(['keys', 'generate', '--kid', 'k1', '--out', join(out, 'jwks.json', 'deeper')]);
    expectUsageError(under, /--out: ".*jwks\.json" is a file, not a directory/);
  });

  it.skipIf(!existsSync('/proc/self'))('--out /proc/nope is refused with exit 2 and one line (no spin)', async () => {
    const result = await bin(['keys', 'generate', '--kid', 'k1', '--out', '/proc/nope']);
    expectUsageError(result, /^nhs-fhir keys generate: --out: /);
    // A directory that exists but takes no files fails the same way, before a key is made.
    const proc = await bin(['keys', 'generate', '--kid', 'k1', '--out', '/proc']);
    expectUsageError(proc, /^nhs-fhir keys generate: --out: cannot write "\/proc"/);
  });

  it('a successful run leaves the key, the JWKS and no temporary file', async () => {
    const out = join(dir, 'clean', 'nested');
    const result = await cli(['keys', 'generate', '--kid', 'clean-kid', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['clean-kid.pem', 'jwks.json']);
    const again = await cli(['keys', 'generate', '--kid', 'clean-kid', '--out', out]);
    expectUsageError(again, /clean-kid\.pem exists; pass --force/);
    expect(readdirSync(out).sort()).toEqual(['clean-kid.pem', 'jwks.json']);
  });
});

describe('argument checks', () => {
  it('--lifetime -5 is an invalid value, not a missing one', async () => {
    expectUsageError(
      await cli(app('int', '--lifetime', '-5')),
      /^nhs-fhir token app: --lifetime: whole seconds from 1 to 300; got "-5"\n$/,
    );
    expectUsageError(await cli(app('int', '--timeout', '-1')), /--timeout: whole seconds from 1 to 600; got "-1"/);
    expectUsageError(await cli(app('int', '--timeout', '0.5')), /--timeout: whole seconds from 1 to 600; got "0.5"/);
  });

  it.each([
    [['keys', 'generate', '--kid', 'a', '--kid', 'b', '--out', 'x'], /--kid is given more than once/],
    [['keys', 'generate', '--kid', 'a', '--out', 'x', '--out', 'y'], /--out is given more than once/],
    [['keys', 'generate', '--kid', 'a', '--out', 'x', '--force', '--force'], /--force is given more than once/],
    [['token', 'app', '--env', 'int', '--env', 'prod'], /--env is given more than once/],
    [['token', 'spine', '--scope', 'user/Flag.read', '--scope', 'user/Flag.write'], /--scope is given more than once/],
  ])('a repeated flag is refused: %j', async (args, message) => {
    expectUsageError(await cli(args), message);
  });

  it('a 100 kB value is not echoed whole', async () => {
    const huge = `user/${'F'.repeat(100_000)}`;
    const args = [
      'token',
      'spine',
      '--iss',
      'https://my-system.example.nhs.uk',
      '--aud',
      'https://clinicals.spineservices.nhs.uk/STU3/Flag',
      '--asid',
      '200000000205',
      '--ods',
      'RR8',
      '--user',
      '555254242105',
      '--scope',
      huge,
    ];
    const result = await cli(args);
    expectUsageError(result, /--scope: .*\(100005 characters\)/);
    expect(result.stderr.length).toBeLessThan(300);
    const unknown = await cli(['keys', 'generate', `--${'x'.repeat(100_000)}`]);
    expectUsageError(unknown, /unknown option/);
    expect(unknown.stderr.length).toBeLessThan(300);
    const kid = await cli(['keys', 'generate', '--kid', 'k'.repeat(100_000), '--out', 'x']);
    expectUsageError(kid, /--kid: .*\(100000 characters\)/);
    expect(kid.stderr.length).toBeLessThan(300);
  });

  it('--version and -v print the package version', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await cli(['-v'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await bin(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a plain-http --env off loopback is refused', async () => {
    expectUsageError(await cli(app('http://token.example.com/oauth2/token')), /--env: plain http:\/\/ is only allowed/);
  });
});

describe('token app against hostile endpoints', () => {
  let silent: SilentEndpoint;
  let echo: EchoTokenEndpoint;
  beforeAll(async () => {
    silent = await new SilentEndpoint().start();
    echo = await new EchoTokenEndpoint().start();
  });
  afterAll(async () => {
    await silent?.stop();
    await echo?.stop();
  });

  it('--timeout: a token endpoint that never answers gives one line and exit 1', async () => {
    const result = await bin(app(silent.url, '--timeout', '1'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^nhs-fhir token app: .*got no answer within 1000 ms.*\[ERR_AUTH_TIMEOUT\]\n$/);
    expect(silent.connections).toBeGreaterThan(0);
  });

  it.each<EchoStyle>(['json', 'text', 'html', 'header', 'gateway-cut'])(
    'an endpoint that echoes the request as %s: no piece of the assertion, API key or key reaches stdout or stderr',
    async (style) => {
      echo.style = style;
      const before = echo.bodies.length;
      const result = await bin(app(echo.url));
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      const assertion = new URLSearchParams(echo.bodies[before]).get('client_assertion') ?? '';
      expect(assertion.length).toBeGreaterThan(200);
      // The endpoint did send the secrets back.
      const echoed =
        style === 'header' ? encodeURIComponent(API_KEY) : assertion.slice(0, style === 'gateway-cut' ? 60 : 150);
      expect(echo.sent.at(-1)).toContain(echoed);
      const secrets = new Set([API_KEY, assertion]);
      for (const line of generated.privateKeyPem.split('\n')) if (line && !line.startsWith('-----')) secrets.add(line);
      expect(findLeaks(`${result.stdout}\n${result.stderr}`, secrets)).toEqual([]);
    },
  );
});

describe('encrypted keys', () => {
  let endpoint: TestTokenEndpoint;
  let encryptedPath: string;
  beforeAll(async () => {
    endpoint = await new TestTokenEndpoint({ apiKey: API_KEY, jwks: () => generated.jwks as never }).start();
    encryptedPath = join(dir, 'encrypted.pem');
    writeFileSync(
      encryptedPath,
      generated.signingKey.keyObject.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }),
    );
  });
  afterAll(async () => {
    await endpoint?.stop();
  });

  it('without a passphrase: one line saying one is needed; with --passphrase-env: a token', async () => {
    const args = app(endpoint.url).map((a) => (a === keyPath ? encryptedPath : a));
    expectUsageError(await cli(args), /--key: .*encrypted; pass its passphrase with --passphrase-env <name>/);
    expectUsageError(await cli([...args, '--passphrase-env', 'NHS_KEY_PASS']), /NHS_KEY_PASS is not set/);
    const ok = await cli([...args, '--passphrase-env', 'NHS_KEY_PASS'], { NHS_KEY_PASS: 'pw' });
    expect(ok.stderr).toBe('');
    expect(ok).toEqual({ code: 0, stdout: `${endpoint.issued.at(-1)}\n`, stderr: '' });
  });
});
