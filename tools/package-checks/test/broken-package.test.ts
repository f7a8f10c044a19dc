import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertTarballClean, checkContents, checkTarball, type TarballCheck } from '../src/check-tarball.js';
import { packPackages } from '../src/pack.js';

// A hand-written package with the mistakes the checks exist for: ESM syntax in a package without "type": "module",
// "types" after "import", an export that points at no file, no README or LICENSE, a dangling source map comment.
const fixture = fileURLToPath(new URL('./fixtures/broken-package', import.meta.url));

describe('the pack checks on a broken package', () => {
  let destination: string;
  let check: TarballCheck;

  beforeAll(async () => {
    destination = await mkdtemp(join(tmpdir(), 'nhs-fhir-broken-pack-'));
    const [tarball] = await packPackages([fixture], destination);
    if (tarball === undefined) throw new Error('npm pack gave no tarball for the fixture');
    check = await checkTarball(tarball.tarball);
  });
  afterAll(() => rm(destination, { recursive: true, force: true }));

  it('fail, naming the package and the tarball', () => {
    expect(() => assertTarballClean(check)).toThrow(
      /^@nhs-fhir-fixture\/broken \(nhs-fhir-fixture-broken-0\.0\.0\.tgz\): \d+ problem\(s\) in the published tarball/,
    );
  });

  it('report what publint, attw and the contents rules each found', () => {
    const messages = check.problems.map((problem) => `${problem.tool}: ${problem.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^publint: error: .*types.*first/i),
        expect.stringMatching(/^attw: /),
        'contents: no README.md',
        'contents: no LICENSE',
        'contents: package.json: exports["."] does not list "types" first',
        'contents: package.json: exports["./missing"] points at ./lib/missing.js, not in the tarball',
        'contents: lib/index.js: refers to the source map index.js.map, which is not published',
      ]),
    );
  });
});

describe('checkContents', () => {
  const manifest = {
    repository: { url: 'git+https://example.org/repo.git', directory: 'packages/a' },
    engines: { node: '>=20.19.0' },
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  };
  const complete = ['LICENSE', 'README.md', 'dist/index.d.ts', 'dist/index.js', 'package.json'];

  it.each([
    ['a complete package', complete, manifest, []],
    [
      'build info',
      [...complete, 'dist/tsconfig.lib.tsbuildinfo'],
      manifest,
      ['dist/tsconfig.lib.tsbuildinfo: build info'],
    ],
    ['a test file', [...complete, 'dist/a.test.js'], manifest, ['dist/a.test.js: a test file']],
    [
      'a source map',
      [...complete, 'dist/index.js.map'],
      manifest,
      ['dist/index.js.map: a source map (its sources are not published)'],
    ],
    [
      'no repository directory',
      complete,
      { ...manifest, repository: { url: 'git+https://example.org/repo.git' } },
      ['package.json: repository has no url or no directory'],
    ],
  ])('%s', (_title, files, given, want) => {
    expect(checkContents(files, given, () => 'export {};\n')).toEqual(want);
  });
});
