// A project outside the workspace installs the packed tarballs (no workspace links), type-checks a program that
// uses every published package under each module resolution a consumer may choose, with TypeScript 5.9 and 7,
// runs it, and loads every entry point with require() (Node 20.19+ loads ESM that way).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consumerLockfile, type Lockfile } from '../src/consumer-lock.js';
import { npmEnvironment } from '../src/pack.js';
import { publishedPackages, workspaceRoot } from '../src/published.js';

const run = promisify(execFile);
const tarballs = inject('tarballs');
const require = createRequire(import.meta.url);
const compilers = [
  ['TypeScript 5.9', require.resolve('typescript/bin/tsc')],
  // TypeScript 7 exports no bin subpath: its tsc is next to its package.json
  ['TypeScript 7', join(dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc')],
] as const;

const program = `
import { type ApplicationRestrictedAuthOptions, REDACTED } from '@nhs-fhir/auth';
import { parseCommand } from '@nhs-fhir/cli';
import { ApiClient, type ApiSpec } from '@nhs-fhir/client';
import { createCpisClient } from '@nhs-fhir/cp-is';
import { sandboxApi as cpisSandbox } from '@nhs-fhir/cp-is/sandbox';
import { isEnglandFlagPatientFlagAdjustment, validate as validateNhsEngland } from '@nhs-fhir/nhs-england';
import { createPatientFlagsClient } from '@nhs-fhir/patient-flags';
import { sandboxApi as patientFlagsSandbox } from '@nhs-fhir/patient-flags/sandbox';
import { createPdsClient } from '@nhs-fhir/pds';
import { sandboxApi as pdsSandbox } from '@nhs-fhir/pds/sandbox';
import { type Bundle, isPatient, type Patient } from '@nhs-fhir/r4';
import { createRaProxyClient, createRaSpineClient } from '@nhs-fhir/reasonable-adjustments';
import { sandboxApi as raSandbox } from '@nhs-fhir/reasonable-adjustments/sandbox';
import { isRARecordFlag1, validate as validateRa } from '@nhs-fhir/reasonable-adjustments-stu3';
import { startSandbox } from '@nhs-fhir/sandbox';
import type { Patient as Stu3Patient } from '@nhs-fhir/stu3';
import { validate as validateUkCore, type UKCorePatient } from '@nhs-fhir/uk-core';
import { createValidator, type OperationOutcome } from '@nhs-fhir/validation';

const environment: ApplicationRestrictedAuthOptions['environment'] = 'int';
const patient: Patient = { resourceType: 'Patient', gender: 'female' };
const bundle: Bundle<Patient> = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] };
const stu3Patient: Stu3Patient = { resourceType: 'Patient', gender: 'male' };
const ukCorePatient: UKCorePatient = {
  resourceType: 'Patient',
  meta: { profile: ['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient'] },
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }],
};
const englandFlag: unknown = {
  resourceType: 'Flag',
  meta: { profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag-Adjustment'] },
  status: 'active',
  category: [{ text: 'RA' }, { text: 'communication' }],
  code: { text: 'quiet-environment' },
  subject: { reference: 'Patient/9000000009' },
};
const raFlag: unknown = {
  resourceType: 'Flag',
  meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/RARecord-Flag-1'] },
  status: 'active',
  code: { text: 'NRAF' },
  subject: { reference: 'Patient/9000000009' },
};
const errors = (outcome: OperationOutcome) => outcome.issue.filter((issue) => issue.severity === 'error').length;
const spec: ApiSpec = { name: 'demo', title: 'Demo', fhirVersion: 'R4', environments: {}, operations: {} };

const sandbox = await startSandbox(pdsSandbox, { host: '127.0.0.1' });
try {
  const pds = createPdsClient({ baseUrl: sandbox.url });
  const read = await pds.getPatient({ id: '9000000009' });
  const clients = [
    createCpisClient({ baseUrl: sandbox.url }).searchCareTeam,
    createPatientFlagsClient({ baseUrl: sandbox.url }).getPatientFlags,
    createRaProxyClient({ baseUrl: sandbox.url }).readFlag,
    createRaSpineClient({ baseUrl: sandbox.url }),
    new ApiClient(spec, { baseUrl: sandbox.url }),
  ];
  console.log(
    JSON.stringify({
      environment,
      redacted: REDACTED,
      cli: parseCommand(['--version']).name,
      r4: (bundle.entry ?? []).map((entry) => entry.resource).filter(isPatient).length,
      stu3: stu3Patient.gender,
      ukCoreErrors: errors(validateUkCore(ukCorePatient)),
      nhsEngland: [isEnglandFlagPatientFlagAdjustment(englandFlag), errors(validateNhsEngland(englandFlag))],
      raRecordFlag: isRARecordFlag1(raFlag),
      raErrors: errors(validateRa(raFlag)) > 0,
      validator: typeof createValidator,
      pds: read.id,
      clients: clients.filter((client) => client !== undefined).length,
      sandboxes: [cpisSandbox.model.api, patientFlagsSandbox.model.api, raSandbox.model.api],
    }),
  );
} finally {
  await sandbox.stop();
}
`;

/** A CommonJS file whose require() of the ESM packages TypeScript 5.8+ types under module nodenext. */
const requireProgram = `
import r4 = require('@nhs-fhir/r4');
import client = require('@nhs-fhir/client');
const patient: r4.Patient = { resourceType: 'Patient' };
export const loaded: [boolean, string] = [r4.isPatient(patient), typeof client.ApiClient];
`;

const resolutions = {
  node16: { module: 'node16', moduleResolution: 'node16', files: ['consumer.ts'] },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['consumer.ts', 'require-types.cts'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['consumer.ts'] },
} as const;

function entryPoints(manifest: { name: string; exports: Record<string, unknown> }): string[] {
  return Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`));
}

async function tsc(tscBin: string, project: string, extraArgs: string[]): Promise<string> {
  try {
    await run(process.execPath, [tscBin, '-p', project, '--pretty', 'false', ...extraArgs], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return '';
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() || failed.message;
  }
}

describe('a consumer of the tarballs', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhs-fhir-consumer-'));
    const workspaceLock = JSON.parse(await readFile(join(workspaceRoot, 'package-lock.json'), 'utf8')) as Lockfile;
    const folders = new Map(publishedPackages().map((pkg) => [pkg.name, relative(workspaceRoot, pkg.dir)]));
    const { dependencies, lock } = consumerLockfile({
      dir,
      workspaceLock,
      tarballs: tarballs.map((tarball) => ({ ...tarball, workspacePath: folders.get(tarball.name) ?? '' })),
      extra: ['@types/node'],
    });
    const manifest = { name: 'consumer', version: '0.0.0', private: true, type: 'module', dependencies };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    // Every third-party package comes from the npm cache that the workspace's install filled: no registry request.
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
      cwd: dir,
      env: npmEnvironment(),
      maxBuffer: 64 * 1024 * 1024,
    });
    await writeFile(join(dir, 'consumer.ts'), program);
    await writeFile(join(dir, 'require-types.cts'), requireProgram);
    for (const [name, { module, moduleResolution, files }] of Object.entries(resolutions)) {
      const compilerOptions = {
        target: 'ES2022',
        lib: ['ES2023'],
        module,
        moduleResolution,
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      };
      await writeFile(join(dir, `tsconfig.${name}.json`), `${JSON.stringify({ compilerOptions, files }, null, 2)}\n`);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('installs every package from its tarball, not from the workspace', async () => {
    for (const tarball of tarballs) {
      const installed = JSON.parse(
        await readFile(join(dir, 'node_modules', ...tarball.name.split('/'), 'package.json'), 'utf8'),
      ) as { version: string };
      expect(installed.version, tarball.name).toBe(tarball.version);
    }
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string; link?: boolean }>;
    };
    const linked = Object.entries(lock.packages).filter(([, entry]) => entry.link === true);
    expect(linked.map(([path]) => path)).toEqual([]);
  });

  // Every declaration file is checked (skipLibCheck off) under every resolution by TypeScript 7, and under nodenext
  // by TypeScript 5.9; its node16 and bundler runs check the program only, which keeps the test near a minute.
  for (const [compiler, tscBin] of compilers) {
    for (const resolution of Object.keys(resolutions)) {
      const libCheck = compiler === 'TypeScript 7' || resolution === 'nodenext';
      const title = `type-checks under moduleResolution ${resolution} with ${compiler}`;
      it(`${title}, skipLibCheck ${libCheck ? 'off' : 'on'}`, async () => {
        const extraArgs = libCheck ? [] : ['--skipLibCheck'];
        expect(await tsc(tscBin, join(dir, `tsconfig.${resolution}.json`), extraArgs)).toBe('');
      });
    }
  }

  it('runs the program with Node: every package works as imported', async () => {
    const js = ts.transpileModule(program, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    }).outputText;
    await writeFile(join(dir, 'consumer.mjs'), js);
    const { FORCE_COLOR: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, [join(dir, 'consumer.mjs')], { cwd: dir, env });
    expect(JSON.parse(stdout)).toEqual({
      environment: 'int',
      redacted: expect.any(String),
      cli: 'version',
      r4: 1,
      stu3: 'male',
      ukCoreErrors: 0,
      nhsEngland: [true, 0],
      raRecordFlag: true,
      raErrors: true,
      validator: 'function',
      pds: '9000000009',
      clients: 5,
      sandboxes: ['cp-is', 'patient-flags', 'reasonable-adjustments'],
    });
  });

  it('loads every entry point of every package with require()', async () => {
    const specifiers: string[] = [];
    for (const tarball of tarballs) {
      const manifest = JSON.parse(
        await readFile(join(dir, 'node_modules', ...tarball.name.split('/'), 'package.json'), 'utf8'),
      ) as { name: string; exports: Record<string, unknown> };
      specifiers.push(...entryPoints(manifest));
    }
    const script = `
const loaded = {};
for (const specifier of ${JSON.stringify(specifiers)}) {
  try {
    loaded[specifier] = Object.keys(require(specifier)).length > 0 ? 'exports' : 'empty';
  } catch (error) {
    loaded[specifier] = \`\${error.code}: \${String(error.message).split('\\n')[0]}\`;
  }
}
console.log(JSON.stringify(loaded));
`;
    await writeFile(join(dir, 'require-all.cjs'), script);
    const { stdout, stderr } = await run(process.execPath, [join(dir, 'require-all.cjs')], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(specifiers.map((specifier) => [specifier, 'exports'])));
    expect(stderr).toBe(''); // not even an ExperimentalWarning
  });

  it("the CLI's specs changes says where it runs: the generator it needs is not published", async () => {
    const bin = join(dir, 'node_modules', '.bin', 'nhs-fhir');
    const failed = await run(bin, ['specs', 'changes', '--old', dir, '--new', dir], { cwd: dir }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr).toContain('the generator (@nhs-fhir/fhir-codegen) is not installed');
  });
});
