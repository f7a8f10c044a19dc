import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');
const run = (args: string[]): Promise<{ stdout: string }> =>
  promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('nhs-fhir-codegen emit-profiles', () => {
  test('without its arguments: usage, exit 2', async () => {
    await expect(
      run(['emit-profiles', 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05', '--out', 'x']),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('emit-profiles <id#version>') });
  });

  test('writes the RARecord package with validator tables, byte for byte the same twice, and says what it wrote', async () => {
    const outputs: Map<string, string>[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), 'emit-profiles-'));
      dirs.push(dir);
      const out = join(dir, 'generated');
      const { stdout } = await run([
        'emit-profiles',
        'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05',
        '--base',
        '@nhs-fhir/stu3',
        '--out',
        out,
        '--frozen',
        '--validation',
      ]);
      expect(stdout).toMatch(
        /^emit-profiles nhsconnect.stu3.rarecord#0.0.0-develop.4543c05: 12 profiles, 4 supporting extension types, 0 without a type -> 22 files in /m,
      );
      const names = (await readdir(out)).sort();
      outputs.push(
        new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(out, name), 'utf8')] as const))),
      );
    }
    expect([...outputs[0]!.keys()]).toContain('validation-tables.ts');
    expect([...outputs[1]!]).toEqual([...outputs[0]!]);
  }, 120_000);
});
