import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { assertTarballClean, checkTarball } from '../src/check-tarball.js';
import { publishedPackages } from '../src/published.js';

const tarballs = inject('tarballs');

describe('the published tarballs', () => {
  it('are one per packages/* package', () => {
    expect(tarballs.map((tarball) => tarball.name)).toEqual(publishedPackages().map((pkg) => pkg.name));
  });

  it('are all built before this project is tested: it depends on each, so Nx runs their build first', () => {
    const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    const missing = publishedPackages().filter((pkg) => own.devDependencies[pkg.name] === undefined);
    expect(missing.map((pkg) => pkg.name)).toEqual([]);
  });

  it.each(tarballs.map((tarball) => [tarball.name, tarball] as const))(
    '%s: publint, attw and the contents rules find nothing',
    async (_name, tarball) => {
      assertTarballClean(await checkTarball(tarball.tarball));
    },
  );
});
