#!/usr/bin/env node
// `npm run release -- [specifier] [--dry-run] [--skip-checks]`: one lockstep release of every package under packages/
// through Nx Release (nx.json `release`): version, changelog, commit, tag `v{version}`, publish.
// It refuses to start on a dirty git tree or when the checks (`npm test`) fail. `--skip-checks` is accepted only with
// `--dry-run`. A dry run writes nothing, commits and tags nothing, and makes no registry call (npm runs offline).
// NHS_FHIR_RELEASE_CHECKS replaces the check command (a shell command line); the tests use it to inject a failure.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = 'usage: npm run release -- [major|minor|patch|<version>] [--dry-run] [--skip-checks]';
const SPECIFIER = /^(major|minor|patch|premajor|preminor|prepatch|prerelease|\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?)$/;

/** Prints one line naming what is wrong and exits non-zero, before anything is changed. */
function refuse(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function parseArguments(argv) {
  const options = { dryRun: false, skipChecks: false, specifier: undefined };
  for (const argument of argv) {
    if (argument === '--dry-run' || argument === '-d') options.dryRun = true;
    else if (argument === '--skip-checks') options.skipChecks = true;
    else if (argument.startsWith('-')) refuse(`unknown option ${argument}; ${USAGE}`);
    else if (options.specifier !== undefined) refuse(`a second specifier ${argument}; ${USAGE}`);
    else if (!SPECIFIER.test(argument)) refuse(`specifier ${argument} is not a semver bump or version; ${USAGE}`);
    else options.specifier = argument;
  }
  if (options.skipChecks && !options.dryRun) refuse('--skip-checks is allowed only with --dry-run');
  return options;
}

function git(root, args) {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) refuse(`git ${args.join(' ')} failed in ${root}: ${result.stderr.trim().split('\n')[0]}`);
  return result.stdout;
}

/** Modified, staged and untracked (not ignored) files, as `git status --porcelain` lists them. */
function treeState(root) {
  return git(root, ['status', '--porcelain', '--untracked-files=all']);
}

function requireCleanTree(root) {
  const lines = treeState(root).split('\n').filter(Boolean);
  if (lines.length === 0) return;
  const first = lines[0].slice(3);
  refuse(`the git tree is not clean (${lines.length} modified or untracked file(s), first ${first}); commit or stash`);
}

function runChecks(root) {
  const command = process.env.NHS_FHIR_RELEASE_CHECKS || 'npm test';
  console.error(`release: running the checks: ${command}`);
  const result = spawnSync(command, { cwd: root, stdio: 'inherit', shell: true });
  if (result.status !== 0) {
    const how = result.status === null ? `was stopped by ${result.signal}` : `exited with ${result.status}`;
    refuse(`the checks failed (${command} ${how}); nothing was released`);
  }
}

/** The packages Nx Release publishes (nx.json `release.projects`: every folder under packages/). */
function publishedPackages(root) {
  const dir = join(root, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const file = join('packages', entry.name, 'package.json');
      try {
        return { file, manifest: JSON.parse(readFileSync(join(root, file), 'utf8')) };
      } catch (error) {
        return refuse(`${file}: cannot be read as JSON (${error.message})`);
      }
    });
}

/**
 * A published package must not be private, and must not need a workspace package that is not published with it:
 * npm would install a version of that package that does not exist. Returns those problems, one line each.
 */
function packageProblems(root, published) {
  const names = new Set(published.map(({ manifest }) => manifest.name));
  const workspace = new Set();
  for (const folder of ['tools', 'packages']) {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      try {
        workspace.add(JSON.parse(readFileSync(join(root, folder, entry.name, 'package.json'), 'utf8')).name);
      } catch {
        // a folder without a package.json is not a workspace package
      }
    }
  }
  const problems = [];
  for (const { file, manifest } of published) {
    if (manifest.private === true) problems.push(`${file}: ${manifest.name} is private but is under packages/`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const dependency of Object.keys(manifest[field] ?? {})) {
        if (workspace.has(dependency) && !names.has(dependency)) {
          problems.push(`${file}: ${field} names ${dependency}, a workspace package that is not published`);
        }
      }
    }
  }
  return problems;
}

const root = process.cwd();
const options = parseArguments(process.argv.slice(2));
requireCleanTree(root);
if (options.skipChecks) console.error('release: --skip-checks: the checks are not run (dry run)');
else runChecks(root);

const published = publishedPackages(root);
const problems = packageProblems(root, published);
if (problems.length > 0 && !options.dryRun) refuse(`${problems[0]} (${problems.length} problem(s) in all)`);
for (const problem of problems) console.error(`release: warning: ${problem}; a release would be refused`);

/** What a dry run must leave as it was: the files, HEAD and the tags. */
const snapshot = () => [treeState(root), git(root, ['rev-parse', 'HEAD']), git(root, ['tag', '--list'])].join('\n');
const before = options.dryRun ? snapshot() : undefined;
const dryRun = options.dryRun ? ['--dry-run'] : [];
const env = { ...process.env, NX_DAEMON: 'false' };
// npm publish --dry-run still asks the registry for the package's versions; offline, it does not.
if (options.dryRun) env.npm_config_offline = 'true';
function nx(args) {
  console.error(`release: npx nx ${args.join(' ')}`);
  const result = spawnSync('npx', ['nx', ...args], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) refuse(`nx ${args.slice(0, 2).join(' ')} exited with ${result.status ?? result.signal}`);
}

console.error(`release: ${published.length} packages in one release group`);
const headBefore = git(root, ['rev-parse', 'HEAD']);
// Version, changelog, commit and tag; then publish only the packages under packages/. Publishing through
// `nx release` itself would also publish the non-private workspace packages they depend on (tools/*).
nx(['release', ...(options.specifier ? [options.specifier] : []), '--skip-publish', ...dryRun]);
if (!options.dryRun && git(root, ['rev-parse', 'HEAD']) === headBefore) {
  console.error('release: no new version (no release commit was made); nothing to publish');
  process.exit(0);
}
const projects = published.map(({ manifest }) => manifest.name).join(',');
nx(['release', 'publish', `--projects=${projects}`, ...dryRun]);

if (before !== undefined) {
  if (snapshot() !== before) refuse('the dry run changed the git tree, HEAD or the tags');
  console.error('release: dry run done; the git tree, HEAD and tags are as they were');
}
