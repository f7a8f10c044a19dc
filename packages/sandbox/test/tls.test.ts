// With `tls`, the sandbox serves HTTPS only to clients whose certificate its CA signed (mutual TLS, as Spine).
import { ApiClient, NetworkError, responseOf } from '@nhs-fhir/client';
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../src/index.js';
import { flagsModel, flagsSeed } from './support/fixtures.js';
import { specFromModel } from './support/spec.js';
import { TestCa } from '@nhs-fhir/testing';

const ca = new TestCa('Sandbox Test CA');
const server = ca.issue('sandbox', '127.0.0.1');
const user = ca.issue('my-system');
const stranger = new TestCa('Someone Else').issue('my-system');

let sandbox: RunningSandbox;
const agents: Agent[] = [];
const agent = (connect: ConnectionOptions) => {
  const made = new Agent({ connect });
  agents.push(made);
  return made;
};

beforeAll(async () => {
  sandbox = await startSandbox(
    { model: flagsModel, seed: flagsSeed },
    { tls: { cert: server.certPem, key: server.keyPem, ca: ca.certPem } },
  );
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await sandbox.stop();
});

const client = (dispatcher: Agent) =>
  new ApiClient(specFromModel(flagsModel), { baseUrl: sandbox.url, retry: false, dispatcher });

describe('mutual TLS', () => {
  it('listens on https', () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers a client with a certificate signed by its CA', async () => {
    const found = await client(agent({ cert: user.certPem, key: user.keyPem, ca: ca.certPem })).call<{ id: string }>(
      'readFlag',
      { id: 'flag-1' },
    );
    expect(found.id).toBe('flag-1');
    expect(responseOf(found)?.etag).toBe('W/"1"');
  });

  it('refuses a client without a certificate', async () => {
    const error = await client(agent({ ca: ca.certPem }))
      .call('readFlag', { id: 'flag-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const error = await client(agent({ cert: stranger.certPem, key: stranger.keyPem, ca: ca.certPem }))
      .call('readFlag', { id: 'flag-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });
});
