// The sandbox on the real PDS operations model, as `tools/api-codegen` emits it, with a hand-written seed.
import { readFileSync } from 'node:fs';
import { ApiClient, type OperationOutcome, responseOf, VersionConflictError } from '@nhs-fhir/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, type SandboxModel, startSandbox } from '../src/index.js';
import { NHS_NUMBER, patient } from './support/fixtures.js';
import { specFromModel } from './support/spec.js';

const model = JSON.parse(
  readFileSync(new URL('../../pds/src/generated/operations-model.json', import.meta.url), 'utf8'),
) as SandboxModel;
const operation = (name: string) => {
  const found = model.operations.find((op) => op.name === name);
  if (!found) throw new Error(`the PDS model has no ${name}`);
  return found;
};

const seed = [
  patient,
  {
    resourceType: 'Patient',
    id: '9000000017',
    identifier: [{ system: NHS_NUMBER, value: '9000000017' }],
    name: [{ family: 'Jones', given: ['Tom'] }],
    gender: 'male',
    birthDate: '1980-01-02',
  },
  {
    resourceType: 'RelatedPerson',
    id: 'rp-1',
    patient: { type: 'Patient', identifier: { system: NHS_NUMBER, value: '9000000009' } },
    relationship: [{ coding: [{ code: 'MTH' }] }],
  },
];

/** Headers the model says an operation needs, with made-up values; If-Match and Content-Type are the tests' own. */
const required = (name: string): Record<string, string> =>
  Object.fromEntries(
    (operation(name).requiredHeaders ?? [])
      .filter((header) => !['if-match', 'content-type'].includes(header.toLowerCase()))
      .map((header) => [header, 'sandbox-test']),
  );

let sandbox: RunningSandbox;
let client: ApiClient;
beforeEach(async () => {
  sandbox = await startSandbox({ model, seed });
  client = new ApiClient(specFromModel(model), { baseUrl: sandbox.url, retry: false });
});
afterEach(async () => {
  await sandbox.stop();
});

describe('the sandbox on the emitted PDS model', () => {
  it('reads a Patient with its ETag (getPatient)', async () => {
    const found = await client.call<{ id: string; name: Array<{ family: string }> }>('getPatient', {
      id: '9000000009',
    });
    expect(found.name[0]?.family).toBe('Smith');
    expect(responseOf(found)?.etag).toBe('W/"1"');
  });

  it('refuses a call without a header the model requires, as the model says (missingHeader)', async () => {
    expect(operation('getPatient').requiredHeaders).toContain('X-Request-ID');
    const response = await fetch(`${sandbox.url}/Patient/9000000009`);
    expect(response.status).toBe(model.missingHeader?.status);
    const body = (await response.json()) as OperationOutcome;
    expect(body.issue[0]?.details?.coding?.[0]?.code).toBe(model.missingHeader?.code);
  });

  it('searches Patients (searchPatient); parameters the model gives no search semantics are accepted', async () => {
    const bundle = await client.call<{ total: number; entry: Array<{ resource: { id: string } }> }>('searchPatient', {
      family: 'Smith',
      gender: 'female',
      birthdate: ['ge2010-01-01', 'le2011-01-01'],
    });
    const filtered = model.operations.find((op) => op.name === 'searchPatient')?.params.some((p) => p.search);
    expect(bundle.entry.map((e) => e.resource.id)).toContain('9000000009');
    expect(bundle.total).toBe(filtered ? 1 : 2);
  });

  it('finds the related people of a Patient (getRelatedPeople, a search under /Patient/{id})', async () => {
    const bundle = await client.call<{ total: number }>('getRelatedPeople', { id: '9000000009' });
    expect(bundle.total).toBe(1);
    const none = await client.call<{ total: number }>('getRelatedPeople', { id: '9000000017' });
    expect(none.total).toBe(0);
  });

  it('creates a Patient (createPatient) and reads it back', async () => {
    const created = await client.call<{ id: string }>('createPatient', {
      body: { resourceType: 'Patient', name: [{ family: 'New' }], gender: 'other' },
    });
    expect(responseOf(created)?.status).toBe(201);
    expect((await client.call<{ id: string }>('getPatient', { id: created.id })).id).toBe(created.id);
  });

  it('applies a JSON Patch with If-Match (updatePatientPartial), and refuses a stale or missing one', async () => {
    const url = `${sandbox.url}/Patient/9000000009`;
    const patch = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json', ...required('updatePatientPartial'), ...headers },
        body: JSON.stringify({ patches: [{ op: 'replace', path: '/name/0/family', value: 'Smythe' }] }),
      });
    const missing = await patch({});
    expect(missing.status).toBe(412);
    expect(((await missing.json()) as OperationOutcome).issue[0]?.details?.coding?.[0]?.code).toBe(
      'PRECONDITION_FAILED',
    );
    const done = await patch({ 'if-match': 'W/"1"' });
    expect(done.status).toBe(200);
    expect(done.headers.get('etag')).toBe('W/"2"');
    expect(((await done.json()) as { name: Array<{ family: string }> }).name[0]?.family).toBe('Smythe');
    expect((await patch({ 'if-match': 'W/"1"' })).status).toBe(409);
    const bad = await fetch(url, {
      method: 'PATCH',
      headers: {
        'if-match': 'W/"2"',
        'content-type': 'application/json-patch+json',
        ...required('updatePatientPartial'),
      },
      body: JSON.stringify([{ op: 'remove', path: '/telecom/4' }]),
    });
    expect(bad.status).toBe(400);
  });

  it('a 409 from the sandbox is a VersionConflictError in the client', async () => {
    await fetch(`${sandbox.url}/Patient/9000000017`, {
      method: 'PATCH',
      headers: {
        'if-match': 'W/"1"',
        'content-type': 'application/json-patch+json',
        ...required('updatePatientPartial'),
      },
      body: JSON.stringify([{ op: 'add', path: '/gender', value: 'unknown' }]),
    });
    const spec = specFromModel(model);
    const withBody = {
      ...spec,
      operations: {
        ...spec.operations,
        // older emitted models declare no PATCH body; give the client one so it can send the patch
        updatePatientPartial: {
          ...(spec.operations.updatePatientPartial as NonNullable<(typeof spec.operations)['x']>),
          body: { required: true, contentType: 'application/json-patch+json' },
        },
      },
    };
    const patcher = new ApiClient(withBody, { baseUrl: sandbox.url, retry: false });
    const error = await patcher
      .call('updatePatientPartial', {
        id: '9000000017',
        'If-Match': 'W/"1"',
        body: { patches: [{ op: 'replace', path: '/gender', value: 'male' }] },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
  });

  it('refuses getCoverage without its required subscriber:identifier, and an unknown parameter, with 400', async () => {
    const headers = { 'x-request-id': 'r1', ...required('getCoverage') };
    const missing = await fetch(`${sandbox.url}/Coverage`, { headers });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as OperationOutcome).issue[0]?.diagnostics).toContain('subscriber:identifier');
    const unknown = await fetch(`${sandbox.url}/Patient?surname=Smith`, { headers: required('searchPatient') });
    expect(unknown.status).toBe(400);
    const given = await fetch(`${sandbox.url}/Coverage?subscriber:identifier=9000000009`, { headers });
    expect(given.status).toBe(200);
    expect(await given.json()).toMatchObject({ type: 'searchset', total: 0 });
  });
});
