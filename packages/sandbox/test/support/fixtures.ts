// A small hand-written model in the shape `tools/api-codegen` emits (a Patient Flags-like API), and its seed.
import type { SandboxModel, SandboxOperation, SandboxParameter } from '../../src/index.js';

const q = (name: string, required: boolean, type?: string, ...expressions: string[]): SandboxParameter => ({
  name,
  in: 'query',
  required,
  ...(type ? { search: { type, expressions } } : {}),
});
const id = (name = 'id'): SandboxParameter => ({ name, in: 'path', required: true });
const ok = (status: string, resourceType: string, entries?: string[]) => ({
  status,
  resources: [{ resourceType, ...(entries ? { entries } : {}) }],
});
const errors = { status: '4XX', resources: [{ resourceType: 'OperationOutcome' }] };

const op = (
  fields: Partial<SandboxOperation> & Pick<SandboxOperation, 'name' | 'method' | 'path'>,
): SandboxOperation => ({
  params: [],
  responses: [],
  search: false,
  ...fields,
});

export const flagsModel: SandboxModel = {
  api: 'flags',
  title: 'Flags (test fixture)',
  fhirVersion: 'R4',
  missingHeader: { status: 400, code: 'PRECONDITION_FAILED' },
  operations: [
    op({
      name: 'searchFlag',
      method: 'GET',
      path: '/Flag',
      search: true,
      requiredHeaders: ['X-Request-ID'],
      params: [
        q('patient', true, 'reference', 'Flag.subject'),
        q('code', false, 'token', 'Flag.code'),
        q('status', false, 'token', 'Flag.status'),
        q('category', false, 'token', 'Flag.category'),
        q('date', false, 'date', 'Flag.period'),
        q('_summary', false),
      ],
      responses: [ok('200', 'Bundle', ['Flag']), errors],
    }),
    op({ name: 'readFlag', method: 'GET', path: '/Flag/{id}', params: [id()], responses: [ok('200', 'Flag'), errors] }),
    op({
      name: 'createFlag',
      method: 'POST',
      path: '/Flag',
      body: { required: true, resource: { resourceType: 'Flag' } },
      responses: [ok('201', 'Flag'), errors],
    }),
    op({
      name: 'updateFlag',
      method: 'PUT',
      path: '/Flag/{flagID}',
      ifMatch: 'required',
      params: [id('flagID'), { name: 'If-Match', in: 'header', required: false }],
      body: { required: true, resource: { resourceType: 'Flag' } },
      responses: [ok('200', 'Flag'), errors],
    }),
    op({
      name: 'deleteFlag',
      method: 'DELETE',
      path: '/Flag/{id}',
      params: [id()],
      responses: [ok('200', 'OperationOutcome'), errors],
    }),
    op({
      name: 'deletePatientFlag',
      method: 'DELETE',
      path: '/PatientFlag',
      params: [
        q('patient', true, 'reference', 'Flag.subject'),
        q('code', true, 'token', 'Flag.code'),
        q('reason', true),
      ],
      responses: [ok('200', 'OperationOutcome'), errors],
    }),
    op({
      name: 'createPatientFlag',
      method: 'POST',
      path: '/PatientFlag',
      body: { required: true, resource: { resourceType: 'Bundle' } },
      responses: [ok('200', 'Bundle'), errors],
    }),
    op({
      name: 'transaction',
      method: 'POST',
      path: '/',
      body: { required: true, resource: { resourceType: 'Bundle' } },
      responses: [ok('200', 'Bundle'), errors],
    }),
    op({
      name: 'readResource',
      method: 'GET',
      path: '/{type}/{id}',
      params: [id('type'), id()],
      responses: [{ status: '200', resources: [] }, errors],
    }),
    op({
      name: 'searchPatient',
      method: 'GET',
      path: '/Patient',
      search: true,
      params: [
        q('family', false, 'string', 'Patient.name.family'),
        q('name', false, 'string', 'Patient.name'),
        q('address-postalcode', false, 'string', 'Patient.address.postalCode'),
        q('birthdate', false, 'date', 'Patient.birthDate'),
        q('identifier', false, 'token', 'Patient.identifier'),
        q('gender', false, 'token', 'Patient.gender'),
        q('general-practitioner', false, 'reference', 'Patient.generalPractitioner'),
      ],
      responses: [ok('200', 'Bundle', ['Patient']), errors],
    }),
    op({
      name: 'searchCareTeam',
      method: 'GET',
      path: '/CareTeam',
      search: true,
      params: [q('subject', true, 'reference', 'CareTeam.subject'), q('category', false, 'token', 'CareTeam.category')],
      responses: [ok('200', 'Bundle', ['CareTeam']), errors],
    }),
    op({
      name: 'removeRecord',
      method: 'POST',
      path: '/$removerarecord',
      ifMatch: 'required',
      params: [{ name: 'If-Match', in: 'header', required: false }],
      body: { required: true, resource: { resourceType: 'Parameters' } },
      responses: [ok('200', 'OperationOutcome'), errors],
    }),
  ],
};

