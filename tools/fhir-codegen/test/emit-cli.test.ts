import { execFile } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FixtureWorkspace, type FixturePackage } from '@nhs-fhir/specs/testing';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { baseTypes, el, thing, type Json } from './model-fixtures.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

const fixturePackage = (resources: Json[]): FixturePackage => ({
  id: 'fixture.core',
  version: '4.0.1',
  files: Object.fromEntries(
    [...baseTypes, ...resources].map((json) => [`${String(json['resourceType'])}-${String(json['id'])}.json`, json]),
  ),
});

let workspace: FixtureWorkspace;
beforeEach(async () => {
  workspace = await FixtureWorkspace.create();
});
afterEach(async () => workspace.remove());

let runs = 0;
/**
 * Mirrors the package and runs the CLI; each run gets a fresh package cache and lock, since the fixture changes under
 * the same version.
 */
async function emit(resources: Json[]): Promise<{ code: number; stdout: string; stderr: string }> {
  await workspace.mirrorPackage(fixturePackage(resources));
  await rm(workspace.paths.lock, { force: true });
  runs++;
  await workspace.writeManifest({
    fhirPackages: [{ id: 'fixture.core', version: '4.0.1', mirrorPath: 'fhir/fixture.core#4.0.1', upstream: [] }],
    openapi: [],
  });
  const env = {
    ...process.env,
    SPECS_MIRROR: workspace.paths.mirror,
    FHIR_PACKAGE_CACHE: `${workspace.paths.cache}-${runs}`,
    CI: 'true', // no progress lines: stderr holds only the error (progress-cli.test.ts tests them)
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [CLI, 'emit', 'fixture.core#4.0.1', '--out', 'out/generated'],
      { cwd: workspace.root, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('nhs-fhir-codegen emit', () => {
  test('writes one file per type into --out, relative to the workspace root', async () => {
    const result = await emit([thing([el('Thing.name', 0, '1', ['string'])])]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        String.raw`^emit fixture\.core#4\.0\.1: 3 resources, 4 datatypes, 7 primitives -> 9 files in out/generated ` +
          String.raw`\(load \d+ ms, model \d+ ms, emit \d+ ms, print \d+ ms, write \d+ ms, total \d+ ms\)\n$`,
      ),
    );
    expect((await readdir(join(workspace.root, 'out', 'generated'))).sort()).toEqual([
      'Coding.ts',
      'Element.ts',
      'Extension.ts',
      'Organization.ts',
      'Practitioner.ts',
      'Reference.ts',
      'Thing.ts',
      'index.ts',
      'resources.ts',
    ]);
  });

  test('bad input: one line naming the input, file and element, exit 1, the previous output untouched', async () => {
    expect((await emit([thing([el('Thing.name', 0, '1', ['string'])])])).code).toBe(0);
    const before = await readFile(join(workspace.root, 'out', 'generated', 'Thing.ts'), 'utf8');
    const result = await emit([thing([el('Thing.name', 0, '1', ['string']), el('Thing.size', 0, '1', ['Quantity'])])]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: fixture.core#4.0.1: package/StructureDefinition-Thing.json: element Thing.size: ' +
        'type Quantity is not defined in the package closure\n',
    );
    expect(await readFile(join(workspace.root, 'out', 'generated', 'Thing.ts'), 'utf8')).toBe(before);
    expect((await readdir(join(workspace.root, 'out'))).filter((name) => name !== 'generated')).toEqual([]);
  });
});
