#!/usr/bin/env node
// Checks the publishing metadata of every published package (packages/*) against one rule set, and with `--fix`
// writes what can be derived: repository, homepage, bugs, publishConfig, files, the order of export conditions,
// the LICENSE copy and source maps off in the library build. tools/* and the root must be private.
// Only metadata fields are touched; dependencies, scripts and Nx targets are left as they are.
// `node scripts/package-meta.mjs [--fix] [--root <dir>]`; exits 1 naming each package.json and field that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

/** Paths a tarball must never hold: build info and source maps (their sources are not published). */
const FILES_EXCLUDED = ['!dist/**/*.tsbuildinfo', '!dist/**/*.map'];

const args = process.argv.slice(2);
const fix = args.includes('--fix');
const rootIndex = args.indexOf('--root');
const root = resolve(rootIndex >= 0 ? (args[rootIndex + 1] ?? '.') : '.');

const problems = [];
const written = [];

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${relative(root, file)}: not readable as JSON (${error.message})`);
    return undefined;
  }
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  written.push(file);
}

function workspaceDirs(folder) {
  const dir = join(root, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
    .map((entry) => join(dir, entry.name))
    .sort();
}

/** `git+https://host/owner/repo.git` -> `https://host/owner/repo` */
function browsableUrl(gitUrl) {
  return gitUrl.replace(/^git\+/, '').replace(/\.git$/, '');
}

/** Inserts `entries` after the key `after` (or at the end), keeping every other key where it was. */
function withKeysAfter(object, after, entries) {
  const result = {};
  let placed = false;
  for (const [key, value] of Object.entries(object)) {
    if (key in entries) continue;
    result[key] = value;
    if (key === after) {
      Object.assign(result, entries);
      placed = true;
    }
  }
  if (!placed) Object.assign(result, entries);
  return result;
}

/** `types` first, `default` last, `import` (ESM only: the same file) folded into `default` so require(esm) works. */
function orderedConditions(conditions) {
  if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) return conditions;
  const keys = Object.keys(conditions);
  if (!keys.every((key) => !key.startsWith('.'))) {
    return Object.fromEntries(keys.map((key) => [key, orderedConditions(conditions[key])]));
  }
  const { types, import: importTarget, default: defaultTarget, ...others } = conditions;
  const result = {};
  if (types !== undefined) result.types = types;
  for (const [key, value] of Object.entries(others)) result[key] = orderedConditions(value);
  const target = defaultTarget ?? importTarget;
  if (importTarget !== undefined && defaultTarget !== undefined && importTarget !== defaultTarget) {
    result.import = importTarget;
  }
  if (target !== undefined) result.default = target;
  return result;
}

/** Every condition object in `exports` lists `types` first and `default` last; returns the subpaths that do not. */
export function misorderedExports(exports, path = 'exports') {
  if (typeof exports !== 'object' || exports === null) return [];
  const keys = Object.keys(exports);
  const wrong = [];
  const conditionKeys = keys.filter((key) => !key.startsWith('.'));
  if (conditionKeys.length > 0) {
    if ('types' in exports && keys[0] !== 'types') wrong.push(`${path}: "types" is not the first condition`);
    if ('default' in exports && keys.at(-1) !== 'default') wrong.push(`${path}: "default" is not the last condition`);
    if ('import' in exports && !('require' in exports) && !('default' in exports)) {
      wrong.push(`${path}: only an "import" condition, so require() cannot load it; use "default"`);
    }
  }
  for (const key of keys) wrong.push(...misorderedExports(exports[key], `${path}["${key}"]`));
  return wrong;
}

const rootFile = join(root, 'package.json');
const rootPackage = readJson(rootFile);
const repositoryUrl = rootPackage?.repository?.url;
if (rootPackage && rootPackage.private !== true)
  problems.push('package.json: the workspace root must be "private": true');
if (typeof repositoryUrl !== 'string') problems.push('package.json: the root needs repository.url (the git URL)');
const rootLicense = existsSync(join(root, 'LICENSE')) ? readFileSync(join(root, 'LICENSE'), 'utf8') : undefined;
if (rootLicense === undefined) problems.push('LICENSE: missing at the workspace root');

const privateNames = new Set();
for (const dir of workspaceDirs('tools')) {
  const file = join(dir, 'package.json');
  const pkg = readJson(file);
  if (pkg === undefined) continue;
  privateNames.add(pkg.name);
  if (pkg.private === true) continue;
  if (fix) writeJson(file, withKeysAfter(pkg, 'version', { private: true }));
  else problems.push(`${relative(root, file)}: tools are never published; set "private": true`);
}

