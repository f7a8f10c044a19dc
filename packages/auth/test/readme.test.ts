// The README's examples are the files in examples/, included verbatim; this test checks they are
// in the README and runs each against the local stand-ins.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSigningKey, type GeneratedSigningKey } from '../src/index.js';
import { decodeJwtIndependently } from './support/decode-jwt.js';
import { MutualTlsServer } from './support/mtls-server.js';
import {
  API_KEY,
  API_SECRET,
  ApiPlatformStandIn,
  CIS2_CLIENT_ID,
  CIS2_CLIENT_SECRET,
  Cis2StandIn,
  REDIRECT_URI,
} from './support/stand-ins.js';
import { followToRedirectUri } from './support/browser.js';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const exampleFiles = readdirSync(new URL('examples/', root)).filter((f) => f.endsWith('.ts'));

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

describe('README', () => {
  it('starts with the quick-start example', () => {
    const first = codeBlocks(readme)[0];
    expect(first).toBe(readFileSync(new URL('examples/quick-start.ts', root), 'utf8'));
  });
  it.each(exampleFiles)('includes examples/%s verbatim', (file) => {
    expect(codeBlocks(readme)).toContain(readFileSync(new URL(`examples/${file}`, root), 'utf8'));
  });
  it('has no ts block that is not an example file', () => {
    const examples = exampleFiles.map((f) => readFileSync(new URL(`examples/${f}`, root), 'utf8'));
    for (const block of codeBlocks(readme)) expect(examples).toContain(block);
  });
});

describe('README examples run against the local stand-ins', () => {
  let cis2: Cis2StandIn;
  let platform: ApiPlatformStandIn;
  let spine: MutualTlsServer;
  let api: Server;
  let apiUrl = '';
  let dir = '';
  let generated: GeneratedSigningKey;
  const apiSeen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    generated = await generateSigningKey('readme-kid', 2048);
    cis2 = await new Cis2StandIn().start();
    platform = await new ApiPlatformStandIn(generated.signingKey.publicJwk(), cis2).start();
    spine = await new MutualTlsServer().start();
    api = createServer((req, res) => {
      apiSeen.push({ url: req.url ?? '', headers: req.headers });
      const ok = platform.issued.some((token) => req.headers.authorization === `Bearer ${token}`);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/fhir+json' }).end('{}');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-auth-readme-'));
    const client = spine.clientCa.issue('readme-client');
    writeFileSync(join(dir, 'key.pem'), generated.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'client.crt'), client.certPem);
    writeFileSync(join(dir, 'client.key'), client.keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'spine-ca.crt'), spine.serverCa.certPem);
    Object.assign(process.env, {
      NHS_API_KEY: API_KEY,
      NHS_API_SECRET: API_SECRET,
      NHS_PRIVATE_KEY: join(dir, 'key.pem'),
      NHS_KID: 'readme-kid',
      NHS_ENVIRONMENT: platform.tokenUrl,
      PDS_BASE_URL: `${apiUrl}/personal-demographics/FHIR/R4`,
      SPINE_TO_ASID: '999999999999',
      SPINE_CLIENT_CERT: join(dir, 'client.crt'),
      SPINE_CLIENT_KEY: join(dir, 'client.key'),
      SPINE_CA: join(dir, 'spine-ca.crt'),
      RA_BASE_URL: `${spine.url}/STU3`,
      CIS2_DISCOVERY: cis2.discoveryUrl,
      CIS2_CLIENT_ID,
      CIS2_CLIENT_SECRET,
      CIS2_REDIRECT_URI: REDIRECT_URI,
    });
  });

  afterAll(async () => {
    await Promise.all([
      platform?.stop(),
      cis2?.stop(),
      spine?.stop(),
      new Promise((resolve) => {
        api?.closeAllConnections();
        api?.close(resolve);
      }),
    ]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('quick start: application-restricted call to PDS', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('../examples/quick-start.js');
    expect(log).toHaveBeenCalledWith(200);
    log.mockRestore();
    const call = apiSeen.at(-1);
    expect(call?.url).toBe('/personal-demographics/FHIR/R4/Patient/9000000009');
    expect(call?.headers.authorization).toBe(`Bearer ${platform.issued.at(-1)}`);
    expect(call?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('spine-direct: mutual TLS, Spine JWT and headers', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const before = spine.seen.length;
    await import('../examples/spine-direct.js');
    expect(log).toHaveBeenCalledWith(200);
    log.mockRestore();
    const seen = spine.seen[before];
    expect(seen?.clientCertificate).toBe('readme-client');
    expect(seen?.headers.interactionid).toBe('urn:nhs:names:services:raflags:Flag.read:1');
    expect(decodeJwtIndependently(String(seen?.headers.authorization).slice(7)).payload.aud).toBe(
      `${spine.url}/STU3/Flag`,
    );
  });

  it('user-restricted: CIS2 sign-in, role, token exchange', async () => {
    const example = await import('../examples/user-restricted.js');
    const pending = await example.startSignIn();
    const auth = await example.finishSignIn(await followToRedirectUri(pending.url, REDIRECT_URI), pending);
    const prepared = await auth.prepare({ url: `${apiUrl}/cpis/FHIR/R4/CareTeam` });
    expect(prepared.headers['NHSD-Session-URID']).toBe('555254242105');
    expect(prepared.headers.authorization).toBe(`Bearer ${platform.issued.at(-1)}`);
    expect(platform.requests.at(-1)?.grantType).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
  });

  it('keys: generate, load from PEM and from JWK', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await import('../examples/keys.js');
    expect(log).toHaveBeenCalledWith('my-app-2026-11', 'my-app-2026-11');
    log.mockRestore();
  });
});
