import { CanonicalIndex, type LoadedPackage, type PackageGraph } from '@nhs-fhir/fhir-codegen';
import { describe, expect, it } from 'vitest';
import { readCapabilityStatement, simplePaths } from '../src/capability/read-capability.js';
import type { ApiOverlay } from '../src/model/overlay.js';
import { generateClient } from '../src/pipeline/generate-client.js';
import { OVERLAY } from './fixtures.js';

const STATEMENT = {
  resourceType: 'CapabilityStatement',
  url: 'https://example.org/CapabilityStatement/fixture',
  rest: [
    {
      mode: 'server',
      resource: [
        {
          type: 'Flag',
          profile: 'https://example.org/StructureDefinition/FixtureFlag',
          versioning: 'versioned-update',
          interaction: [
            { code: 'read' },
            { code: 'search-type' },
            { code: 'create' },
            { code: 'update' },
            { code: 'vread' },
          ],
          searchParam: [
            { name: 'patient', type: 'token', definition: 'https://example.org/SearchParameter/flag-patient' },
            { name: 'code', type: 'token' },
          ],
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-parameter-combination',
              extension: [{ url: 'required', valueString: 'patient' }],
            },
          ],
        },
      ],
      interaction: [{ code: 'transaction' }],
      operation: [{ name: 'purge', definition: 'https://example.org/OperationDefinition/purge' }],
    },
  ],
};
const SEARCH_PATIENT = {
  resourceType: 'SearchParameter',
  url: 'https://example.org/SearchParameter/flag-patient',
  code: 'patient',
  base: ['Flag'],
  type: 'reference',
  expression: 'Flag.subject.where(resolve() is Patient) | Encounter.subject',
};
const SEARCH_CODE = {
  resourceType: 'SearchParameter',
  url: 'https://example.org/SP/code',
  code: 'code',
  base: ['Flag'],
  type: 'token',
  expression: 'Flag.code',
};
const PURGE = {
  resourceType: 'OperationDefinition',
  url: 'https://example.org/OperationDefinition/purge',
  name: 'Purge',
  system: true,
};

function graph(): PackageGraph {
  const pkg: LoadedPackage = {
    id: 'fixture.pkg',
    version: '1.0.0',
    key: 'fixture.pkg#1.0.0',
    fhirVersion: '4.0.1',
    resources: [STATEMENT, SEARCH_PATIENT, SEARCH_CODE, PURGE].map((json) => ({
      resourceType: json.resourceType,
      url: json.url,
      version: undefined,
      id: undefined,
      file: `package/${json.resourceType}.json`,
      packageKey: 'fixture.pkg#1.0.0',
      kind: undefined,
      derivation: undefined,
      json: json as Record<string, unknown>,
    })),
    examples: [],
    dependencies: [],
  };
  return { root: pkg, closure: [pkg], index: new CanonicalIndex([pkg]), omitted: [] };
}

const SOURCE = { package: 'fixture.pkg#1.0.0', url: STATEMENT.url };
const overlay: ApiOverlay = {
  ...OVERLAY,
  source: { capabilityStatement: SOURCE },
  requiredHeaders: ['InteractionID'],
  operations: {
    'Flag.update': [{ field: 'omit', value: true, why: 'updates are not allowed', source: '[FIXTURE]' }],
    'Flag.search-type': [
      { field: 'name', value: 'getFlags', why: 'the guide calls it that', source: '[FIXTURE]' },
      { field: 'path', value: '/PatientFlag', why: 'the guide uses another endpoint', source: '[FIXTURE]' },
    ],
  },
  additions: [
    {
      operation: {
        name: 'readThreshold',
        sourceId: 'readThreshold',
        summary: 'not in the statement',
        method: 'GET',
        path: '/Threshold',
        params: [],
        managedHeaders: [],
        requiredHeaders: [],
        responses: [],
        search: true,
        idempotent: true,
      },
      why: 'a pragmatic endpoint',
      source: '[FIXTURE]',
    },
  ],
};

describe('readCapabilityStatement', () => {
  it('makes one operation per declared interaction, then the overlay corrects, omits and adds', () => {
    const model = readCapabilityStatement(graph(), SOURCE, overlay);
    expect(model.operations.map((op) => [op.name, op.method, op.path])).toEqual([
      ['readFlag', 'GET', '/Flag/{id}'],
      ['getFlags', 'GET', '/PatientFlag'],
      ['createFlag', 'POST', '/Flag'],
      ['transaction', 'POST', '/'],
      ['purge', 'POST', '/$purge'],
      ['readThreshold', 'GET', '/Threshold'],
    ]);
    const search = model.operations[1]!;
    expect(search.params).toEqual([
      {
        name: 'patient',
        in: 'query',
        required: true,
        value: { kind: 'string' },
        search: { type: 'token', expressions: ['Flag.subject'] },
      },
      {
        name: 'code',
        in: 'query',
        required: false,
        value: { kind: 'string' },
        search: { type: 'token', expressions: ['Flag.code'] },
      },
    ]);
    expect(search.responses[0]!.resources).toEqual([{ resourceType: 'Bundle', entries: ['Flag'] }]);
    expect(model.operations[2]!.body?.resource).toEqual({
      resourceType: 'Flag',
      profile: 'https://example.org/StructureDefinition/FixtureFlag',
    });
    expect(model.operations.every((op) => op.requiredHeaders.includes('InteractionID'))).toBe(true);
  });

  it('says what the client does with every interaction the statement declares', () => {
    const model = readCapabilityStatement(graph(), SOURCE, overlay);
    expect(model.coverage?.map((c) => [c.interaction, c.outcome, c.operation ?? c.why])).toEqual([
      ['Flag.read', 'generated', 'readFlag'],
      ['Flag.search-type', 'overridden', 'getFlags'],
      ['Flag.create', 'generated', 'createFlag'],
      ['Flag.update', 'omitted', 'updates are not allowed'],
      ['transaction', 'generated', 'transaction'],
      ['$purge', 'generated', 'purge'],
    ]);
    expect(model.overrides.map((o) => [o.operation, o.field])).toContainEqual(['readThreshold', 'added']);
  });

  it('refuses a correction for an interaction the statement does not declare, naming the overlay and the key', () => {
    const wrong = { ...overlay, operations: { 'Flag.delete': [] } };
    expect(() => readCapabilityStatement(graph(), SOURCE, wrong)).toThrow(
      /specs\/apis\/fixture\.json.*\$\.operations\.Flag\.delete.*declares no interaction Flag\.delete/,
    );
  });

  it.each([
    ['CareTeam.subject.where(resolve() is Patient) | AuditEvent.agent.who', 'CareTeam', ['CareTeam.subject']],
    ['(Observation.value as Quantity) | Observation.code', 'Observation', ['Observation.value', 'Observation.code']],
  ])('simplePaths(%j, %s)', (expression, type, want) => {
    expect(simplePaths(expression, type)).toEqual(want);
  });
});

