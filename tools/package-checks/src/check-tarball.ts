import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type Analysis,
  checkPackage,
  createPackageFromTarballData,
  type Package,
  type Problem,
  type ResolutionKind,
} from '@arethetypeswrong/core';
import { problemAffectsResolutionKind, problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

export interface TarballProblem {
  readonly tool: 'publint' | 'attw' | 'contents';
  readonly message: string;
}

export interface TarballCheck {
  readonly name: string;
  readonly tarball: string;
  readonly problems: readonly TarballProblem[];
  /** attw problems left out on purpose (see `ignoredAttwProblem`), as `kind (resolution) entry`. */
  readonly ignored: readonly string[];
}

/**
 * attw reports that are not problems for these packages, each with its reason; everything else fails the check.
 * - `node10` resolution (attw's `--profile node16`): it ignores `exports`, which every Node the packages support
 *   (>= 20.19) and every current TypeScript resolution mode (node16, nodenext, bundler) read.
 * - `CJSResolvesToESM` under `node16-cjs`: the packages are ESM only, and attw asks TypeScript 5.6, for which a
 *   `require` cannot load ESM. Node 20.19+ loads them with require(esm), and TypeScript 5.8+ (`module: nodenext`)
 *   types such a `require`; the consumer test checks both (test/consumer.test.ts).
 */
export function ignoredAttwProblem(problem: Problem, analysis: Analysis): boolean {
  if (problem.kind === 'CJSResolvesToESM' && problem.resolutionKind === 'node16-cjs') return true;
  const kinds: ResolutionKind[] = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];
  const affected = kinds.filter((kind) => problemAffectsResolutionKind(problem, kind, analysis));
  return affected.length > 0 && affected.every((kind) => kind === 'node10');
}

function describeAttw(problem: Problem): string {
  const where = 'entrypoint' in problem ? ` at "${problem.entrypoint}"` : '';
  const resolution = 'resolutionKind' in problem ? ` (${problem.resolutionKind})` : '';
  const file = 'fileName' in problem ? ` in ${problem.fileName}` : '';
  return `${problem.kind}${resolution}${where}${file}: ${problemKindInfo[problem.kind].description}`;
}

interface Manifest {
  name?: string;
  version?: string;
  repository?: { url?: string; directory?: string };
  engines?: { node?: string };
  exports?: unknown;
  bin?: string | Record<string, string>;
}

/** Every target file an `exports` map names, with the path to it. */
function exportTargets(exports: unknown, path = 'exports'): Array<[path: string, target: string]> {
  if (typeof exports === 'string') return [[path, exports]];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.entries(exports).flatMap(([key, value]) => exportTargets(value, `${path}["${key}"]`));
}

/** Condition objects in `exports` whose first key is not `types` (TypeScript takes the first match). */
function typesNotFirst(exports: unknown, path = 'exports'): string[] {
  if (typeof exports !== 'object' || exports === null) return [];
  const keys = Object.keys(exports);
  const own = keys.includes('types') && keys[0] !== 'types' ? [path] : [];
  return [...own, ...Object.entries(exports).flatMap(([key, value]) => typesNotFirst(value, `${path}["${key}"]`))];
}

/** What a published tarball must and must not hold, beyond publint's rules. */
export function checkContents(files: readonly string[], manifest: Manifest, read: (file: string) => string): string[] {
  const has = new Set(files);
  const problems: string[] = [];
  for (const required of ['README.md', 'LICENSE', 'package.json']) {
    if (!has.has(required)) problems.push(`no ${required}`);
  }
  if (!manifest.repository?.url || !manifest.repository.directory) {
    problems.push('package.json: repository has no url or no directory');
  }
  if (!manifest.engines?.node) problems.push('package.json: no engines.node');
  if (manifest.exports === undefined) problems.push('package.json: no exports');
  for (const path of typesNotFirst(manifest.exports))
    problems.push(`package.json: ${path} does not list "types" first`);
  for (const [path, target] of exportTargets(manifest.exports)) {
    if (!has.has(target.replace(/^\.\//, '')))
      problems.push(`package.json: ${path} points at ${target}, not in the tarball`);
  }
  const bins = typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {});
  for (const [command, target] of Object.entries(bins)) {
    if (!has.has(target.replace(/^\.\//, '')))
      problems.push(`package.json: bin ${command} is ${target}, not in the tarball`);
  }
  for (const file of files) {
    if (/\.tsbuildinfo$/.test(file)) problems.push(`${file}: build info`);
    if (/(^|\/)(test|tests|__tests__)\/|\.(test|spec)\.[cm]?[jt]s$/.test(file)) problems.push(`${file}: a test file`);
    if (/\.map$/.test(file)) problems.push(`${file}: a source map (its sources are not published)`);
    if (/\.[cm]?js$|\.d\.[cm]?ts$/.test(file)) {
      const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(file))?.[1];
      if (mapUrl !== undefined && !mapUrl.startsWith('data:')) {
        problems.push(`${file}: refers to the source map ${mapUrl}, which is not published`);
      }
    }
  }
  return problems;
}

/**
 * Lints one packed tarball as the registry would serve it: publint (every level, strict), attw (are the types
 * right, for every entry point and resolution mode) and the contents rules above.
 */
export async function checkTarball(tarball: string): Promise<TarballCheck> {
  const bytes = await readFile(tarball);
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pkg: Package = createPackageFromTarballData(data);
  const root = `/node_modules/${pkg.packageName}`;
  const files = pkg.listFiles().map((file) => file.slice(root.length + 1));
  const manifest = JSON.parse(pkg.readFile(`${root}/package.json`)) as Manifest;
  const problems: TarballProblem[] = [];

  const linted = await publint({ pack: { tarball: data.slice().buffer }, level: 'suggestion', strict: true });
  for (const message of linted.messages) {
    const text = formatMessage(message, linted.pkg, { color: false }) ?? message.code;
    problems.push({ tool: 'publint', message: `${message.type}: ${text}` });
  }

  const ignored: string[] = [];
  const analysis = await checkPackage(pkg);
  if (analysis.types === false) {
    problems.push({ tool: 'attw', message: 'the package has no types' });
  } else {
    for (const problem of analysis.problems) {
      if (ignoredAttwProblem(problem, analysis)) ignored.push(describeAttw(problem).split(':')[0] ?? problem.kind);
      else problems.push({ tool: 'attw', message: describeAttw(problem) });
    }
  }

  for (const message of checkContents(files, manifest, (file) => pkg.readFile(`${root}/${file}`))) {
    problems.push({ tool: 'contents', message });
  }
  return { name: pkg.packageName, tarball, problems, ignored };
}

export class PackCheckError extends Error {
  override readonly name = 'PackCheckError';
}

/** Throws, naming the package and the tarball and listing every problem, unless the check found none. */
export function assertTarballClean(check: TarballCheck): void {
  if (check.problems.length === 0) return;
  const lines = check.problems.map((problem) => `  ${problem.tool}: ${problem.message}`);
  throw new PackCheckError(
    `${check.name} (${basename(check.tarball)}): ${check.problems.length} problem(s) in the published tarball\n` +
      lines.join('\n'),
  );
}
