// The Spine-direct RA client through mutual TLS against the local sandbox (certificates made at test
// time), seeded with the RARecord package's own examples.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpineDirectAuth } from '@nhs-fhir/auth';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { TestCa } from '@nhs-fhir/testing';
import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientConfigError,
  createRaSpineClient,
  NetworkError,
  type RaSpineClient,
  removeRecordParameters,
  responseOf,
  softDeleted,
  UnprocessableEntityError,
  VersionConflictError,
} from '../src/index.js';
import { sandboxApi } from '../src/sandbox.js';

// The package's examples refer to Patient/999999998, nine digits; the test gives them a valid NHS number.
const NHS_NUMBER = '9000000009';
const seed = JSON.parse(JSON.stringify(sandboxApi.seed).replaceAll('Patient/999999998', `Patient/${NHS_NUMBER}`));
// The package's examples carry the older site's category code ('reasonable adjustments flag'), not NRAF
// [RA-PUB]: searches of them leave the category out.
const OLD_EXAMPLES = { category: false } as const;
const LIST_ID = '56eedfcd-d883-4adb-a833-c21d4a1e0d80';
const serverCa = new TestCa('Spine Test Root');
const clientCa = new TestCa('Supplier Test CA');
const spineOptions = {
  issuer: 'https://supplier.example.nhs.uk',
  fromAsid: '200000000205',
  toAsid: '999999999999',
  odsCode: 'RR8',
  userRoleProfileId: '555254242105',
};

let sandbox: RunningSandbox;
let ra: RaSpineClient;