describe('the real statements: every declared interaction, and what each client does with it', () => {
  it.each([
    [
      'cp-is',
      [
        ['CareTeam.read', 'overridden', 'searchCareTeam', '[CPIS-INT] [CPIS-HDR] [CPIS-EX-CT]'],
        ['AuditEvent.read', 'overridden', 'searchAuditEvent', '[CPIS-INT] [CPIS-EX-AE]'],
      ],
    ],
    [
      'patient-flags',
      [
        ['Flag.create', 'overridden', 'addFlag', '[PF-V2-ADDSUP]'],
        ['Flag.read', 'generated', 'readFlag', undefined],
        ['Flag.update', 'omitted', undefined, '[PF-OAS]'],
        ['Flag.delete', 'overridden', 'deletePatientFlag', '[PF-V2-DEL]'],
        ['Flag.search-type', 'overridden', 'getPatientFlags', '[PF-V2-GET] [PF-TECH] [PF-CS] [PF-CPIS]'],
        ['Condition.create', 'overridden', 'addCondition', '[PF-V2-ADDSUP]'],
        ['Condition.update', 'omitted', undefined, '[PF-OAS]'],
        ['Condition.delete', 'overridden', 'deleteSupportingResource', '[PF-V2-DELSUP]'],
        ['transaction', 'overridden', 'createPatientFlag', '[PF-V2-ADDTX]'],
      ],
    ],
  ])('%s', async (api, want) => {
    const { model } = await generateClient({ api, dryRun: true });
    expect(model.coverage?.map((c) => [c.interaction, c.outcome, c.operation, c.source])).toEqual(want);
  });

  it.each([
    ['cp-is', 'CareTeam.read', ['patient'], 'searchCareTeam', ['patient:identifier', 'IsUnscheduledAccessEvent']],
    ['patient-flags', 'Flag.search-type', ['patient', 'code'], 'getPatientFlags', ['patient', 'code']],
    [
      'reasonable-adjustments',
      'List.search-type',
      ['patient', 'status', 'code'],
      'readList',
      ['patient', 'status', 'code'],
    ],
  ])('%s: the search parameters %s declares, and what the client sends', async (api, key, declared, name, sent) => {
    const { model } = await generateClient({ api, dryRun: true });
    expect(model.coverage?.find((c) => c.interaction === key)?.searchParams).toEqual(declared);
    expect(model.operations.find((op) => op.name === name)?.params.map((param) => param.name)).toEqual(sent);
  });

  it('reasonable-adjustments: Conditions and NDOP omitted; UnderlyingConditions, ThresholdCode added', async () => {
    const { model } = await generateClient({ api: 'reasonable-adjustments', dryRun: true });
    const omitted = model.coverage?.filter((c) => c.outcome === 'omitted').map((c) => [c.interaction, c.source]);
    expect(omitted).toEqual([
      ['Condition.create', '[RA-READ]'],
      ['Condition.read', '[RA-READ]'],
      ['Condition.update', '[RA-READ]'],
      ['Condition.search-type', '[RA-READ]'],
      ['Consent(NDOP-Consent-1).create', '[SC-CAP]'],
      ['Consent(NDOP-Consent-1).update', '[SC-CAP]'],
    ]);
    expect(model.overrides.filter((o) => o.field === 'added').map((o) => o.to)).toEqual([
      'GET /UnderlyingConditions',
      'POST /UnderlyingConditions',
      'PUT /UnderlyingConditions/{id}',
      'GET /ThresholdCode',
    ]);
    const interactions = Object.fromEntries(model.operations.map((op) => [op.name, op.interaction?.id]));
    expect(interactions['readFlags']).toBe('urn:nhs:names:services:raflags:Flag.read:1');
    expect(interactions['updateConsent']).toBe('urn:nhs:names:services:raflags:Consent.write:1');
    expect(interactions['removeRecord']).toBe('urn:nhs:names:services:raflags:removerarecord.write:1');
    expect(model.operations.find((op) => op.name === 'updateFlag')?.ifMatch).toBe('required');
  });
});
