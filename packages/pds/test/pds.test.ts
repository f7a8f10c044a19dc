import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPdsClient,
  InvalidArgumentError,
  PdsPatchError,
  patientPatch,
  responseOf,
  searchRefusal,
  supersededNhsNumber,
  UnexpectedResponseError,
  VersionConflictError,
} from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
let handler: Handler = (_req, res) => res.writeHead(500).end();
const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/personal-demographics/FHIR/R4`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) =>
    res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers }).end(JSON.stringify(body));
}

const outcome = (code: string, issueCode = 'multiple-matches') => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: issueCode, details: { coding: [{ code }] } }],
});

describe('PDS behaviour the client models', () => {
  it('surfaces a superseded NHS number: the read answers with the record that replaced it', async () => {
    handler = json(200, { resourceType: 'Patient', id: '9000000017' }, { etag: 'W/"4"' });
    const pds = createPdsClient({ baseUrl });
    const patient = await pds.getPatient({ id: '9000000009' });
    expect(patient.id).toBe('9000000017');
    expect(supersededNhsNumber(patient)).toBe('9000000009');
    const same = await pds.getPatient({ id: '9000000017' });
    expect(supersededNhsNumber(same)).toBeUndefined();
  });

  it('TOO_MANY_MATCHES as PDS sends it (a 200 OperationOutcome) is an empty searchset that says why', async () => {
    handler = json(200, outcome('TOO_MANY_MATCHES'));
    const pds = createPdsClient({ baseUrl });
    const bundle = await pds.searchPatient({ family: 'Smith' });
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
    expect(searchRefusal(bundle)).toBe('TOO_MANY_MATCHES');
    expect(responseOf(bundle)?.noData?.outcome?.issue[0]?.code).toBe('multiple-matches');
  });

  it('an empty searchset is no data, not a refusal', async () => {
    handler = json(200, { resourceType: 'Bundle', type: 'searchset', total: 0 });
    const bundle = await createPdsClient({ baseUrl }).searchPatient({ family: 'Nobody' });
    expect(searchRefusal(bundle)).toBeUndefined();
    expect(responseOf(bundle)?.noData?.reason).toBe('empty-searchset');
  });

  it('sends If-Match from the ETag of the last read, and maps 409 to VersionConflictError', async () => {
    handler = json(200, { resourceType: 'Patient', id: '9000000009', meta: { versionId: '7' } }, { etag: 'W/"7"' });
    const pds = createPdsClient({ baseUrl });
    await pds.getPatient({ id: '9000000009' });
    handler = json(409, outcome('RESOURCE_VERSION_MISMATCH', 'conflict'));
    const update = pds.updatePatientPartial({
      id: '9000000009',
      body: patientPatch().replace('/gender', 'male').build(),
    });
    await expect(update).rejects.toBeInstanceOf(VersionConflictError);
    await expect(update).rejects.toMatchObject({ status: 409, code: 'RESOURCE_VERSION_MISMATCH' });
    const sent = seen.at(-1)!;
    expect(sent.method).toBe('PATCH');
    expect(sent.headers['if-match']).toBe('W/"7"');
    expect(sent.headers['content-type']).toBe('application/json-patch+json');
    expect(sent.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a wrong or missing argument before sending, naming the operation and the parameter', async () => {
    const pds = createPdsClient({ baseUrl });
    const before = seen.length;
    // @ts-expect-error: _max-results is a number
    await expect(pds.searchPatient({ '_max-results': '5' })).rejects.toThrow(
      /searchPatient: _max-results: expected an integer/,
    );
    // @ts-expect-error: id is required
    await expect(pds.getPatient({})).rejects.toBeInstanceOf(InvalidArgumentError);
    // @ts-expect-error: not a parameter of getPatient
    await expect(pds.getPatient({ id: '9000000009', nhsNumber: '1' })).rejects.toThrow(
      /getPatient: nhsNumber: unknown parameter/,
    );
    expect(seen.length).toBe(before);
  });

  it('a body not JSON or not the declared resource is a typed error naming operation, status, type', async () => {
    const pds = createPdsClient({ baseUrl });
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>gateway</html>');
    await expect(pds.getPatient({ id: '9000000009' })).rejects.toThrow(/getPatient: 200 text\/html: body is not JSON/);
    handler = json(200, { resourceType: 'Bundle', type: 'searchset' });
    const wrong = pds.getPatient({ id: '9000000009' });
    await expect(wrong).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(wrong).rejects.toThrow(/expected Patient, got Bundle/);
  });
});

describe('PDS JSON Patch rules', () => {
  it.each([
    {
      title: 'replace, then removals from the highest index down (each after its test), then additions at -',
      build: () =>
        patientPatch()
          .append('/telecom', { system: 'phone', value: '01632960587' })
          .remove('/name', 0, { id: 'aaa', family: 'Smith' })
          .remove('/name', 2, { id: 'ccc', family: 'Jones' })
          .replace('/gender', 'female')
          .build(),
      want: [
        { op: 'replace', path: '/gender', value: 'female' },
        { op: 'test', path: '/name/2/id', value: 'ccc' },
        { op: 'remove', path: '/name/2' },
        { op: 'test', path: '/name/0/id', value: 'aaa' },
        { op: 'remove', path: '/name/0' },
        { op: 'add', path: '/telecom/-', value: { system: 'phone', value: '01632960587' } },
      ],
    },
    {
      title: 'an extension is tested by its url, an item with neither id nor url as a whole',
      build: () =>
        patientPatch()
          .remove('/extension', 1, {
            url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy',
          })
          .remove('/address', 0, 'whole')
          .build(),
      want: [
        { op: 'test', path: '/address/0', value: 'whole' },
        { op: 'remove', path: '/address/0' },
        {
          op: 'test',
          path: '/extension/1/url',
          value: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NominatedPharmacy',
        },
        { op: 'remove', path: '/extension/1' },
      ],
    },
  ])('$title', ({ build, want }) => {
    expect(build().patches).toEqual(want);
  });

  it.each([
    {
      title: 'a new list item with an id',
      act: () => patientPatch().append('/name', { id: 'x' }),
      error: /must not carry an id/,
    },
    { title: 'add at an index', act: () => patientPatch().add('/name/0', {}), error: /append\(listPath, item\)/ },
    {
      title: 'a path that is not a pointer',
      act: () => patientPatch().replace('gender', 'male'),
      error: /JSON pointer/,
    },
    {
      title: 'the same item removed twice',
      act: () => patientPatch().remove('/name', 1, {}).remove('/name', 1, {}),
      error: /twice/,
    },
    { title: 'a negative index', act: () => patientPatch().remove('/name', -1, {}), error: /not a list index/ },
  ])('refuses $title', ({ act, error }) => {
    expect(act).toThrow(PdsPatchError);
    expect(act).toThrow(error);
  });
});
