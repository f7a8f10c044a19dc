import { Agent, request as httpRequest } from 'node:http';
import {
  ApiClient,
  type OperationOutcome,
  responseOf,
  UnprocessableEntityError,
  VersionConflictError,
} from '@nhs-fhir/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSandbox, type SandboxApi, startSandbox } from '../src/index.js';
import { flag, flagsModel, flagsSeed, NHS_NUMBER, SCT, validateFlag } from './support/fixtures.js';
import { specFromModel } from './support/spec.js';

interface Resource {
  resourceType: string;
  id: string;
  meta: { versionId: string };
  [key: string]: unknown;
}
interface Bundle {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  entry?: Array<{
    fullUrl?: string;
    resource?: Resource;
    search?: { mode: string };
    response?: { status: string; location: string };
  }>;
}

const api: SandboxApi = {
  model: flagsModel,
  seed: flagsSeed,
  validate: validateFlag,
  handlers: {
    removeRecord: (request, store) => {
      const nhsNumber = ((request.body as { parameter?: Array<{ valueString?: string }> }).parameter ?? [])[0]
        ?.valueString;
      let removed = 0;
      for (const resource of store.list('Flag')) {
        if ((resource.subject as { identifier?: { value?: string } } | undefined)?.identifier?.value === nhsNumber)
          removed += Number(store.delete('Flag', resource.id));
      }
      return {
        status: 200,
        body: {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'information', code: 'informational', diagnostics: `OK ${removed}` }],
        },
      };
    },
  },
};

let sandbox: RunningSandbox;
let client: ApiClient;
beforeEach(async () => {
  sandbox = await startSandbox(api);
  client = new ApiClient(specFromModel(flagsModel), { baseUrl: sandbox.url, retry: false });
});
afterEach(async () => {
  await sandbox.stop();
});

