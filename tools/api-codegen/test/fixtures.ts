// A small hand-written OpenAPI description split over files, with a recursive schema and a remote
// reference pinned to a local copy: the shapes the real PDS and RA descriptions use.
import { collectOpenApiFiles, type OpenApiFileSet } from '@nhs-fhir/specs';
import type { ApiOverlay } from '../src/model/overlay.js';

export const REMOTE = 'https://example.org/shared/operationOutcome.yaml';

export const FILES: Record<string, string> = {
  'spec/root.yaml': `
openapi: 3.0.0
info: { title: Fixture API, version: '1' }
paths:
  /Patient/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/RequestID'
    get:
      $ref: paths/patient-get.yaml
    put:
      operationId: update-patient
      parameters:
        - { in: header, name: If-Match, required: true, schema: { type: string, pattern: '^W/"[0-9]+"$' } }
      requestBody:
        required: true
        content:
          application/fhir+json:
            schema: { $ref: schemas/Patient.yaml }
      responses:
        '200':
          content:
            application/fhir+json:
              schema: { $ref: schemas/Patient.yaml }
  /Patient:
    get:
      operationId: search_patient
      parameters:
        - { in: query, name: family, required: true, schema: { type: string } }
        - { in: query, name: given, schema: { type: array, items: { type: string } } }
        - { in: query, name: _count, schema: { type: integer, minimum: 1, maximum: 50 } }
        - { in: query, name: gender, schema: { type: string, enum: [male, female] } }
      responses:
        '200':
          content:
            application/json:
              examples:
                none: { value: { resourceType: Bundle, type: searchset, total: 0 } }
                one: { value: { $ref: examples/search-one.json } }
        4XX:
          content:
            application/fhir+json:
              schema: { $ref: '${REMOTE}' }
components:
  parameters:
    Id: { in: path, name: id, required: true, schema: { type: string } }
    RequestID: { in: header, name: X-Request-ID, required: true, schema: { type: string } }
`,
  'spec/paths/patient-get.yaml': `
operationId: get-patient
summary: Get a patient
parameters:
  - { in: header, name: NHSD-Session-URID, schema: { type: string, pattern: '^[0-9]+$' } }
responses:
  '200':
    content:
      application/fhir+json:
        schema: { $ref: ../schemas/Patient.yaml }
  '4XX':
    content:
      application/fhir+json:
        schema: { $ref: '${REMOTE}' }
`,
  'spec/schemas/Patient.yaml': `
type: object
properties:
  resourceType: { type: string, default: Patient }
  id: { type: string }
  link:
    type: array
    items: { $ref: Patient.yaml }
`,
  'spec/examples/search-one.json': JSON.stringify({
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [{ resource: { resourceType: 'Patient', id: '9000000009' } }],
  }),
  'external/operationOutcome.yaml': `
type: object
properties:
  resourceType: { type: string, enum: [OperationOutcome] }
  issue: { type: array, items: { type: object } }
`,
};

export async function fixtureSet(files: Record<string, string> = FILES): Promise<OpenApiFileSet> {
  return collectOpenApiFiles(
    {
      id: 'fixture-api',
      version: '1',
      mirrorPath: 'x',
      root: 'spec/root.yaml',
      remoteRefs: { [REMOTE]: 'external/operationOutcome.yaml' },
      upstream: { base: 'https://example.org/' },
    } as never,
    async (path) => (files[path] === undefined ? undefined : Buffer.from(files[path]!)),
  );
}

export const OVERLAY: ApiOverlay = {
  api: 'fixture',
  title: 'Fixture API',
  fhirVersion: 'R4',
  source: { openapi: 'fixture-api' },
  environments: { sandbox: 'https://sandbox.example.org/fixture/FHIR/R4' },
  environmentsSource: '[FIXTURE]',
  client: {
    out: 'packages/fixture/src/generated',
    factory: 'createFixtureClient',
    interface: 'FixtureClient',
    models: '@nhs-fhir/r4',
    validator: '@nhs-fhir/uk-core',
  },
  managedHeaders: ['X-Request-ID', 'Authorization'],
  operations: {
    'update-patient': [
      { field: 'prefer', value: 'return=representation', why: 'the API wants the body back', source: '[FIXTURE]' },
    ],
  },
};