export const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number';
export const SCT = 'http://snomed.info/sct';

export const patient = {
  resourceType: 'Patient',
  id: '9000000009',
  identifier: [{ system: NHS_NUMBER, value: '9000000009' }],
  name: [{ use: 'usual', family: 'Smith', given: ['Jane', 'Anne'], prefix: ['Mrs'] }],
  gender: 'female',
  birthDate: '2010-10-22',
  address: [{ line: ['1 Trevelyan Square', 'Boar Lane'], city: 'Leeds', postalCode: 'LS1 6AE' }],
  generalPractitioner: [
    { type: 'Organization', identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y12345' } },
  ],
};

export const flag = (id: string, nhsNumber: string, code: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Flag',
  id,
  status: 'active',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical' }] }],
  code: { coding: [{ system: SCT, code }] },
  subject: { reference: `Patient/${nhsNumber}`, identifier: { system: NHS_NUMBER, value: nhsNumber } },
  ...extra,
});

/** The seed: a Patient, three Flags (one inside a collection Bundle), a CareTeam by identifier only. */
export const flagsSeed: readonly object[] = [
  patient,
  flag('flag-1', '9000000009', '1104441000000107', { period: { start: '2024-03-01' } }),
  flag('flag-2', '9000000009', '1104451000000105', { meta: { versionId: '7' }, status: 'inactive' }),
  {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      {
        resource: flag('flag-3', '9000000017', '1104441000000107', {
          period: { start: '2025-01-15', end: '2025-01-15' },
        }),
      },
    ],
  },
  {
    resourceType: 'CareTeam',
    subject: { identifier: { system: NHS_NUMBER, value: '9000000009' } },
    category: [{ coding: [{ system: SCT, code: 'LA' }] }],
  },
];

/** A validator like a generated one: a Flag needs a code, and its status must be a known one. */
export function validateFlag(resource: unknown) {
  const r = resource as { resourceType?: string; code?: unknown; status?: unknown };
  const issue: Array<{ severity: string; code: string; diagnostics?: string; expression?: string[] }> = [];
  if (r.resourceType === 'Flag' && r.code === undefined)
    issue.push({
      severity: 'error',
      code: 'required',
      diagnostics: 'Flag.code: minimum required = 1',
      expression: ['Flag.code'],
    });
  if (r.resourceType === 'Flag' && !['active', 'inactive', 'entered-in-error'].includes(String(r.status)))
    issue.push({
      severity: 'error',
      code: 'code-invalid',
      diagnostics: 'Flag.status: not in the value set',
      expression: ['Flag.status'],
    });
  if (issue.length === 0) issue.push({ severity: 'information', code: 'informational', diagnostics: 'ok' });
  return { resourceType: 'OperationOutcome' as const, issue };
}
