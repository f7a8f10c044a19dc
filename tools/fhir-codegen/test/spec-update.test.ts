import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FixtureWorkspace } from '@nhs-fhir/specs/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { baseTypes, type Json } from './model-fixtures.js';
import { thingBase, thingDifferentialProfile } from './profile-fixtures.js';

// The README's "when NHS publishes a new version" path, end to end on hand-written packages:
// `npm run specs -- update <input>` (this entry point) re-pins and prints the spec-change report.
const run = promisify(execFile);
const specsCli = join(import.meta.dirname, '..', 'dist', 'changes', 'specs-cli.js');

let workspace: FixtureWorkspace;
beforeAll(async () => {
  workspace = await FixtureWorkspace.create();
});
afterAll(async () => workspace.remove());

async function specs(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    SPECS_MIRROR: join(workspace.root, 'mirror'),
    FHIR_PACKAGE_CACHE: join(workspace.root, 'cache'),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [specsCli, ...args], { cwd: workspace.root, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function publish(version: string, differential: Json[]): Promise<void> {
  await workspace.mirrorPackage({
    id: 'fixture.profiles',
    version,
    dependencies: { 'fixture.core': '4.0.1' },
    files: { 'StructureDefinition-ThingProfile.json': thingDifferentialProfile(differential) },
  });
}

async function pin(version: string): Promise<void> {
  const entry = (id: string, v: string) => ({ id, version: v, mirrorPath: `fhir/${id}#${v}`, upstream: [] });
  await workspace.writeManifest({
    fhirPackages: [entry('fixture.core', '4.0.1'), entry('fixture.profiles', version)],
    openapi: [],
  });
}

test('a new version pinned in specs.json: update re-pins it and prints what changed, with the bump', async () => {
  await workspace.mirrorPackage({
    id: 'fixture.core',
    version: '4.0.1',
    files: Object.fromEntries(
      [...baseTypes, thingBase].map((json) => [`StructureDefinition-${String(json['id'])}.json`, json]),
    ),
  });
  await publish('1.0.0', [{ id: 'Thing.note', path: 'Thing.note', max: '2' }]);
  await pin('1.0.0');
  const first = await specs(['sync']);
  expect(first.stderr).toBe('');
  expect(first.stdout).toMatch(/pinned\s+fixture\.profiles#1\.0\.0/);

  // NHS publishes 1.1.0: Thing.code becomes required, Thing.note may repeat freely.
  await publish('1.1.0', [{ id: 'Thing.code', path: 'Thing.code', min: 1 }]);
  await pin('1.1.0');
  const update = await specs(['update', 'fixture.profiles']);
  expect(update.stderr).toBe('');
  expect(update.code).toBe(0);
  expect(update.stdout).toMatch(/pinned\s+fixture\.profiles#1\.1\.0/);
  expect(update.stdout).toContain(
    'spec changes: fixture.profiles#1.1.0 (before) -> fixture.profiles#1.1.0 (re-pinned)',
  );
  expect(update.stdout).toContain('compared fixture.profiles: 1.0.0 -> 1.1.0');
  expect(update.stdout).toMatch(/BREAKING cardinality +Thing\.code: 0\.\.1 -> 1\.\.1 \(now required\)/);
  expect(update.stdout).toMatch(/ok +cardinality +Thing\.note: 0\.\.2 -> 0\.\.\*/);
  expect(update.stdout).toContain('2 changes, 1 breaking; suggested bump: major (on 0.x: minor)');

  // The lock now pins 1.1.0: a frozen sync (what CI runs) is green, and reports nothing.
  const frozen = await specs(['sync', '--frozen']);
  expect(frozen.code).toBe(0);
  expect(frozen.stdout).toMatch(/cached\s+fixture\.profiles#1\.1\.0/);
  expect(frozen.stdout).not.toContain('spec changes');
});

test('other bytes for the same version: update re-pins them and reports the change', async () => {
  await publish('1.1.0', [
    { id: 'Thing.code', path: 'Thing.code', min: 1 },
    { id: 'Thing.note', path: 'Thing.note', mustSupport: true },
  ]);
  const update = await specs(['update', 'fixture.profiles#1.1.0']);
  expect(update.stderr).toBe('');
  expect(update.stdout).toMatch(/re-pinned\s+fixture\.profiles#1\.1\.0/);
  expect(update.stdout).toMatch(/ok +must-support +Thing\.note: now must-support/);
  expect(update.stdout).toContain('1 change, 0 breaking; suggested bump: patch');
  // Nothing re-pinned, nothing reported.
  const again = await specs(['update', 'fixture.profiles']);
  expect(again.stdout).toMatch(/fetched\s+fixture\.profiles#1\.1\.0/);
  expect(again.stdout).not.toContain('spec changes');
});