const ids = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource?.id);
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sandbox.url}${path}`, { headers });
const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/fhir+json', ...headers },
    body: JSON.stringify(body),
  });
const detail = (outcome: OperationOutcome) => outcome.issue[0]?.details?.coding?.[0]?.code;

describe('seed and read', () => {
  it('reads a seeded resource with its ETag, keeping its id and versionId', async () => {
    const found = await client.call<Resource>('readFlag', { id: 'flag-2' });
    expect(found.id).toBe('flag-2');
    expect(responseOf(found)?.etag).toBe('W/"7"');
    const first = await client.call<Resource>('readFlag', { id: 'flag-1' });
    expect(first.meta.versionId).toBe('1');
    expect(responseOf(first)?.etag).toBe('W/"1"');
  });

  it('unpacks a collection Bundle in the seed and gives an id to a seed resource without one', async () => {
    expect((await client.call<Resource>('readFlag', { id: 'flag-3' })).id).toBe('flag-3');
    const team = await client.call<Bundle>('searchCareTeam', { subject: '9000000009' });
    expect(team.total).toBe(1);
    expect(team.entry?.[0]?.resource?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(team.entry?.[0]?.resource?.meta.versionId).toBe('1');
  });

  it('answers 404 with a not-found OperationOutcome for an unknown id', async () => {
    const response = await get('/Flag/nope');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/fhir+json');
    const body = (await response.json()) as OperationOutcome;
    expect(body.issue[0]?.code).toBe('not-found');
  });

  it('routes /{type}/{id} to any type, the literal /Flag/{id} winning for Flags', async () => {
    const response = await get('/Patient/9000000009');
    expect(response.status).toBe(200);
    expect(((await response.json()) as Resource).resourceType).toBe('Patient');
    expect((await get('/Condition/none')).status).toBe(404);
  });

  it('refuses a seed entry that is not a resource, before listening', async () => {
    await expect(startSandbox({ model: flagsModel, seed: [{ id: 'x' }] })).rejects.toThrow(/seed\[0\].*resourceType/);
  });
});

describe('search', () => {
  it('matches a reference by bare NHS number and answers a searchset with total, fullUrl and search.mode', async () => {
    const bundle = await client.call<Bundle>('searchFlag', { patient: '9000000009' });
    expect(bundle.type).toBe('searchset');
    expect(bundle.total).toBe(2);
    expect(ids(bundle).sort()).toEqual(['flag-1', 'flag-2']);
    expect(bundle.entry?.[0]?.fullUrl).toBe(`${sandbox.url}/Flag/${bundle.entry?.[0]?.resource?.id}`);
    expect(bundle.entry?.[0]?.search).toEqual({ mode: 'match' });
  });

  it('matches a reference by Patient/<id>', async () => {
    expect(ids(await client.call<Bundle>('searchFlag', { patient: 'Patient/9000000017' }))).toEqual(['flag-3']);
  });

  it('matches tokens as system|code, |code and code, against CodeableConcepts and codes', async () => {
    const search = async (args: Record<string, string>) =>
      ids(await client.call<Bundle>('searchFlag', { patient: '9000000009', ...args })).sort();
    expect(await search({ code: `${SCT}|1104441000000107` })).toEqual(['flag-1']);
    expect(await search({ code: '1104451000000105' })).toEqual(['flag-2']);
    expect(await search({ code: '|1104451000000105' })).toEqual([]);
    expect(await search({ code: 'http://other|1104451000000105' })).toEqual([]);
    expect(await search({ status: 'inactive' })).toEqual(['flag-2']);
    expect(await search({ code: '1104441000000107,1104451000000105' })).toEqual(['flag-1', 'flag-2']);
  });

  it('matches a date with eq, ge and le against a Period, an open one included', async () => {
    const search = async (date: string) =>
      ids(await client.call<Bundle>('searchFlag', { patient: 'Patient/9000000017', date }));
    expect(await search('2025-01-15')).toEqual(['flag-3']);
    expect(await search('2025')).toEqual(['flag-3']);
    expect(await search('ge2025-01-01')).toEqual(['flag-3']);
    expect(await search('le2024-12-31')).toEqual([]);
    // an open Period (no end) is ongoing: after any date, never within one day
    const open = async (date: string) => ids(await client.call<Bundle>('searchFlag', { patient: '9000000009', date }));
    expect(await open('ge2030-01-01')).toEqual(['flag-1']);
    expect(await open('2024-03-01')).toEqual([]);
  });

  it('matches strings case-insensitively from the start, through HumanName and Address parts', async () => {
    const search = async (args: Record<string, string>) => (await client.call<Bundle>('searchPatient', args)).total;
    expect(await search({ family: 'smi' })).toBe(1);
    expect(await search({ family: 'mith' })).toBe(0);
    expect(await search({ name: 'anne' })).toBe(1);
    expect(await search({ 'address-postalcode': 'ls1' })).toBe(1);
    expect(await search({ gender: 'female', birthdate: '2010-10-22' })).toBe(1);
    expect(await search({ identifier: `${NHS_NUMBER}|9000000009` })).toBe(1);
    expect(await search({ 'general-practitioner': 'Y12345' })).toBe(1);
  });

  it('matches :identifier against Reference.identifier', async () => {
    const response = await get(`/CareTeam?subject:identifier=${encodeURIComponent(`${NHS_NUMBER}|9000000009`)}`);
    expect(((await response.json()) as Bundle).total).toBe(1);
    const other = await get(`/CareTeam?subject:identifier=${encodeURIComponent(`${NHS_NUMBER}|9000000017`)}`);
    expect(((await other.json()) as Bundle).total).toBe(0);
  });

  it('accepts and ignores a declared parameter without search semantics', async () => {
    expect((await client.call<Bundle>('searchFlag', { patient: '9000000009', _summary: 'true' })).total).toBe(2);
  });

  it('answers an empty searchset when nothing matches', async () => {
    const response = await get('/Flag?patient=9999999999', { 'x-request-id': 'r1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
  });
});

describe('refusals', () => {
  it('refuses a call without a required header with the model missingHeader status and code', async () => {
    const response = await get('/Flag?patient=9000000009');
    expect(response.status).toBe(400);
    const body = (await response.json()) as OperationOutcome;
    expect(detail(body)).toBe('PRECONDITION_FAILED');
    expect(body.issue[0]?.diagnostics).toContain('x-request-id');
    expect((await get('/Flag?patient=9000000009', { 'X-REQUEST-ID': 'r1' })).status).toBe(200);
  });

  it('uses 400 MISSING_HEADER when the model has no missingHeader', async () => {
    const { missingHeader: _, ...model } = flagsModel;
    const other = await startSandbox({ model, seed: [] });
    try {
      const response = await fetch(`${other.url}/Flag?patient=1`);
      expect(response.status).toBe(400);
      expect(detail((await response.json()) as OperationOutcome)).toBe('MISSING_HEADER');
    } finally {
      await other.stop();
    }
  });

  it('refuses an unknown query parameter, naming it, and ignores _format', async () => {
    const response = await get('/Flag?patient=9000000009&colour=red', { 'x-request-id': 'r1' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as OperationOutcome;
    expect(body.issue[0]?.diagnostics).toContain('colour');
    expect(body.issue[0]?.expression).toEqual(['colour']);
    expect((await get('/Flag?patient=9000000009&_format=json', { 'x-request-id': 'r1' })).status).toBe(200);
  });

  it('refuses a missing required query parameter, naming it', async () => {
    const response = await get('/Flag?code=1', { 'x-request-id': 'r1' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as OperationOutcome).issue[0]?.diagnostics).toContain('patient');
  });

  it('refuses a malformed date', async () => {
    expect((await get('/Flag?patient=1&date=yesterday', { 'x-request-id': 'r1' })).status).toBe(400);
  });

  it('answers 405 for a known path with another method, and 404 for an unknown path', async () => {
    const response = await send('PATCH', '/Flag/flag-1', []);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toContain('PUT');
    expect((await get('/Nothing/here/at/all')).status).toBe(404);
  });

  it('echoes X-Request-ID and X-Correlation-ID on every answer, refusals included', async () => {
    const response = await get('/Flag/nope', { 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1' });
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.headers.get('x-correlation-id')).toBe('corr-1');
    const refused = await get('/Flag?patient=1&bad=1', { 'x-request-id': 'req-2' });
    expect(refused.headers.get('x-request-id')).toBe('req-2');
    expect(refused.headers.get('content-type')).toBe('application/fhir+json');
  });
});

describe('create', () => {
  it('assigns an id and versionId 1 and answers 201 with Location, ETag and the body; the read sees it', async () => {
    const created = await client.call<Resource>('createFlag', {
      body: flag('ignored', '9000000025', '1104441000000107'),
    });
    expect(created.id).not.toBe('ignored');
    expect(created.meta.versionId).toBe('1');
    const info = responseOf(created);
    expect(info?.status).toBe(201);
    expect(info?.etag).toBe('W/"1"');
    expect(info?.location).toBe(`${sandbox.url}/Flag/${created.id}`);
    expect((await client.call<Resource>('readFlag', { id: created.id })).subject).toEqual(created.subject);
    expect((await client.call<Bundle>('searchFlag', { patient: '9000000025' })).total).toBe(1);
  });

  it('answers 422 with the validator outcome, naming the element, and stores nothing', async () => {
    const { code: _, ...noCode } = flag('x', '9000000025', '1');
    const error = await client.call('createFlag', { body: noCode }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as UnprocessableEntityError).outcome?.issue[0]?.expression).toEqual(['Flag.code']);
    expect((await client.call<Bundle>('searchFlag', { patient: '9000000025' })).total).toBe(0);
  });

  it('refuses a body of another resource type and a body that is not JSON with 400', async () => {
    expect((await send('POST', '/Flag', { resourceType: 'Patient' })).status).toBe(400);
    const response = await fetch(`${sandbox.url}/Flag`, { method: 'POST', body: '{not json' });
    expect(response.status).toBe(400);
  });
});

describe('update', () => {
  it('refuses a PUT without If-Match with 412 PRECONDITION_FAILED', async () => {
    const response = await send('PUT', '/Flag/flag-1', flag('flag-1', '9000000009', '1'));
    expect(response.status).toBe(412);
    expect(detail((await response.json()) as OperationOutcome)).toBe('PRECONDITION_FAILED');
  });

  it('refuses a stale version with 409 RESOURCE_VERSION_MISMATCH', async () => {
    const response = await send('PUT', '/Flag/flag-2', flag('flag-2', '9000000009', '1'), { 'if-match': 'W/"6"' });
    expect(response.status).toBe(409);
    expect(detail((await response.json()) as OperationOutcome)).toBe('RESOURCE_VERSION_MISMATCH');
    const error = await client
      .call('updateFlag', { flagID: 'flag-2', 'If-Match': 'W/"1"', body: flag('flag-2', '9000000009', '1') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
  });

  it('updates with the read ETag, bumps versionId and answers 200 with the new ETag', async () => {
    const read = await client.call<Resource>('readFlag', { id: 'flag-1' });
    const updated = await client.call<Resource>('updateFlag', {
      flagID: 'flag-1',
      body: { ...read, status: 'inactive' },
    });
    expect(updated.meta.versionId).toBe('2');
    expect(responseOf(updated)?.etag).toBe('W/"2"');
    expect((await client.call<Resource>('readFlag', { id: 'flag-1' })).status).toBe('inactive');
    const stale = await client.call('updateFlag', { flagID: 'flag-1', body: read }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
  });

  it('answers 422 for an invalid body and keeps the stored version', async () => {
    const response = await send(
      'PUT',
      '/Flag/flag-1',
      { ...flag('flag-1', '9000000009', '1'), status: 'sort-of' },
      {
        'if-match': 'W/"1"',
      },
    );
    expect(response.status).toBe(422);
    expect(((await response.json()) as OperationOutcome).issue[0]?.expression).toEqual(['Flag.status']);
    expect((await client.call<Resource>('readFlag', { id: 'flag-1' })).meta.versionId).toBe('1');
  });
});

describe('delete', () => {
  it('deletes by id with an information outcome, then 404 with a not-found warning', async () => {
    const response = await fetch(`${sandbox.url}/Flag/flag-1`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as OperationOutcome;
    expect(body.issue[0]).toMatchObject({ severity: 'information', diagnostics: 'Deleted 1 Flag' });
    const again = await fetch(`${sandbox.url}/Flag/flag-1`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(((await again.json()) as OperationOutcome).issue[0]).toMatchObject({
      severity: 'warning',
      code: 'not-found',
    });
  });

  it('deletes conditionally by the search parameters, saying how many', async () => {
    const outcome = await client.call<OperationOutcome>('deletePatientFlag', {
      patient: '9000000009',
      code: '1104441000000107',
      reason: 'Raised in error',
    });
    expect(outcome.issue[0]).toMatchObject({ severity: 'information', diagnostics: 'Deleted 1 Flag' });
    expect(ids(await client.call<Bundle>('searchFlag', { patient: '9000000009' }))).toEqual(['flag-2']);
    const none = await client.call<OperationOutcome>('deletePatientFlag', {
      patient: '9000000009',
      code: '1104441000000107',
      reason: 'again',
    });
    expect(none.issue[0]).toMatchObject({ severity: 'warning', code: 'not-found' });
  });
});

describe('transaction', () => {
  const entry = (fullUrl: string, resource: object) => ({
    fullUrl,
    resource,
    request: { method: 'POST', url: 'Flag' },
  });

  it('creates every entry and answers a transaction-response with 201 Created and location per entry', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        entry('urn:uuid:0b4c5a4e-0000-4000-8000-000000000001', flag('a', '9000000033', '1104441000000107')),
        entry('urn:uuid:0b4c5a4e-0000-4000-8000-000000000002', {
          ...flag('b', '9000000033', '1104451000000105'),
          extension: [{ url: 'x', valueReference: { reference: 'urn:uuid:0b4c5a4e-0000-4000-8000-000000000001' } }],
        }),
      ],
    };
    const response = await client.call<Bundle>('createPatientFlag', { body: bundle });
    expect(response.type).toBe('transaction-response');
    expect(response.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const locations = response.entry?.map((e) => e.response?.location ?? '') ?? [];
    expect(locations[0]).toMatch(/^Flag\/[0-9a-f-]{36}\/_history\/1$/);
    const second = await client.call<Resource>('readFlag', { id: locations[1]?.split('/')[1] });
    // a reference to another entry's urn:uuid now names what it became
    expect((second.extension as Array<{ valueReference: { reference: string } }>)[0]?.valueReference.reference).toBe(
      locations[0]?.split('/_history')[0],
    );
    expect((await client.call<Bundle>('transaction', { body: { ...bundle } })).entry).toHaveLength(2);
  });

  it('validates every entry first: one bad entry refuses all with 422', async () => {
    const { code: _, ...noCode } = flag('b', '9000000033', '1');
    const response = await send('POST', '/', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [entry('urn:uuid:1', flag('a', '9000000033', '1')), entry('urn:uuid:2', noCode)],
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as OperationOutcome;
    expect(body.issue[0]?.diagnostics).toContain('Bundle.entry[1]');
    expect(body.issue[0]?.expression).toEqual(['Flag.code']);
    expect((await client.call<Bundle>('searchFlag', { patient: '9000000033' })).total).toBe(0);
  });

  it('PUT entries create with the chosen id, then update it; a stale ifMatch refuses everything', async () => {
    const put = (id: string, status: string, ifMatch?: string) => ({
      fullUrl: `Flag/${id}`,
      resource: { ...flag(id, '9000000041', '1104441000000107'), status },
      request: { method: 'PUT', url: `Flag/${id}`, ...(ifMatch ? { ifMatch } : {}) },
    });
    const bundle = (...entry: object[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
    const first = await client.call<Bundle>('transaction', { body: bundle(put('chosen-1', 'active')) });
    expect(first.entry?.[0]?.response).toMatchObject({ status: '201 Created', location: 'Flag/chosen-1/_history/1' });
    const second = await client.call<Bundle>('transaction', { body: bundle(put('chosen-1', 'inactive', 'W/"1"')) });
    expect(second.entry?.[0]?.response).toMatchObject({ status: '200 OK', location: 'Flag/chosen-1/_history/2' });
    const stale = await send('POST', '/', bundle(put('chosen-2', 'active'), put('chosen-1', 'active', 'W/"1"')));
    expect(stale.status).toBe(409);
    expect(detail((await stale.json()) as OperationOutcome)).toBe('RESOURCE_VERSION_MISMATCH');
    expect((await get('/Flag/chosen-2')).status).toBe(404);
    const read = await client.call<Resource>('readFlag', { id: 'chosen-1' });
    expect([read.status, read.meta.versionId]).toEqual(['inactive', '2']);
    const wrongUrl = { ...put('chosen-3', 'active'), request: { method: 'PUT', url: 'Flag/other' } };
    expect((await send('POST', '/', bundle(wrongUrl))).status).toBe(400);
    const deleting = { resource: flag('x', '1', '1'), request: { method: 'DELETE', url: 'Flag/x' } };
    expect((await send('POST', '/', bundle(deleting))).status).toBe(400);
  });

  it('refuses a Bundle that is not a transaction', async () => {
    expect((await send('POST', '/', { resourceType: 'Bundle', type: 'collection', entry: [] })).status).toBe(400);
  });
});

describe('operations the model cannot describe', () => {
  it('calls the handler for the operation with the request and the store', async () => {
    const response = await send(
      'POST',
      '/$removerarecord',
      { resourceType: 'Parameters', parameter: [{ name: 'nhsNumber', valueString: '9000000009' }] },
      { 'if-match': 'W/"1"' },
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as OperationOutcome).issue[0]?.diagnostics).toBe('OK 2');
    expect((await client.call<Bundle>('searchFlag', { patient: '9000000009' })).total).toBe(0);
  });

  it('answers 501 without a handler, after the usual checks', async () => {
    const bare = await startSandbox({ model: flagsModel, seed: [] });
    try {
      const call = (headers: Record<string, string>) =>
        fetch(`${bare.url}/$removerarecord`, { method: 'POST', headers, body: '{"resourceType":"Parameters"}' });
      expect((await call({})).status).toBe(412);
      const response = await call({ 'if-match': 'W/"1"' });
      expect(response.status).toBe(501);
      expect(((await response.json()) as OperationOutcome).issue[0]?.code).toBe('not-supported');
    } finally {
      await bare.stop();
    }
  });

  it('answers 500 with an OperationOutcome when a handler throws', async () => {
    const failing = await startSandbox({
      model: flagsModel,
      seed: [],
      handlers: {
        removeRecord: () => {
          throw new Error('boom');
        },
      },
    });
    try {
      const response = await fetch(`${failing.url}/$removerarecord`, { method: 'POST', headers: { 'if-match': '1' } });
      expect(response.status).toBe(500);
      expect(((await response.json()) as OperationOutcome).issue[0]?.diagnostics).toContain('boom');
    } finally {
      await failing.stop();
    }
  });
});

describe('stop', () => {
  it('closes the server and open keep-alive connections', async () => {
    const other = await startSandbox({ model: flagsModel, seed: flagsSeed });
    const url = new URL(`${other.url}/Flag/flag-1`);
    // a keep-alive connection that stays open after its answer
    const agent = new Agent({ keepAlive: true });
    const closed = await new Promise<Promise<void>>((resolve, reject) => {
      let socketClosed: Promise<void> = Promise.resolve();
      const req = httpRequest(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(socketClosed));
      });
      req.on('socket', (socket) => {
        socketClosed = new Promise<void>((done) => socket.once('close', () => done()));
      });
      req.on('error', reject);
      req.end();
    });
    await other.stop();
    await closed;
    await expect(fetch(`${other.url}/Flag/flag-1`)).rejects.toThrow();
    await other.stop();
  });
});
