import { describe, expect, it } from 'vitest';
import { bundleOpenApi } from '../src/openapi/bundle.js';
import { readOpenApi } from '../src/openapi/read-openapi.js';
import { FILES, fixtureSet, OVERLAY } from './fixtures.js';

describe('bundleOpenApi', () => {
  it("makes one document: other files' schemas in components, the rest inlined, recursion finite", async () => {
    const bundled = bundleOpenApi(await fixtureSet());
    const text = JSON.stringify(bundled);
    // No reference leaves the document.
    expect([...text.matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]).every((ref) => ref!.startsWith('#/'))).toBe(true);
    const schemas = (bundled['components'] as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas).sort()).toEqual(['Patient', 'operationOutcome']);
    expect(schemas['Patient']).toEqual({
      type: 'object',
      properties: {
        resourceType: { type: 'string', default: 'Patient' },
        id: { type: 'string' },
        link: { type: 'array', items: { $ref: '#/components/schemas/Patient' } },
      },
    });
    const paths = bundled['paths'] as Record<string, Record<string, { operationId?: string; responses: object }>>;
    expect(paths['/Patient/{id}']!['get']!.operationId).toBe('get-patient');
    // An example held in another file is inlined as data.
    expect(text).toContain('"value":{"resourceType":"Bundle","type":"searchset","entry"');
  });
});

describe('readOpenApi', () => {
  it('builds the operations model: names, parameters, managed headers, bodies, responses, search', async () => {
    const model = readOpenApi(await fixtureSet(), OVERLAY);
    expect(model.operations.map((op) => [op.name, op.method, op.path, op.search, op.idempotent])).toEqual([
      ['getPatient', 'GET', '/Patient/{id}', false, true],
      ['updatePatient', 'PUT', '/Patient/{id}', false, true],
      ['searchPatient', 'GET', '/Patient', true, true],
    ]);
    const [get, update, search] = model.operations;
    expect(get!.params).toEqual([
      { name: 'id', in: 'path', required: true, value: { kind: 'string' } },
      { name: 'NHSD-Session-URID', in: 'header', required: false, value: { kind: 'string' }, pattern: '^[0-9]+$' },
    ]);
    expect(get!.managedHeaders).toEqual(['X-Request-ID']);
    expect(get!.responses.map((r) => [r.status, r.resources])).toEqual([
      ['200', [{ resourceType: 'Patient' }]],
      ['4XX', [{ resourceType: 'OperationOutcome' }]],
    ]);
    expect(update!.ifMatch).toBe('required');
    expect(update!.params.find((p) => p.name === 'If-Match')?.required).toBe(false);
    expect(update!.body).toEqual({
      required: true,
      contentType: 'application/fhir+json',
      sourceContentType: 'application/fhir+json',
      resource: { resourceType: 'Patient' },
    });
    expect(search!.params.map((p) => [p.name, p.required, p.value])).toEqual([
      ['family', true, { kind: 'string' }],
      ['given', false, { kind: 'array', items: { kind: 'string' } }],
      ['_count', false, { kind: 'integer', minimum: 1, maximum: 50 }],
      ['gender', false, { kind: 'string', enum: ['male', 'female'] }],
    ]);
    // Two examples, one empty: one Bundle shape with the entry types of both.
    expect(search!.responses[0]!.resources).toEqual([{ resourceType: 'Bundle', entries: ['Patient'] }]);
  });

  it('applies the overlay and records each override with its reason and source', async () => {
    const model = readOpenApi(await fixtureSet(), OVERLAY);
    expect(model.operations[1]!.prefer).toBe('return=representation');
    expect(model.overrides).toEqual([
      {
        operation: 'updatePatient',
        field: 'prefer',
        from: undefined,
        to: 'return=representation',
        why: 'the API wants the body back',
        source: '[FIXTURE]',
      },
    ]);
  });

  it.each([
    {
      title: 'an overlay entry for an operation the description does not have',
      overlay: { ...OVERLAY, operations: { 'delete-patient': [] } },
      files: FILES,
      error: /specs\/apis\/fixture\.json.*\$\.operations\.delete-patient.*no operation delete-patient/,
    },
    {
      title: 'an operation without an operationId',
      overlay: OVERLAY,
      files: { ...FILES, 'spec/paths/patient-get.yaml': 'summary: no id\nresponses: {}\n' },
      error: /spec\/paths\/patient-get\.yaml.*operation has no operationId/,
    },
  ])('refuses $title, naming the file and the place', async ({ overlay, files, error }) => {
    const set = await fixtureSet(files);
    expect(() => readOpenApi(set, overlay)).toThrow(error);
  });
});
