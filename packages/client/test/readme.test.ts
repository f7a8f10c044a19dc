// The README opens with an example; this runs its first ```ts block, unchanged, against a local server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { json, startServer, type TestServer } from './support/http.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('README', () => {
  let server: TestServer;
  let dir = '';
  beforeAll(async () => {
    server = await startServer((req, res) =>
      json(res, 200, { resourceType: 'Patient', id: req.url?.split('/').pop() }, { etag: 'W/"2"' }),
    );
    dir = mkdtempSync(join(tmpdir(), 'client-readme-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  });

  it('opens with a short example (five to ten lines of code)', () => {
    const first = blocks[0]!;
    const code = first.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('import'));
    expect(code.length).toBeGreaterThanOrEqual(5);
    expect(code.length).toBeLessThanOrEqual(10);
    expect(readme.indexOf('```ts')).toBeLessThan(readme.indexOf('## '));
  });

  it('the first example runs against a local server', async () => {
    const file = join(dir, 'example.ts');
    writeFileSync(file, blocks[0]!);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.stubEnv('PDS_BASE_URL', server.url);
    try {
      await import(/* @vite-ignore */ file);
      expect(log).toHaveBeenCalledWith('9000000009', 'W/"2"');
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({ method: 'GET', url: '/Patient/9000000009' });
    expect(server.seen[0]!.headers['x-correlation-id']).toBe('my-app-1');
  });

  it.each([
    '## Options',
    '## Retries and idempotency',
    '## Errors',
    '## If-Match',
    '## "No data"',
    '## Validation',
    '## Logging',
    '## The `fhir` escape hatch',
  ])('has a section %s', (heading) => {
    expect(readme).toContain(`\n${heading}\n`);
  });
});
