// The generator on the real, pinned descriptions (through the spec sync, from the mirror): the model
// it builds, that it reproduces the same bytes, and that its CLI reports the overlay's overrides.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateClient } from '../src/pipeline/generate-client.js';

const run = promisify(execFile);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

describe('the real descriptions', () => {
  it('PDS: the seven operations, named by their camel-cased operationIds, and the same bytes twice', async () => {
    const first = await generateClient({ api: 'pds', dryRun: true });
    expect(first.model.operations.map((op) => op.name)).toEqual([
      'searchPatient',
      'createPatient',
      'getPatient',
      'updatePatientPartial',
      'getRelatedPeople',
      'getCoverage',
      'postCoverage',
    ]);
    const patch = first.model.operations.find((op) => op.name === 'updatePatientPartial')!;
    expect(patch.ifMatch).toBe('required');
    expect(patch.body?.contentType).toBe('application/json-patch+json');
    expect(patch.managedHeaders).toContain('X-Request-ID');
    const second = await generateClient({ api: 'pds', dryRun: true });
    expect([...second.files]).toEqual([...first.files]);
  });

  it('RA proxy: the fourteen operations, with remote error fragments resolved offline', async () => {
    const { model, files } = await generateClient({ api: 'reasonable-adjustments-proxy', dryRun: true });
    expect(model.operations).toHaveLength(14);
    expect(model.fhirVersion).toBe('STU3');
    expect(files.get('openapi.bundle.json')).not.toContain('raw.githubusercontent.com');
    expect(files.get('client.ts')).toContain('Promise<Bundle<RARecordFlag1>>');
  });

  it('the CLI prints every override of the overlay, and fails cleanly on an unknown API', async () => {
    const env = { ...process.env, CI: '' };
    const { stdout, stderr } = await run(process.execPath, [cli, 'model', 'pds'], { env });
    expect(JSON.parse(stdout).overrides.map((o: { source: string }) => o.source)).toEqual([
      '[FORUM-PDS-252]',
      '[PDS-COV-POST]',
    ]);
    // progress: one line per stage on stderr (a pipe, not a terminal); nothing written, so no write stage
    expect(stderr.split('\n').map((line) => line.split(': ').slice(0, 2).join(' '))).toEqual([
      'pds load',
      'pds model',
      'pds emit',
      '',
    ]);
    expect(stderr).toContain('pds: model: 7 operations modelled');
    const quiet = await run(process.execPath, [cli, 'model', 'pds', '--quiet'], { env });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(stdout);
    const failed = await run(process.execPath, [cli, 'client', 'no-such-api']).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/specs\/apis\/no-such-api\.json.*overlay file not found/);
    const usage = await run(process.execPath, [cli, 'frobnicate', 'pds']).catch((error: { code: number }) => error);
    expect(usage).toMatchObject({ code: 2 });
  }, 180_000);
});
