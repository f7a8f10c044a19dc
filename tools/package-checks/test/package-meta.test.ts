import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceRoot } from '../src/published.js';

const script = join(workspaceRoot, 'scripts', 'package-meta.mjs');

async function packageMeta(root: string, ...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, '--root', root, ...args]);
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

describe('scripts/package-meta.mjs', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it('finds the workspace complete: every published package, the LICENSE copies, private tools', async () => {
    const result = await packageMeta(workspaceRoot);
    expect(result.output).toContain('every published package is complete');
    expect(result.code).toBe(0);
  });

  it('names each wrong field, and --fix writes what can be derived', async () => {
    root = await mkdtemp(join(tmpdir(), 'nhs-fhir-package-meta-'));
    const engines = { node: '>=20.19.0' };
    await writeJson(join(root, 'package.json'), {
      name: 'root',
      private: true,
      license: 'Apache-2.0',
      repository: { type: 'git', url: 'git+https://example.org/owner/repo.git' },
      engines,
    });
    await writeFile(join(root, 'LICENSE'), 'the licence text\n');
    await mkdir(join(root, 'packages', 'demo'), { recursive: true });
    await mkdir(join(root, 'tools', 'gen'), { recursive: true });
    await writeJson(join(root, 'tools', 'gen', 'package.json'), { name: '@x/gen', version: '0.1.0' });
    await writeJson(join(root, 'packages', 'demo', 'package.json'), {
      name: '@x/demo',
      version: '0.1.0',
      license: 'Apache-2.0',
      type: 'module',
      engines,
      exports: { '.': { import: './dist/index.js', types: './dist/index.d.ts' }, './package.json': './package.json' },
      files: ['dist'],
      sideEffects: false,
      dependencies: { '@x/gen': '0.1.0' },
    });
    await writeFile(join(root, 'packages', 'demo', 'README.md'), '# demo\n');

    const checked = await packageMeta(root);
    expect(checked.code).toBe(1);
    for (const expected of [
      'tools/gen/package.json: tools are never published; set "private": true',
      'packages/demo/package.json: dependencies names @x/gen, which is private (never published)',
      'packages/demo/package.json: repository is not {"type":"git","url":"git+https://example.org/owner/repo.git",' +
        '"directory":"packages/demo"}',
      'packages/demo/package.json: publishConfig is not { "access": "public" }',
      'packages/demo/package.json: files lacks !dist/**/*.tsbuildinfo, !dist/**/*.map',
      'packages/demo/package.json: exports["."]: "types" is not the first condition',
      'packages/demo/package.json: LICENSE is missing or differs from the root LICENSE',
    ]) {
      expect(checked.output).toContain(expected);
    }

    // the private dependency is a decision, not a derivation: --fix writes the rest and still fails on it
    const fixed = await packageMeta(root, '--fix');
    expect(fixed.code).toBe(1);
    expect(fixed.output).toContain('dependencies names @x/gen');
    const demo = JSON.parse(await readFile(join(root, 'packages', 'demo', 'package.json'), 'utf8'));
    expect(demo.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(demo.exports['.'])).toEqual(['types', 'default']);
    expect(demo.repository).toEqual({
      type: 'git',
      url: 'git+https://example.org/owner/repo.git',
      directory: 'packages/demo',
    });
    expect(demo.homepage).toBe('https://example.org/owner/repo/tree/main/packages/demo#readme');
    expect(demo.publishConfig).toEqual({ access: 'public' });
    expect(await readFile(join(root, 'packages', 'demo', 'LICENSE'), 'utf8')).toBe('the licence text\n');
    const gen = JSON.parse(await readFile(join(root, 'tools', 'gen', 'package.json'), 'utf8'));
    expect(gen.private).toBe(true);

    delete demo.dependencies;
    await writeJson(join(root, 'packages', 'demo', 'package.json'), demo);
    expect(await packageMeta(root)).toMatchObject({ code: 0 });
  });
});
