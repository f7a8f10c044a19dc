import { spawn, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const workspace = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const script = join(workspace, 'scripts/release.mjs');
const temporary: string[] = [];

// A copy of the workspace is thousands of files: removing it can take a while on a busy machine.
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 300_000);

const gitEnv = {
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.invalid',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...gitEnv } });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${result.stderr}`);
  return result.stdout;
}

/** A new git repository holding `files`, all committed under a conventional commit message. */
function repoWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-release-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--no-gpg-sign', '--message', 'feat(release): the repository under test');
  return dir;
}

/** A repository with this workspace's files as they are now (committed or not), and its installed node_modules. */
function workspaceCopy(): string {
  const listed = git(workspace, 'ls-files', '--cached', '--others', '--exclude-standard', '-z').split('\0');
  const dir = mkdtempSync(join(tmpdir(), 'nhs-fhir-release-'));
  temporary.push(dir);
  for (const file of listed.filter(Boolean)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      copyFileSync(join(workspace, file), join(dir, file));
    } catch {
      // listed by git but deleted in the working tree
    }
  }
  symlinkSync(join(workspace, 'node_modules'), join(dir, 'node_modules'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--no-gpg-sign', '--message', 'chore: the workspace as it is now');
  // Nx reads the commits after the first one: a feature in one package bumps the whole group.
  appendFileSync(join(dir, 'packages/validation/README.md'), '\nA line added by the release test.\n');
  git(dir, 'commit', '--quiet', '--no-gpg-sign', '--all', '--message', 'feat(validation): a change to release');
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the release script in `cwd` without blocking the event loop (a test server may have to answer). */
function release(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { ...process.env, ...gitEnv, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The one line the script prints when it refuses to start. */
function refusal(run: Run): string {
  const lines = run.stderr.split('\n').filter((line) => line.startsWith('release: ') && !line.includes('running'));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const minimal = { 'package.json': '{ "name": "fixture", "private": true }\n', '.gitignore': 'node_modules/\n' };
const passingChecks = `"${process.execPath}" -e "process.exit(0)"`;

describe('release script: refusals', () => {
  it('refuses a tree with an untracked file, naming it, before running the checks', async () => {
    const repo = repoWith(minimal);
    writeFileSync(join(repo, 'notes.txt'), 'not committed\n');
    const run = await release(repo, ['--dry-run'], { NHS_FHIR_RELEASE_CHECKS: passingChecks });
    expect(run.status).toBe(1);
    expect(refusal(run)).toMatch(/git tree is not clean \(1 modified or untracked file\(s\), first notes\.txt\)/);
    expect(run.stderr).not.toContain('running the checks');
  });

  it('refuses a tree with a modified tracked file', async () => {
    const repo = repoWith(minimal);
    writeFileSync(join(repo, 'package.json'), '{ "name": "fixture", "private": true, "version": "9.9.9" }\n');
    const run = await release(repo, ['--dry-run', '--skip-checks']);
    expect(run.status).toBe(1);
    expect(refusal(run)).toContain('first package.json');
  });

  it('refuses when the checks fail, naming the command and its exit code', async () => {
    const repo = repoWith(minimal);
    const failing = `"${process.execPath}" -e "process.exit(3)"`;
    const run = await release(repo, ['--dry-run'], { NHS_FHIR_RELEASE_CHECKS: failing });
    expect(run.status).toBe(1);
    expect(refusal(run)).toBe(`release: the checks failed (${failing} exited with 3); nothing was released`);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it.each([
    [['--skip-checks'], '--skip-checks is allowed only with --dry-run'],
    [['--dry-run', '--force'], 'unknown option --force'],
    [['--dry-run', 'huge'], 'specifier huge is not a semver bump or version'],
    [['--dry-run', 'patch', 'minor'], 'a second specifier minor'],
  ])('refuses the arguments %j', async (args, message) => {
    const repo = repoWith(minimal);
    const run = await release(repo, args, { NHS_FHIR_RELEASE_CHECKS: passingChecks });
    expect(run.status).toBe(1);
    expect(refusal(run)).toContain(message);
  });
});

describe('release script: dry run of this workspace', () => {
  it('plans one version for each package in packages/, none for tools/, asks no registry, writes nothing', async () => {
    const registryRequests: string[] = [];
    const registry = createServer((request, response) => {
      registryRequests.push(`${request.method} ${request.url}`);
      response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((listening) => registry.listen(0, '127.0.0.1', listening));
    try {
      const repo = workspaceCopy();
      const headBefore = git(repo, 'rev-parse', 'HEAD');
      const { port } = registry.address() as AddressInfo;
      const run = await release(repo, ['--dry-run', '--skip-checks'], {
        npm_config_registry: `http://127.0.0.1:${port}/`,
      });
      const output = stripVTControlCharacters(`${run.stdout}\n${run.stderr}`);
      expect(run.status, output.slice(-4000)).toBe(0);

      const planned = new Map<string, string>();
      for (const match of output.matchAll(/New version (\S+) written to manifest: (\S+)\/package\.json/g)) {
        planned.set(match[2]!, match[1]!);
      }
      const packageDirs = readdirSync(join(workspace, 'packages')).map((name) => `packages/${name}`);
      expect([...planned.keys()].sort()).toEqual(packageDirs.sort());
      const versions = new Set(planned.values());
      expect(versions.size).toBe(1);
      const [version] = versions;
      const current = JSON.parse(readFileSync(join(workspace, 'packages/client/package.json'), 'utf8')).version;
      expect(version).not.toBe(current);

      const published = [...output.matchAll(/nx run (@nhs-fhir\/[\w-]+):nx-release-publish/g)].map((m) => m[1]!);
      const names = packageDirs.map(
        (dir) => JSON.parse(readFileSync(join(workspace, dir, 'package.json'), 'utf8')).name,
      );
      expect(published.sort()).toEqual(names.sort());
      expect(output).not.toMatch(/written to manifest: tools\//);
      expect(output).toContain(`## ${version} `);
      expect(output).toContain('a change to release');

      expect(registryRequests).toEqual([]);
      expect(git(repo, 'status', '--porcelain', '--untracked-files=all')).toBe('');
      expect(git(repo, 'rev-parse', 'HEAD')).toBe(headBefore);
      expect(git(repo, 'tag', '--list')).toBe('');
    } finally {
      await new Promise((closed) => registry.close(closed));
    }
  }, 1_500_000);
});
