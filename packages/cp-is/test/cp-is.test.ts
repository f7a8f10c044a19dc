import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationRestrictedAuth, generateSigningKey } from '@nhs-fhir/auth';
import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessHistory,
  ClientConfigError,
  childProtectionPlans,
  createCpisClient,
  InvalidArgumentError,
  responseOf,
} from '../src/index.js';
import { sandboxApi } from '../src/sandbox.js';

const NHS_NUMBER = '9912003888'; // the NHS number of the IG's example patient
// The IG's CareTeam example names no patient; the sandbox gets one that does, from the same example.
const seeded = sandboxApi.seed.find((resource) => (resource as { resourceType?: string }).resourceType === 'CareTeam');
const careTeam = {
  ...(seeded as object),
  id: 'cpis-plan-for-test',
  subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS_NUMBER } },
  category: [
    { coding: [{ system: 'http://snomed.info/sct', code: '1273211000000106', display: 'Child protection plan' }] },
  ],
  period: { start: '2024-01-01' },
};

let sandbox: RunningSandbox;
let recorder: Server;
let recorderUrl: string;
const recorded: IncomingHttpHeaders[] = [];
const recordedUrls: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ ...sandboxApi, seed: [...sandboxApi.seed, careTeam] });
  recorder = createServer((req, res) => {
    recorded.push(req.headers);
    recordedUrls.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/fhir+json' }).end('{"resourceType":"Bundle","type":"searchset"}');
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox?.stop();
  await new Promise<void>((resolve) => recorder?.close(() => resolve()));
});

describe('@nhs-fhir/cp-is against its sandbox', () => {
  it('searchCareTeam finds the plan by NHS number; the helper reads it as the data-mapping page says', async () => {
    const cpis = createCpisClient({ baseUrl: sandbox.url });
    const bundle = await cpis.searchCareTeam({ nhsNumber: NHS_NUMBER, careSetting: 'scheduled' });
    expect(bundle.total).toBe(1);
    expect(childProtectionPlans(bundle)).toEqual([
      {
        planType: { code: '1273211000000106', display: 'Child protection plan' },
        start: '2024-01-01',
        end: undefined,
        localAuthority: 'SFD1 - SHEFFIELD CITY COUNCIL',
        emergencyDutyPhone: '07133973581',
        officeHoursPhone: '01133973581',
      },
    ]);
  });

  it('no record is an empty searchset', async () => {
    const cpis = createCpisClient({ baseUrl: sandbox.url });
    const bundle = await cpis.searchCareTeam({ nhsNumber: '9000000009', careSetting: 'unscheduled' });
    expect(bundle.entry ?? []).toEqual([]);
    expect(responseOf(bundle)?.noData?.reason).toBe('empty-searchset');
  });

  it('the sandbox refuses a search without the care setting header: 400 PRECONDITION_FAILED', async () => {
    const url = `${sandbox.url}/CareTeam?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS_NUMBER}`;
    const answer = await fetch(url, { headers: { 'X-Request-ID': crypto.randomUUID() } });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { issue: Array<{ details?: { coding?: Array<{ code?: string }> } }> };
    expect(body.issue[0]?.details?.coding?.[0]?.code).toBe('PRECONDITION_FAILED');
  });
});

describe('what CP-IS is sent', () => {
  it('careSetting is always sent as IsUnscheduledAccessEvent, TraceID carries the request id', async () => {
    const cpis = createCpisClient({ baseUrl: recorderUrl });
    await cpis.searchCareTeam({ nhsNumber: NHS_NUMBER, careSetting: 'unscheduled' });
    await cpis.searchCareTeam({ nhsNumber: NHS_NUMBER, careSetting: 'scheduled' });
    expect(recorded.slice(-2).map((headers) => headers['isunscheduledaccessevent'])).toEqual(['true', 'false']);
    const last = recorded.at(-1)!;
    expect(last['traceid']).toBe(last['x-request-id']);
    expect(decodeURIComponent(recordedUrls.at(-1)!)).toBe(
      `/CareTeam?patient:identifier=https://fhir.nhs.uk/Id/nhs-number|${NHS_NUMBER}`,
    );
  });

  it("searchAuditEvent sends the guide's _include unless told otherwise", async () => {
    const cpis = createCpisClient({ baseUrl: recorderUrl });
    await cpis.searchAuditEvent({ nhsNumber: NHS_NUMBER, careSetting: 'scheduled' });
    expect(decodeURIComponent(recordedUrls.at(-1)!)).toContain(
      '_include=AuditEvent:entity-type=http://terminology.hl7.org/CodeSystem/v3-RoleClass|ASSIGNED',
    );
    await cpis.searchAuditEvent({ nhsNumber: NHS_NUMBER, careSetting: 'scheduled', include: false });
    expect(recordedUrls.at(-1)).not.toContain('_include');
  });

  it('a missing care setting is refused before anything is sent', async () => {
    const cpis = createCpisClient({ baseUrl: recorderUrl });
    const before = recorded.length;
    // @ts-expect-error: careSetting is required
    const call = cpis.searchCareTeam({ nhsNumber: NHS_NUMBER });
    await expect(call).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(call).rejects.toThrow(/searchCareTeam: careSetting: required header parameter is missing/);
    // @ts-expect-error: not a care setting
    await expect(cpis.searchCareTeam({ nhsNumber: NHS_NUMBER, careSetting: 'urgent' })).rejects.toThrow(/careSetting/);
    expect(recorded.length).toBe(before);
  });

  it('refuses application-restricted auth when the client is built', async () => {
    const auth = new ApplicationRestrictedAuth({
      apiKey: 'cp-is-test-key',
      signingKey: (await generateSigningKey('cpis-test-kid', 2048)).signingKey,
      environment: 'http://127.0.0.1:1/oauth2/token',
    });
    expect(() => createCpisClient({ baseUrl: recorderUrl, auth })).toThrow(ClientConfigError);
    expect(() => createCpisClient({ baseUrl: recorderUrl, auth })).toThrow(/CIS2 user-restricted/);
  });
});

describe('accessHistory', () => {
  it('reads each access with its viewer from the included PractitionerRole, newest first', () => {
    const history = accessHistory({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        {
          resource: {
            resourceType: 'AuditEvent',
            recorded: '2024-01-02T10:00:00Z',
            type: { code: 'rest' },
            source: { observer: {} },
            agent: [{ requestor: true, who: { reference: 'PractitionerRole/pr1' } }],
          },
        },
        {
          resource: {
            resourceType: 'AuditEvent',
            recorded: '2024-03-04T10:00:00Z',
            type: { code: 'rest' },
            source: { observer: {} },
            agent: [{ requestor: true }],
          },
        },
        {
          fullUrl: 'https://example.org/PractitionerRole/pr1',
          resource: {
            resourceType: 'PractitionerRole',
            id: 'pr1',
            practitioner: { display: 'Dr A Smith' },
            organization: { display: 'Leeds A&E' },
            code: [{ coding: [{ display: 'Emergency Doctor' }] }],
          },
        },
      ],
    } as never);
    expect(history).toEqual([
      { accessedAt: '2024-03-04T10:00:00Z', viewer: undefined, role: undefined, organisation: undefined },
      { accessedAt: '2024-01-02T10:00:00Z', viewer: 'Dr A Smith', role: 'Emergency Doctor', organisation: 'Leeds A&E' },
    ]);
  });
});
