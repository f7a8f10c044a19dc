import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { FixtureWorkspace, fixtureResources } from '../src/testing/index.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

let workspace: FixtureWorkspace;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
});
afterEach(async () => workspace.remove());

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    SPECS_MIRROR: join(workspace.root, 'mirror'),
    FHIR_PACKAGE_CACHE: join(workspace.root, 'cache'),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd: workspace.root, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('sync prints what it served and exits 0; a bad package exits 1 with one line naming it', async () => {
  await workspace.mirrorPackage({
    id: 'fixture.core',
    version: '1.0.0',
    files: { 'CodeSystem-a.json': fixtureResources.codeSystem('a', 'https://example.org/a') },
  });
  await workspace.writeManifest({
    fhirPackages: [{ id: 'fixture.core', version: '1.0.0', mirrorPath: 'fhir/fixture.core#1.0.0', upstream: [] }],
    openapi: [],
  });
  const ok = await runCli(['sync']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/pinned\s+fixture\.core#1\.0\.0\s+2 files\s+mirror/);

  await workspace.mirrorPackage({
    id: 'fixture.core',
    version: '1.0.0',
    files: { 'CodeSystem-a.json': '{"resourceType": ' },
  });
  const failed = await runCli(['update']);
  expect(failed.code).toBe(1);
  expect(failed.stderr.trim().split('\n')).toEqual([
    'error: fixture.core#1.0.0: package/CodeSystem-a.json: ' +
      'malformed JSON at line 1 column 18: Unexpected end of JSON input',
  ]);
});