beforeAll(async () => {
  const server = serverCa.issue('localhost', '127.0.0.1');
  sandbox = await startSandbox(
    { ...sandboxApi, seed },
    { tls: { cert: server.certPem, key: server.keyPem, ca: clientCa.certPem } },
  );
  const client = clientCa.issue('supplier-endpoint.example.nhs.uk');
  const auth = new SpineDirectAuth({
    ...spineOptions,
    tls: { cert: client.certPem, key: client.keyPem, ca: serverCa.certPem },
  });
  ra = createRaSpineClient({ baseUrl: sandbox.url, auth });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('@nhs-fhir/reasonable-adjustments on Spine, through mutual TLS', () => {
  it('reads the record: flags, consent and the impairments list, every call with its interaction', async () => {
    const flags = await ra.readFlags({ nhsNumber: NHS_NUMBER, ...OLD_EXAMPLES });
    expect(flags.entry?.length).toBe(7);
    const consent = await ra.readConsent({ nhsNumber: NHS_NUMBER, ...OLD_EXAMPLES });
    expect(consent.entry?.length).toBeGreaterThan(0);
    const list = await ra.readList({ nhsNumber: NHS_NUMBER, status: false, code: false });
    expect(list.entry?.map((entry) => entry.resource?.id)).toEqual([LIST_ID]);
    const none = await ra.readFlags({ nhsNumber: '9000000017' });
    expect(responseOf(none)?.noData?.reason).toBe('empty-searchset');
  });

  it('is refused without a client certificate', async () => {
    const bare = createRaSpineClient({ baseUrl: sandbox.url, retry: false });
    await expect(bare.readFlags({ nhsNumber: NHS_NUMBER, ...OLD_EXAMPLES })).rejects.toBeInstanceOf(NetworkError);
  });

  it('updates with If-Match from the last ETag; a stale version is a VersionConflictError', async () => {
    const list = await ra.getList({ id: LIST_ID });
    const etag = responseOf(list)?.etag;
    expect(etag).toMatch(/^W\/"/);
    const { meta: _, ...withoutMeta } = list;
    const updated = await ra.updateList({ id: LIST_ID, body: withoutMeta as typeof list });
    expect(updated.meta?.versionId).not.toBe(list.meta?.versionId);
    const stale = ra.updateList({ id: LIST_ID, body: withoutMeta as typeof list, 'If-Match': etag! });
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('a body that fails its profile is refused by the sandbox with 422 naming the element', async () => {
    const flags = await ra.readFlags({ nhsNumber: NHS_NUMBER, ...OLD_EXAMPLES });
    const flag = flags.entry![0]!.resource!;
    const { id: _, meta: __, ...fresh } = flag;
    const refused = ra.createFlag({ body: fresh as typeof flag });
    await expect(refused).rejects.toBeInstanceOf(UnprocessableEntityError);
    const error = (await refused.catch((e: unknown) => e)) as UnprocessableEntityError;
    expect(error.outcome?.issue.some((issue) => issue.expression?.some((e) => e.startsWith('Flag.')))).toBe(true);
  });

  it('a soft delete needs a removal reason and a comment, before anything is sent', () => {
    const flag = { resourceType: 'Flag', status: 'active' };
    // @ts-expect-error: the supporting comment is required
    expect(() => softDeleted(flag, { removalReason: 'Error' })).toThrow(
      /supportingComment: a removal needs a supporting comment/,
    );
    // @ts-expect-error: not a removal reason of RARecord-RemovalReason-1
    expect(() => softDeleted(flag, { removalReason: 'Bored', supportingComment: 'x' })).toThrow(/removalReason/);
    expect(
      softDeleted(flag, { removalReason: 'Error', supportingComment: 'entered on the wrong record' }),
    ).toMatchObject({
      status: 'inactive',
      extension: [{ url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-RARecord-RemovalReason-1' }],
    });
  });

  it('$removerarecord from typed arguments removes the record', async () => {
    const parameters = removeRecordParameters({
      nhsNumber: NHS_NUMBER,
      removalReason: 'PatientDissent',
      supportingComment: 'The patient asked for the record to be removed',
    });
    const answer = await ra.removeRecord({ body: parameters });
    expect(answer).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'information' }] });
    const flags = await ra.readFlags({ nhsNumber: NHS_NUMBER, ...OLD_EXAMPLES });
    expect(flags.entry ?? []).toEqual([]);
  });

  it("the guide's use-case request examples go through the client and the sandbox", async () => {
    // Documentation examples, in no package: read from the mirror the spec sync reads (never copied).
    const dir = join(defaultSpecPaths().mirror!, 'examples/reasonable-adjustments-stu3-spine/design/usecaseexamples');
    const read = (name: string): never =>
      JSON.parse(readFileSync(join(dir, name), 'utf8'), (key, value) =>
        key === 'fhir_comments' ? undefined : value,
      ) as never;
    const sends: Array<[string, (body: never) => Promise<unknown>]> = [
      ['CreateExample-CreateConsentRequest.json', (body) => ra.createConsent({ body })],
      ['AddExample-CreateFlagRequest.json', (body) => ra.createFlag({ body })],
      ['UpdateExample-CreateFlagRequest.json', (body) => ra.createFlag({ body })],
      ['CreateExample-CreateListRequest.json', (body) => ra.createList({ body })],
    ];
    const outcomes: string[] = [];
    for (const [name, send] of sends) {
      const result = await send(read(name)).then(
        (created) => `${name}: created ${(created as { resourceType: string }).resourceType}`,
        (error: unknown) => {
          // A refusal must be the sandbox's 422 naming the element, never anything untyped.
          expect(error).toBeInstanceOf(UnprocessableEntityError);
          const where = (error as UnprocessableEntityError).outcome?.issue[0]?.expression?.[0];
          expect(where).toMatch(/^(Consent|Flag|List)\./);
          return `${name}: 422 at ${where}`;
        },
      );
      outcomes.push(result);
    }
    expect(outcomes).toHaveLength(4);
    // The guide's own $removerarecord Parameters leave out the required supportingComment [RA-EXAMPLES].
    const parameters = read('RemoveRARecord-ParameterResource.json');
    await expect(ra.removeRecord({ body: parameters })).rejects.toMatchObject({ status: 400 });
  });

  it('refuses to be built without Spine-direct auth for a remote host', () => {
    expect(() => createRaSpineClient({ environment: 'prod' })).toThrow(ClientConfigError);
  });
});
