import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ts } from 'ts-morph';

export interface ExampleInput {
  /** Where the example came from, for error messages: `uk.nhsengland.r4#0.0.1/package/example/Bundle-x.json`. */
  source: string;
  json: Record<string, unknown>;
}

/** The compiler options of a strict user project on Node ESM: what the consumer checks compile with. */
export function strictConsumerTsconfig(include: string[], skipLibCheck = true): Record<string, unknown> {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: false,
      noEmit: true,
      skipLibCheck,
      types: [],
    },
    include,
  };
}

export interface TscResult {
  exitCode: number;
  /** tsc's diagnostics, one per line. */
  output: string;
  ms: number;
}

/** Runs a tsc binary (`typescript/bin/tsc` for 5.x, `typescript-7/bin/tsc` for 7) on a project with Node. */
export async function runTsc(tscBin: string, project: string, extraArgs: string[] = []): Promise<TscResult> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [tscBin, '-p', project, '--pretty', 'false', ...extraArgs],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    return { exitCode: 0, output: `${stdout}${stderr}`.trim(), ms: performance.now() - started };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      exitCode: typeof failed.code === 'number' ? failed.code : 1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim(),
      ms: performance.now() - started,
    };
  }
}

/**
 * The compilers a consumer check runs under, resolved from the calling package (`import.meta.url`):
 * TypeScript 5.9 (`typescript`) and TypeScript 7 (the `typescript-7` alias). TypeScript 7 exports no
 * `bin/tsc` subpath, so its bin is found next to its package.json.
 */
export function typeScriptCompilers(fromUrl: string): Array<[name: string, tscBin: string]> {
  const require = createRequire(fromUrl);
  return [
    ['TypeScript 5.9', require.resolve('typescript/bin/tsc')],
    ['TypeScript 7', join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc')],
  ];
}

/** The first ```ts block of a README: the example a package's tests type-check and run. */
export function readmeExample(markdown: string): string {
  const match = /```ts\n([\s\S]*?)```/.exec(markdown);
  if (match?.[1] === undefined) throw new Error('the README has no ```ts example');
  return match[1];
}

/**
 * Writes `code` as `readme.ts` with a strict tsconfig under `dir`, type-checks it with `tscBin`, and
 * runs it (transpiled by TypeScript, as ESM, from `dir` so that the package resolves as it would for
 * a user). Returns the diagnostics and what it printed.
 */
export async function checkAndRunExample(
  dir: string,
  code: string,
  tscBin: string,
): Promise<{ diagnostics: string; stdout: string }> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'readme.ts'), code);
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(strictConsumerTsconfig(['readme.ts']), null, 2)}\n`);
  const checked = await runTsc(tscBin, join(dir, 'tsconfig.json'));
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
  }).outputText;
  await writeFile(join(dir, 'readme.mjs'), js);
  // plain output whatever the runner's colour settings (Nx sets FORCE_COLOR)
  const { FORCE_COLOR: _, ...env } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'readme.mjs')], {
    cwd: dir,
    env: { ...env, NO_COLOR: '1' },
  });
  return { diagnostics: checked.output, stdout };
}
