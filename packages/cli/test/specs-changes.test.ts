import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from '@nhs-fhir/specs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, runInProcess as cli } from './run-cli.js';

const bin = (args: string[]) => runBin(args);

const pkg = (version: string, fhirVersion: string, files: Record<string, unknown>) => ({
  'package/package.json': { name: 'fixture.api', version, fhirVersions: [fhirVersion], dependencies: {} },
  ...Object.fromEntries(Object.entries(files).map(([name, json]) => [`package/${name}`, json])),
});
const capabilityStatement = (searchParams: string[], interactions: string[]) => ({
  resourceType: 'CapabilityStatement',
  id: 'server',
  url: 'https://example.org/CapabilityStatement/server',
  status: 'draft',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [
    {
      mode: 'server',
      resource: [
        {
          type: 'Patient',
          interaction: interactions.map((code) => ({ code })),
          searchParam: searchParams.map((name) => ({ name, type: 'token' })),
        },
      ],
    },
  ],
});
const openApi = (parameters: unknown[], paths: string[]) => ({
  openapi: '3.0.0',
  info: { title: 'fixture', version: '1' },
  paths: Object.fromEntries(
    paths.map((path) => [path, { get: { parameters, responses: { '200': { description: 'ok' } } } }]),
  ),
});

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nhs-fhir-cli-specs-'));
  await writeTree(root, {
    ...Object.fromEntries(
      Object.entries(
        pkg('1.0.0', '4.0.1', { 'cs.json': capabilityStatement(['identifier'], ['read', 'search-type', 'delete']) }),
      ).map(([name, json]) => [`old/${name}`, json]),
    ),
    ...Object.fromEntries(
      Object.entries(
        pkg('1.1.0', '4.0.1', {
          'cs.json': capabilityStatement(['identifier', 'family'], ['read', 'search-type', 'update']),
        }),
      ).map(([name, json]) => [`new/${name}`, json]),
    ),
    ...Object.fromEntries(Object.entries(pkg('2.0.0', '3.0.1', {})).map(([name, json]) => [`stu3/${name}`, json])),
    'empty/readme.txt': 'not a package',
    'api-old/openapi.json': openApi(
      [{ name: 'X-Request-ID', in: 'header', required: false }],
      ['/Patient/{id}', '/Patient'],
    ),
    'api-new/openapi.json': openApi(
      [
        { name: 'X-Request-ID', in: 'header', required: true },
        { name: 'NHSD-Session-URID', in: 'header', required: false },
        { name: '_summary', in: 'query', required: true },
      ],
      ['/Patient/{id}', '/Patient/{id}/_history'],
    ),
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('nhs-fhir specs changes', () => {
  it("compares two packages' CapabilityStatements: interactions and search parameters", async () => {
    const { code, stdout, stderr } = await cli([
      'specs',
      'changes',
      '--old',
      join(root, 'old'),
      '--new',
      join(root, 'new'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/BREAKING operation-removed +delete Patient: operation removed\n/);
    expect(stdout).toMatch(/ok +operation-added +update Patient: operation added\n/);
    expect(stdout).toMatch(/ok +parameter-added +search-type Patient: optional search parameter family added\n/);
    expect(stdout.trimEnd().split('\n').pop()).toBe('3 changes, 1 breaking; suggested bump: major (on 0.x: minor)');
  });

  it('--json prints the same report as plain data', async () => {
    const { code, stdout } = await cli([
      'specs',
      'changes',
      '--old',
      join(root, 'old'),
      '--new',
      join(root, 'new'),
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { bump: string; changes: { kind: string; breaking: boolean }[] };
    expect(report.bump).toBe('major');
    expect(report.changes.map((change) => [change.kind, change.breaking])).toEqual([
      ['operation-removed', true],
      ['parameter-added', false],
      ['operation-added', false],
    ]);
  });

  it('compares two OpenAPI descriptions: operations, parameters and headers', async () => {
    const { code, stdout } = await cli([
      'specs',
      'changes',
      '--old',
      join(root, 'api-old'),
      '--new',
      join(root, 'api-new'),
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      changes: { kind: string; element: string; breaking: boolean; detail: string }[];
    };
    expect(report.changes.map(({ kind, element, breaking, detail }) => ({ kind, element, breaking, detail }))).toEqual([
      { kind: 'operation-removed', element: 'GET /Patient', breaking: true, detail: 'operation removed' },
      {
        kind: 'header-required',
        element: 'GET /Patient/{id}',
        breaking: true,
        detail: 'header X-Request-ID now required',
      },
      {
        kind: 'header-added',
        element: 'GET /Patient/{id}',
        breaking: false,
        detail: 'optional header NHSD-Session-URID added',
      },
      {
        kind: 'parameter-added',
        element: 'GET /Patient/{id}',
        breaking: true,
        detail: 'required query parameter _summary added',
      },
      { kind: 'operation-added', element: 'GET /Patient/{id}/_history', breaking: false, detail: 'operation added' },
    ]);
  });

  it('a folder that is not a FHIR package: exit 2, one line naming it', async () => {
    const empty = join(root, 'empty');
    const { code, stdout, stderr } = await bin(['specs', 'changes', '--old', empty, '--new', join(root, 'new')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `nhs-fhir specs changes: ${empty}: not a FHIR package (no package/package.json), ` +
        'a package cache or an OpenAPI description\n',
    );
  });

  it('two FHIR releases: exit 2, one line naming the directory', async () => {
    const { code, stderr } = await cli(['specs', 'changes', '--old', join(root, 'old'), '--new', join(root, 'stu3')]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `nhs-fhir specs changes: ${join(root, 'stu3')}: FHIR 3.0.1, but ${join(root, 'old')} is FHIR 4.0.1; ` +
        'compare packages of one FHIR release\n',
    );
  });

  it.each([
    [['specs', 'changes', '--new', 'x'], 'missing --old'],
    [['specs', 'changes', '--old', 'x'], 'missing --new'],
    [['specs', 'changes', '--old', 'x', '--old', 'y', '--new', 'z'], '--old is given more than once'],
    [['specs', 'changes', '--old', 'x', '--new', 'y', 'extra'], 'unexpected argument "extra"'],
    [['specs', 'changes', '--old', 'x', '--new', 'y', '--json=yes'], '--json takes no value'],
    [['specs', 'diff'], 'unknown command "specs diff"; see nhs-fhir --help'],
  ])('%j: usage error, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^nhs-fhir[a-z ]*: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
  });

  it('--help prints the usage', async () => {
    const { code, stdout } = await cli(['specs', 'changes', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: nhs-fhir specs changes --old <dir> --new <dir> \[--json\]/);
  });
});