for (const dir of workspaceDirs('packages')) {
  const file = join(dir, 'package.json');
  const where = relative(root, file);
  const directory = relative(root, dir).split('\\').join('/');
  const pkg = readJson(file);
  if (pkg === undefined || rootPackage === undefined || typeof repositoryUrl !== 'string') continue;
  const site = browsableUrl(repositoryUrl);
  const wanted = {
    repository: { type: 'git', url: repositoryUrl, directory },
    homepage: `${site}/tree/main/${directory}#readme`,
    bugs: { url: `${site}/issues` },
  };
  let next = pkg;
  const wrong = [];
  if (pkg.private === true) wrong.push('"private": true, but every packages/* package is published');
  if (pkg.license !== rootPackage.license) wrong.push(`license is ${pkg.license}, not ${rootPackage.license}`);
  if (pkg.type !== 'module') wrong.push('type is not "module"');
  if (pkg.engines?.node !== rootPackage.engines?.node) {
    wrong.push(`engines.node is ${pkg.engines?.node}, not the root's ${rootPackage.engines?.node}`);
  }
  if (pkg.sideEffects === undefined) wrong.push('sideEffects is not set (false, or the files that have them)');
  if (pkg.exports?.['./package.json'] !== './package.json') wrong.push('exports has no "./package.json"');
  for (const [dependencyField, dependencies] of [
    ['dependencies', pkg.dependencies],
    ['peerDependencies', pkg.peerDependencies],
    ['optionalDependencies', pkg.optionalDependencies],
  ]) {
    for (const name of Object.keys(dependencies ?? {})) {
      if (privateNames.has(name)) wrong.push(`${dependencyField} names ${name}, which is private (never published)`);
    }
  }
  if (!existsSync(join(dir, 'README.md'))) wrong.push('no README.md');

  const derived = [];
  for (const [key, value] of Object.entries(wanted)) {
    if (JSON.stringify(pkg[key]) !== JSON.stringify(value)) derived.push(`${key} is not ${JSON.stringify(value)}`);
  }
  if (derived.length > 0) next = withKeysAfter(next, 'license', wanted);
  if (JSON.stringify(pkg.publishConfig) !== JSON.stringify({ access: 'public' })) {
    derived.push('publishConfig is not { "access": "public" }');
    next = withKeysAfter(next, 'sideEffects' in next ? 'sideEffects' : 'files', {
      publishConfig: { access: 'public' },
    });
  }
  const files = Array.isArray(pkg.files) ? pkg.files : [];
  const missingFiles = ['dist', ...FILES_EXCLUDED].filter((entry) => !files.includes(entry));
  if (missingFiles.length > 0) {
    derived.push(`files lacks ${missingFiles.join(', ')}`);
    const kept = files.filter((entry) => !entry.startsWith('!'));
    const included = kept.includes('dist') ? kept : ['dist', ...kept];
    const excluded = [...files.filter((entry) => entry.startsWith('!')), ...FILES_EXCLUDED];
    next = { ...next, files: [...new Set([...included, ...excluded])] };
  }
  const exportOrder = misorderedExports(pkg.exports);
  if (exportOrder.length > 0) {
    derived.push(...exportOrder);
    next = { ...next, exports: orderedConditions(pkg.exports) };
  }
  const licenseFile = join(dir, 'LICENSE');
  if (rootLicense !== undefined && (!existsSync(licenseFile) || readFileSync(licenseFile, 'utf8') !== rootLicense)) {
    if (fix) {
      writeFileSync(licenseFile, rootLicense);
      written.push(licenseFile);
    } else derived.push('LICENSE is missing or differs from the root LICENSE');
  }
  const tsconfigFile = join(dir, 'tsconfig.lib.json');
  const tsconfig = existsSync(tsconfigFile) ? readJson(tsconfigFile) : undefined;
  const options = tsconfig?.compilerOptions ?? {};
  if (tsconfig !== undefined && (options.sourceMap !== false || options.declarationMap !== false)) {
    // a published map would point at src/, which the tarball does not hold
    if (fix)
      writeJson(tsconfigFile, {
        ...tsconfig,
        compilerOptions: { ...options, sourceMap: false, declarationMap: false },
      });
    else derived.push('tsconfig.lib.json does not set "sourceMap": false and "declarationMap": false');
  }

  if (fix && next !== pkg) writeJson(file, next);
  const left = fix ? wrong : [...wrong, ...derived];
  for (const message of left) problems.push(`${where}: ${message}`);
}

const writtenJson = written.filter((file) => file.endsWith('.json'));
if (writtenJson.length > 0) {
  // the workspace's formatter has the last word on layout, so a fixed file passes the lint as written
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
  spawnSync(process.execPath, [biome, 'format', '--write', ...writtenJson], { stdio: 'ignore' });
}
if (written.length > 0) console.log(`package metadata: wrote ${written.length} file(s)`);
if (problems.length > 0) {
  console.error(`package metadata: ${problems.length} problem(s)${fix ? ' that --fix cannot derive' : ''}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  if (!fix) console.error('`node scripts/package-meta.mjs --fix` writes what can be derived.');
  process.exit(1);
}
console.log('package metadata: every published package is complete; tools and the root are private');
