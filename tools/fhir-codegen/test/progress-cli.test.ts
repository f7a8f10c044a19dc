import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { FixtureWorkspace } from '@nhs-fhir/specs/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type ProgressEvent, progressQuiet, progressReporter } from '../src/pipeline/progress.js';
import { baseTypes, el, thing } from './model-fixtures.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

const resources = [...baseTypes, thing([el('Thing.name', 0, '1', ['string'])])];
let workspace: FixtureWorkspace;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
  await workspace.mirrorPackage({
    id: 'fixture.core',
    version: '4.0.1',
    files: Object.fromEntries(
      resources.map((json) => [`${String(json['resourceType'])}-${String(json['id'])}.json`, json]),
    ),
  });
  await workspace.writeManifest({
    fhirPackages: [{ id: 'fixture.core', version: '4.0.1', mirrorPath: 'fhir/fixture.core#4.0.1', upstream: [] }],
    openapi: [],
  });
});
afterEach(async () => workspace.remove());

/** Runs `emit` on the fixture package with stderr a pipe (not a terminal), and `CI` as given (unset when undefined). */
async function emit(args: string[], ci: string | undefined): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPECS_MIRROR: workspace.paths.mirror,
    FHIR_PACKAGE_CACHE: workspace.paths.cache,
  };
  delete env['CI'];
  if (ci !== undefined) env['CI'] = ci;
  return promisify(execFile)(process.execPath, [CLI, 'emit', 'fixture.core#4.0.1', '--out', 'out/generated', ...args], {
    cwd: workspace.root,
    env,
  });
}

describe('nhs-fhir-codegen emit: progress on stderr', () => {
  test('one line per stage, in order, with what it did, when stderr is not a terminal', async () => {
    const { stdout, stderr } = await emit([], undefined);
    expect(stderr.split('\n')).toEqual([
      `fixture.core#4.0.1: load: 1 package(s) loaded, ${resources.length} resources`,
      // 3 resources, 4 datatypes and 7 primitives, as emit's summary counts them (emit-cli.test.ts)
      'fixture.core#4.0.1: model: 14 types modelled',
      'fixture.core#4.0.1: emit: 14 types emitted into 9 files',
      'fixture.core#4.0.1: write: 9 files written to out/generated',
      '',
    ]);
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('\x1b');
    expect(stdout).toMatch(/^emit fixture\.core#4\.0\.1: /);
  });

  test.each([
    ['--quiet', ['--quiet'], undefined],
    ['-q', ['-q'], undefined],
    ['CI=true', [], 'true'],
    ['CI=1', [], '1'],
  ])('%s: no progress, the summary still on stdout', async (_title, args, ci) => {
    const { stdout, stderr } = await emit(args, ci);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^emit fixture\.core#4\.0\.1: .* -> 9 files in out\/generated /);
  });
});

describe('progressReporter', () => {
  const events: ProgressEvent[] = [
    { stage: 'snapshot', phase: 'start', message: 'building snapshots', total: 2 },
    { stage: 'snapshot', phase: 'step', message: 'building snapshots', done: 1, total: 2 },
    { stage: 'snapshot', phase: 'end', message: '2 snapshots built' },
  ];
  const report = (isTTY: boolean, quiet = false): string => {
    let written = '';
    const onProgress = progressReporter({ label: 'pkg', quiet, stream: { isTTY, write: (text) => (written += text) } });
    events.forEach(onProgress);
    return written;
  };

  test.each([
    ['not a terminal: only the finished stage', false, 'pkg: snapshot: 2 snapshots built\n'],
    [
      'a terminal: the running stage rewritten in place, then the finished line',
      true,
      '\r\x1b[Kpkg: snapshot: building snapshots\r\x1b[Kpkg: snapshot: building snapshots 1/2' +
        '\r\x1b[Kpkg: snapshot: 2 snapshots built\n',
    ],
  ])('%s', (_title, isTTY, want) => {
    expect(report(isTTY)).toBe(want);
  });

  test('quiet: nothing, even on a terminal', () => {
    expect(report(true, true)).toBe('');
  });

  test.each([
    [undefined, {}, false],
    [true, {}, true],
    [undefined, { CI: 'true' }, true],
    [undefined, { CI: '1' }, true],
    [undefined, { CI: 'false' }, false],
    [undefined, { CI: '' }, false],
  ])('progressQuiet(%j, %j) is %j', (flag, env, want) => {
    expect(progressQuiet(flag, env)).toBe(want);
  });
});
