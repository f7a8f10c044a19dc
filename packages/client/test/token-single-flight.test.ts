// 1,000 concurrent calls with an expired token make exactly one token request: the auth's token
// cache is shared by every call of the runtime. The clock is injected, so nothing waits for expiry.
import { generateKeyPairSync } from 'node:crypto';
import { ApplicationRestrictedAuth, loadSigningKey } from '@nhs-fhir/auth';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, UnauthorizedError } from '../src/index.js';
import { guard, json, outcome, startServer, TEST_SPEC, type TestServer } from './support/http.js';
import { TestTokenEndpoint } from './support/token-endpoint.js';

describe('token single flight', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tokens = new TestTokenEndpoint(publicKey, 120);
  let api: TestServer;
  const agent = new Agent({ connections: 64 });

  beforeAll(async () => {
    await tokens.start();
    api = await startServer((req, res) => {
      if (!tokens.isValid(req.headers.authorization)) return json(res, 401, outcome('forbidden', 'ACCESS_DENIED'));
      json(res, 200, { resourceType: 'Patient', id: req.url?.split('/').pop() });
    });
  });
  afterAll(async () => {
    await agent.close();
    await Promise.all([tokens.stop(), api.stop()]);
  });

  it('1,000 concurrent calls after the token expired make one token request', async () => {
    let clock = Date.now();
    const auth = new ApplicationRestrictedAuth({
      apiKey: 'test-api-key',
      signingKey: loadSigningKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'test-kid'),
      environment: tokens.url,
      now: () => clock,
    });
    const client = new ApiClient(TEST_SPEC, { baseUrl: api.url, auth, dispatcher: agent, retry: false });

    await client.call('read', { id: 'first' });
    expect(tokens.requests).toBe(1);
    // Still fresh: no new request.
    await Promise.all(Array.from({ length: 50 }, (_, i) => client.call('read', { id: `warm-${i}` })));
    expect(tokens.requests).toBe(1);

    // Past expires_in (120 s): the token is expired for every one of the next calls.
    clock += 121_000;
    const results = await guard(
      Promise.allSettled(Array.from({ length: 1000 }, (_, i) => client.call<{ id: string }>('read', { id: `p-${i}` }))),
      40_000,
      '1,000 calls',
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(tokens.requests).toBe(2);
    expect(tokens.issued).toHaveLength(2);
    // Every one of them carried the new token (the API refuses the old one).
    const last = api.seen.slice(-1000);
    expect(new Set(last.map((s) => s.headers.authorization))).toEqual(new Set([`Bearer ${tokens.issued[1]}`]));
  });

  it('the API stand-in does refuse an expired token (so the test above can fail)', async () => {
    const stale = {
      mode: 'application-restricted' as const,
      prepare: async () => ({ headers: { authorization: 'Bearer old' } }),
    };
    const client = new ApiClient(TEST_SPEC, { baseUrl: api.url, auth: stale, retry: false });
    await expect(client.call('read', { id: '1' })).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
