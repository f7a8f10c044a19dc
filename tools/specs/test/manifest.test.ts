import { describe, expect, test } from 'vitest';
import { SpecError } from '../src/errors.js';
import { diffLocks, type SpecLock } from '../src/lock.js';
import { checkManifest } from '../src/manifest.js';

const pkg = (extra: Record<string, unknown> = {}) => ({
  id: 'a',
  version: '1.0.0',
  mirrorPath: 'fhir/a#1.0.0',
  upstream: [],
  ...extra,
});

describe('checkManifest', () => {
  const bad: Array<[string, { given: unknown; want: string }]> = [
    ['not an object', { given: [], want: 'specs.json: $: expected an object' }],
    ['no package list', { given: { openapi: [] }, want: 'specs.json: $.fhirPackages: expected an array' }],
    [
      'a package without version',
      {
        given: { fhirPackages: [pkg({ version: '' })], openapi: [] },
        want: 'specs.json: $.fhirPackages[0].version: expected a non-empty string',
      },
    ],
    [
      'an unknown upstream kind',
      {
        given: { fhirPackages: [pkg({ upstream: [{ kind: 'ftp' }] })], openapi: [] },
        want: 'specs.json: $.fhirPackages[0].upstream[0].kind: expected "fhir-registry" or "npm-bundles"',
      },
    ],
    [
      'an omit without a reason',
      {
        given: { fhirPackages: [pkg({ dependencies: { b: { omit: '' } } })], openapi: [] },
        want: 'specs.json: $.fhirPackages[0].dependencies.b: expected { "use": "id#version" } or { "omit": "reason" }',
      },
    ],
    [
      'a use of a package that is not pinned',
      {
        given: { fhirPackages: [pkg({ dependencies: { b: { use: 'b#2.0.0' } } })], openapi: [] },
        want: 'specs.json: $.fhirPackages[0].dependencies.b.use: b#2.0.0 is not a package pinned in this manifest',
      },
    ],
    [
      'the same input twice',
      { given: { fhirPackages: [pkg(), pkg()], openapi: [] }, want: 'specs.json: $: input a#1.0.0 is listed twice' },
    ],
    [
      'an OpenAPI input without root',
      {
        given: {
          fhirPackages: [],
          openapi: [{ id: 'x', version: '1', mirrorPath: 'o', upstream: { base: 'http://x/' } }],
        },
        want: 'specs.json: $.openapi[0].root: expected a non-empty string',
      },
    ],
  ];
  test.each(bad)('%s', (_title, { given, want }) => {
    let thrown: unknown;
    try {
      checkManifest(given, 'specs.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    expect(thrown).toMatchObject({ code: 'MANIFEST_INVALID', message: want, file: 'specs.json' });
  });

  test('a good manifest keeps its decisions', () => {
    const manifest = checkManifest(
      { fhirPackages: [pkg({ dependencies: { b: { omit: 'not needed' } } })], openapi: [] },
      'specs.json',
    );
    expect(manifest.fhirPackages[0]?.dependencies).toEqual({ b: { omit: 'not needed' } });
  });
});

describe('diffLocks', () => {
  const entry = (hash: string, source = 'mirror') => ({ kind: 'fhir-package' as const, source, hash, files: 1 });
  test('lists added, removed and changed inputs', () => {
    const before: SpecLock = {
      lockVersion: 1,
      inputs: { 'a#1': entry('sha256-1'), 'b#1': entry('sha256-2'), 'c#1': entry('sha256-3') },
    };
    const after: SpecLock = {
      lockVersion: 1,
      inputs: {
        'a#1': entry('sha256-1'),
        'b#1': entry('sha256-2', 'https://packages.example/b/1'),
        'd#1': entry('sha256-4'),
      },
    };
    expect(diffLocks(before, after).map((change) => [change.input, change.change])).toEqual([
      ['b#1', 'changed'],
      ['c#1', 'removed'],
      ['d#1', 'added'],
    ]);
  });
});
