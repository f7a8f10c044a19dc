// Every operation of the retired RA proxy against Prism serving its real OpenAPI description (the
// remote error fragments resolved against their pinned copies): no request violation, typed bodies.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestExamples, type PrismServer, startPrism } from '@nhs-fhir/testing';
import {
  createRaProxyClient,
  type RaProxyClient,
  removeRecordParameters,
  UnprocessableEntityError,
} from '../src/index.js';

const bundleFile = new URL('../src/generated/proxy/openapi.bundle.json', import.meta.url);
const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as unknown;
const CATEGORY = 'https://fhir.nhs.uk/STU3/CodeSystem/RARecord-FlagCategory-1|NRAF';
const LIST_CODE = 'http://snomed.info/sct|1094391000000102';
const IF_MATCH = 'W/"1"';
/**
 * Two request examples of the description break its own schemas: they send `category` as an array
 * (as STU3 Consent and List have it), while the schemas say an object. Prism reports exactly those
 * and answers 422; the client sends the description's examples as they are.
 */
const DESCRIPTION_DEFECTS = [
  'PUT /Consent/9000000009.1: request.body.category: Request body property category must be object',
  'POST /UnderlyingConditionList: request.body.category: Request body property category must be object',
];

let prism: PrismServer;
let ra: RaProxyClient;

beforeAll(async () => {
  prism = await startPrism(bundleFile.pathname);
  ra = createRaProxyClient({ baseUrl: prism.url });
});
afterAll(async () => {
  await prism?.stop();
});

/** The first request example the description gives for an operation. */
function example(path: string, method: string): never {
  const [found] = requestExamples(bundle, path, method);
  expect(found, `${method} ${path} has a request example`).toBeDefined();
  return found as never;
}

describe('@nhs-fhir/reasonable-adjustments proxy client against Prism', () => {
  it("calls all 14 operations; Prism finds no request violation but the description's own", async () => {
    const search = { patient: '9000000009', status: 'active', category: CATEGORY };
    const consents = await ra.readConsent(search);
    expect(consents.resourceType).toBe('Bundle');
    expect((await ra.postConsent({ body: example('/Consent', 'post') })).resourceType).toBe('Consent');
    await expect(
      ra.updateConsent({
        consentID: '9000000009.1',
        body: example('/Consent/{consentID}', 'put'),
        'If-Match': IF_MATCH,
      }),
    ).rejects.toBeInstanceOf(UnprocessableEntityError);

    expect((await ra.readFlag(search)).resourceType).toBe('Bundle');
    expect((await ra.postFlag({ body: example('/Flag', 'post') })).resourceType).toBe('Flag');
    expect(
      (await ra.updateFlag({ flagID: '9000000009.2', body: example('/Flag/{flagID}', 'put'), 'If-Match': IF_MATCH }))
        .resourceType,
    ).toBe('Flag');

    expect((await ra.readList({ patient: '9000000009', status: 'current', code: LIST_CODE })).resourceType).toBe(
      'Bundle',
    );
    expect((await ra.postList({ body: example('/List', 'post') })).resourceType).toBe('List');
    expect(
      (await ra.updateList({ listID: '9000000009.3', body: example('/List/{listID}', 'put'), 'If-Match': IF_MATCH }))
        .resourceType,
    ).toBe('List');

    expect((await ra.readUnderlyingCondition(search)).resourceType).toBe('Bundle');
    // The description's own example names a resource type UnderlyingConditionList; Spine stores a List.
    const underlying = { ...(example('/UnderlyingConditionList', 'post') as object), resourceType: 'List' } as never;
    await expect(ra.postUnderlyingCondition({ body: underlying })).rejects.toBeInstanceOf(UnprocessableEntityError);
    const updatedUnderlying = {
      ...(example('/UnderlyingConditionList/{listID}', 'put') as object),
      resourceType: 'List',
    } as never;
    expect(
      (await ra.updateUnderlyingCondition({ listID: '9000000009.4', body: updatedUnderlying, 'If-Match': IF_MATCH }))
        .resourceType,
    ).toBe('List');

    expect((await ra.readThresholdCode(search)).resourceType).toBe('Bundle');
    const removal = removeRecordParameters({
      nhsNumber: '9000000009',
      removalReason: 'PatientDissent',
      supportingComment: 'The patient asked for the record to be removed',
    });
    expect((await ra.removeRecord({ body: removal, 'If-Match': IF_MATCH })).resourceType).toBe('OperationOutcome');

    expect(prism.requests).toHaveLength(14);
    expect(prism.violations).toEqual(DESCRIPTION_DEFECTS);
  });

  it('refuses a search without its required parameters before sending', async () => {
    const sent = prism.requests.length;
    await expect(ra.readFlag({ patient: '9000000009', status: 'active' } as never)).rejects.toThrow(
      /readFlag: category: required query parameter is missing/,
    );
    expect(prism.requests.length).toBe(sent);
  });
});
