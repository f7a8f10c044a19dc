import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultSpecPaths, fhirPackageCacheDir } from '@nhs-fhir/specs';
import type {
  EnglandConditionFlag,
  EnglandFlagPatientFlag,
  EnglandFlagPatientFlagAdjustment,
} from '@nhs-fhir/nhs-england';
import { type RunningSandbox, startSandbox } from '@nhs-fhir/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPatientFlagsClient,
  InvalidArgumentError,
  type PatientFlagsClient,
  patientFlagTransaction,
  responseOf,
} from '../src/index.js';
import { UnprocessableEntityError } from '@nhs-fhir/client';
import { sandboxApi } from '../src/sandbox.js';

const NHS_NUMBER = '9912003888'; // the IG's example patient
const example = <T>(id: string): T => {
  const found = sandboxApi.seed.find((resource) => (resource as { id?: string }).id === id);
  if (found === undefined) throw new Error(`no seed example ${id}`);
  return structuredClone(found) as T;
};
/** An IG example as a new resource: no id, so the transaction POSTs it. */
const fresh = <T extends { id?: string }>(resource: T): T => {
  const { id: _, ...rest } = resource;
  return rest as T;
};

let sandbox: RunningSandbox;
let flags: PatientFlagsClient;

beforeAll(async () => {
  sandbox = await startSandbox(sandboxApi);
  flags = createPatientFlagsClient({ baseUrl: sandbox.url });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('@nhs-fhir/patient-flags against its sandbox (seeded with the IG examples)', () => {
  it("getPatientFlags finds the example patient's flags by NHS number, and one flag type by its code", async () => {
    const all = await flags.getPatientFlags({ nhsNumber: NHS_NUMBER });
    const codes = (all.entry ?? []).map(
      (entry) => entry.resource?.resourceType === 'Flag' && entry.resource.code?.coding?.[0]?.code,
    );
    expect(codes).toEqual(
      expect.arrayContaining(['national-reasonable-adjustment-flag', 'child-protection-information-system-flag']),
    );
    const ra = await flags.getPatientFlags({ nhsNumber: NHS_NUMBER, code: 'national-reasonable-adjustment-flag' });
    expect(ra.entry?.map((entry) => entry.resource?.id)).toEqual(['RA-PatientFlag-Example']);
    const none = await flags.getPatientFlags({ nhsNumber: '9000000017' });
    expect(none.entry ?? []).toEqual([]);
    expect(responseOf(none)?.noData?.reason).toBe('empty-searchset');
  });

  it('creates a flag with its supporting resources in one transaction built from the IG examples', async () => {
    // The FGM example carries no Provenance: the builder makes one from the author.
    const flag = fresh(example<EnglandFlagPatientFlag>('FGM-ActiveFlag-Example'));
    const author = {
      role: { system: 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1', code: 'R0260' },
      who: 'https://sds.spineservices.nhs.uk/Practitioner/2ee4tr6a9',
      recorded: '2024-07-22T09:00:00+00:00',
    };
    expect(() => patientFlagTransaction(flag)).toThrow(/flag: Flag has no contained Provenance; give an author/);
    const transaction = patientFlagTransaction(flag, [], author);
    expect(transaction.entry?.map((entry) => entry.request?.method)).toEqual(['POST']);
    expect((transaction.entry?.[0]?.resource as { contained?: unknown[] } | undefined)?.contained?.[0]).toMatchObject({
      resourceType: 'Provenance',
      target: [{ reference: '#' }],
    });
    const response = await flags.createPatientFlag({ body: transaction });
    expect(response).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
  });

  it('the builder refuses a resource without Provenance, or failing its profile, before sending', () => {
    const flag = fresh(example<EnglandFlagPatientFlag>('RA-PatientFlag-Example'));
    expect(() => patientFlagTransaction({ ...flag, contained: [] } as never)).toThrow(
      /flag: Flag has no contained Provenance/,
    );
    const adjustment = fresh(example<EnglandFlagPatientFlagAdjustment>('RA-Flag-Example'));
    const broken = { ...adjustment, status: undefined } as unknown as EnglandFlagPatientFlagAdjustment;
    expect(() => patientFlagTransaction(flag, [broken])).toThrow(InvalidArgumentError);
    expect(() => patientFlagTransaction(flag, [broken])).toThrow(
      /supporting\[0\]: Flag fails its profile.*Flag\.status/,
    );
  });

  it('adds a supporting resource by its type; the sandbox refuses one that fails its profile with 422', async () => {
    const condition = fresh(example<EnglandConditionFlag>('RA-Condition2-Example'));
    const added = await flags.addSupportingResource({ body: condition });
    expect(added).toBeDefined();
    const invalid = { ...condition, subject: undefined } as unknown as EnglandConditionFlag;
    const refused = flags.addSupportingResource({ body: invalid });
    await expect(refused).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(flags.addSupportingResource({ body: { resourceType: 'Patient' } as never })).rejects.toThrow(
      /addSupportingResource: body: expected a Flag or a Condition, got Patient/,
    );
  });

  it('with validate on, the client refuses a body that fails its profile before sending it', async () => {
    // Nothing listens on port 9 of 127.0.0.1: a body that were sent would end in a NetworkError instead.
    const strict = createPatientFlagsClient({ baseUrl: 'http://127.0.0.1:9', validate: 'error', retry: false });
    const condition = fresh(example<EnglandConditionFlag>('RA-Condition2-Example'));
    const invalid = { ...condition, subject: undefined } as unknown as EnglandConditionFlag;
    const refused = strict.addSupportingResource({ body: invalid });
    await expect(refused).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(refused).rejects.toThrow(/addCondition: body: fails its profile: .*Condition\.subject/);
  });

  it('deletes require a reason: a type error and a runtime error before sending', async () => {
    // @ts-expect-error: reason is required
    await expect(flags.deletePatientFlag({ nhsNumber: NHS_NUMBER })).rejects.toThrow(
      /deletePatientFlag: reason: required/,
    );
    // @ts-expect-error: reason is required
    await expect(flags.deleteSupportingResource({ type: 'Condition', id: 'RA-Condition-Example' })).rejects.toThrow(
      /reason: required/,
    );
    const outcome = await flags.deleteSupportingResource({
      type: 'Condition',
      id: 'RA-Condition-Example',
      reason: 'recorded in error',
    });
    expect(outcome).toMatchObject({ resourceType: 'OperationOutcome' });
    const deleted = await flags.deletePatientFlag({
      nhsNumber: NHS_NUMBER,
      code: 'female-genital-mutilation-flag',
      reason: 'no longer applies',
    });
    expect(deleted).toMatchObject({ resourceType: 'OperationOutcome' });
    const after = await flags.getPatientFlags({ nhsNumber: NHS_NUMBER, code: 'female-genital-mutilation-flag' });
    expect(after.entry ?? []).toEqual([]);
  });
});

describe("the IG's transaction examples, sent as they are", () => {
  // Read from the package cache the spec sync fills (`npm run generate`), never copied into the repository.
  const examples = ['AddRARecordTransaction', 'AddFGMRecordTransaction'].map((name) => {
    const dir = fhirPackageCacheDir(defaultSpecPaths().cache, 'uk.nhsengland.r4', '0.0.1');
    const file = join(dir, 'package', 'example', `Bundle-${name}-Bundle-Example.json`);
    return [name, JSON.parse(readFileSync(file, 'utf8'))] as const;
  });

  it.each(examples)('%s goes through createPatientFlag and the sandbox', async (_, bundle) => {
    const response = await flags.createPatientFlag({ body: bundle });
    expect(response).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    const entries = (response as { entry?: Array<{ response?: { status?: string } }> }).entry ?? [];
    expect(entries).toHaveLength(bundle.entry.length);
  });
});
