import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerLockfile, type Lockfile } from '../src/consumer-lock.js';

describe('consumerLockfile', () => {
  let dir: string;
  let tarball: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhs-fhir-consumer-lock-'));
    await writeFile(join(dir, 'x-a-0.1.0.tgz'), 'not really a tarball');
    tarball = join(dir, 'x-a-0.1.0.tgz');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const workspaceLock = (packages: Lockfile['packages']): Lockfile => ({
    name: 'ws',
    version: '0.0.0',
    lockfileVersion: 3,
    requires: true,
    packages,
  });
  const packed = () => ({
    name: '@x/a',
    version: '0.1.0',
    tarball,
    size: 1,
    unpackedSize: 1,
    files: [],
    workspacePath: 'packages/a',
  });

  it('takes third-party versions from the workspace lock, nested ones under the installed package', () => {
    const { dependencies, lock } = consumerLockfile({
      dir: join(dir, 'consumer'),
      workspaceLock: workspaceLock({
        'packages/a': {
          name: '@x/a',
          version: '0.1.0',
          dependencies: { dep: '1.0.0' },
          devDependencies: { devOnly: '1.0.0' },
          peerDependencies: { optionalPeer: '1.0.0' },
          peerDependenciesMeta: { optionalPeer: { optional: true } },
        },
        'packages/a/node_modules/dep': { version: '1.0.0', integrity: 'sha512-d', dependencies: { shared: '^2' } },
        'node_modules/dep': { version: '9.0.0', integrity: 'sha512-other', dev: true },
        'node_modules/shared': { version: '2.1.0', integrity: 'sha512-s', dev: true },
        'node_modules/devOnly': { version: '1.0.0', integrity: 'sha512-v', dev: true },
      }),
      tarballs: [packed()],
      extra: [],
    });
    expect(dependencies).toEqual({ '@x/a': 'file:../x-a-0.1.0.tgz' });
    expect(Object.keys(lock.packages)).toEqual([
      '',
      'node_modules/@x/a',
      'node_modules/@x/a/node_modules/dep',
      'node_modules/shared',
    ]);
    expect(lock.packages['node_modules/@x/a']).toMatchObject({ resolved: 'file:../x-a-0.1.0.tgz' });
    expect(lock.packages['node_modules/@x/a']?.integrity).toMatch(/^sha512-/);
    expect(lock.packages['node_modules/shared']).toEqual({
      version: '2.1.0',
      integrity: 'sha512-s',
      resolved: 'https://registry.npmjs.org/shared/-/shared-2.1.0.tgz',
    });
  });

  it('names the package and the dependency the workspace lock lacks', () => {
    expect(() =>
      consumerLockfile({
        dir,
        workspaceLock: workspaceLock({ 'packages/a': { version: '0.1.0', dependencies: { gone: '1.0.0' } } }),
        tarballs: [packed()],
        extra: [],
      }),
    ).toThrow("packages/a: gone is not in the workspace's package-lock.json");
  });
});
