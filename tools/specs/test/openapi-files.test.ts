import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SpecError } from '../src/errors.js';
import { collectOpenApiFiles, listOperations } from '../src/openapi-files.js';
import { syncSpecs } from '../src/sync.js';
import type { OpenApiInput } from '../src/manifest.js';
import { FixtureServer, FixtureWorkspace } from '../src/testing/index.js';

const api: OpenApiInput = {
  id: 'fixture-api',
  version: 'abc123',
  mirrorPath: 'openapi/fixture-api',
  root: 'spec/api.yaml',
  upstream: { base: 'http://127.0.0.1:1/unused/' },
  remoteRefs: { 'https://example.org/shared/error.yaml': 'external/error.yaml' },
};

const files = {
  'openapi/fixture-api/spec/api.yaml': [
    'openapi: 3.0.0',
    'info: { title: Fixture API, version: "{VERSION}" }',
    'paths:',
    '  /Patient:',
    "    $ref: 'paths/patient.yaml'",
    '  /Patient/{id}:',
    '    get:',
    '      operationId: read-patient',
    '      responses:',
    "        '400': { $ref: 'https://example.org/shared/error.yaml' }",
    'components:',
    '  schemas:',
    '    Patient: { type: object }',
  ].join('\n'),
  'openapi/fixture-api/spec/paths/patient.yaml': [
    'get:',
    '  operationId: search-patient',
    '  responses:',
    "    '200':",
    "      content: { application/fhir+json: { schema: { $ref: '../api.yaml#/components/schemas/Patient' } } }",
    'post:',
    '  operationId: create-patient',
    '  responses: {}',
  ].join('\n'),
  'openapi/fixture-api/external/error.yaml':
    "description: error\ncontent: { application/json: { schema: { $ref: 'code.yaml' } } }\n",
  'openapi/fixture-api/external/code.yaml': 'type: string\n',
  'openapi/fixture-api/spec/unused.yaml': 'not: referenced\n',
};

let workspace: FixtureWorkspace;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
  await workspace.mirrorFiles(files);
});
afterEach(async () => workspace.remove());

const mirrorReader = (root: string) => (relativePath: string) =>
  readFile(join(root, 'mirror', 'openapi', 'fixture-api', relativePath)).catch(() => undefined);

/** Where every bad `$ref` below sits: the input, the file and the JSON path. */
const AT = 'openapi:fixture-api#abc123: spec/paths/patient.yaml: $.get.$ref';

describe('collectOpenApiFiles', () => {
  test('follows split files and pinned remote references, and lists operations', async () => {
    const set = await collectOpenApiFiles(api, mirrorReader(workspace.root));
    expect([...set.bytes.keys()].sort()).toEqual([
      'external/code.yaml',
      'external/error.yaml',
      'spec/api.yaml',
      'spec/paths/patient.yaml',
    ]);
    expect(listOperations(set)).toEqual([
      { method: 'GET', path: '/Patient', operationId: 'search-patient' },
      { method: 'POST', path: '/Patient', operationId: 'create-patient' },
      { method: 'GET', path: '/Patient/{id}', operationId: 'read-patient' },
    ]);
  });

  const broken: Array<[string, { file: string; content: string; want: string }]> = [
    [
      'a file that does not exist',
      {
        file: 'openapi/fixture-api/spec/paths/patient.yaml',
        content: "get: { $ref: 'missing.yaml' }",
        want: `${AT}: $ref 'missing.yaml' resolves to no file (spec/paths/missing.yaml)`,
      },
    ],
    [
      'a pointer to nothing',
      {
        file: 'openapi/fixture-api/spec/paths/patient.yaml',
        content: "get: { $ref: '../api.yaml#/components/schemas/Nope' }",
        want: `${AT}: $ref 'spec/api.yaml#/components/schemas/Nope' points at nothing`,
      },
    ],
    [
      'a remote reference with no pinned copy',
      {
        file: 'openapi/fixture-api/spec/paths/patient.yaml',
        content: "get: { $ref: 'https://example.org/other.yaml' }",
        want:
          `${AT}: remote $ref 'https://example.org/other.yaml' has no pinned copy ` +
          '(add it to remoteRefs in specs.json)',
      },
    ],
    [
      'malformed YAML',
      {
        file: 'openapi/fixture-api/spec/paths/patient.yaml',
        content: 'get:\n  a: [1, 2\n',
        want: 'openapi:fixture-api#abc123: spec/paths/patient.yaml: malformed YAML at line',
      },
    ],
  ];
  test.each(broken)('%s is one clear error', async (_title, { file, content, want }) => {
    await workspace.mirrorFiles({ [file]: content });
    const error = await collectOpenApiFiles(api, mirrorReader(workspace.root)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message.startsWith(want)).toBe(true);
  });
});

describe('syncSpecs for OpenAPI', () => {
  test('copies only the reachable files into the cache and pins them', async () => {
    await workspace.writeManifest({ fhirPackages: [], openapi: [api] });
    const [synced] = (await syncSpecs({ paths: workspace.paths })).inputs;
    expect(synced).toMatchObject({
      input: 'openapi:fixture-api#abc123',
      kind: 'openapi',
      status: 'pinned',
      files: 4,
      source: 'mirror',
    });
    const cached = await readFile(
      join(workspace.paths.cache, 'openapi', 'fixture-api#abc123', 'external', 'error.yaml'),
      'utf8',
    );
    expect(cached).toContain('description: error');
  });

  test('reads the publisher files upstream when the mirror lacks them', async () => {
    const routes: Record<string, string> = {};
    for (const [path, content] of Object.entries(files))
      routes[path.replace('openapi/fixture-api/', '/pub/')] = content;
    routes['/shared/error.yaml'] = files['openapi/fixture-api/external/error.yaml'];
    routes['/shared/code.yaml'] = files['openapi/fixture-api/external/code.yaml'];
    const server = await FixtureServer.start(routes);
    try {
      const upstreamOnly = {
        ...api,
        mirrorPath: 'openapi/absent',
        upstream: { base: `${server.origin}/pub/` },
        remoteRefs: { [`${server.origin}/shared/error.yaml`]: 'external/error.yaml' },
      };
      await workspace.mirrorFiles({
        'openapi/fixture-api/spec/api.yaml': files['openapi/fixture-api/spec/api.yaml'].replace(
          'https://example.org/shared/error.yaml',
          `${server.origin}/shared/error.yaml`,
        ),
      });
      routes['/pub/spec/api.yaml'] = files['openapi/fixture-api/spec/api.yaml'].replace(
        'https://example.org/shared/error.yaml',
        `${server.origin}/shared/error.yaml`,
      );
      await workspace.writeManifest({ fhirPackages: [], openapi: [upstreamOnly] });
      const [synced] = (await syncSpecs({ paths: workspace.paths })).inputs;
      expect(synced).toMatchObject({ status: 'pinned', source: `${server.origin}/pub/`, files: 4 });
      expect(server.requests.sort()).toEqual(
        ['/pub/spec/api.yaml', '/pub/spec/paths/patient.yaml', '/shared/code.yaml', '/shared/error.yaml'].sort(),
      );
    } finally {
      await server.stop();
    }
  });
});
