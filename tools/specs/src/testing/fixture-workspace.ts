/**
 * Temporary workspaces with hand-written fixture packages, package tarballs, and a real HTTP server on 127.0.0.1
 * for upstream fallbacks; exported through `./index.ts` (`@nhs-fhir/specs/testing`).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import type { SpecPaths } from '../paths.js';

/** A hand-written FHIR package for tests: its package.json fields and its resources by file name. */
export interface FixturePackage {
  id: string;
  version: string;
  fhirVersion?: string;
  dependencies?: Record<string, string>;
  /** File name (relative to `package/`) -> JSON value, or raw text to write as is. */
  files: Record<string, unknown>;
}

export function fixturePackageFiles(pkg: FixturePackage): Record<string, unknown> {
  return {
    'package.json': {
      name: pkg.id,
      version: pkg.version,
      fhirVersions: [pkg.fhirVersion ?? '4.0.1'],
      dependencies: pkg.dependencies ?? {},
    },
    ...pkg.files,
  };
}

export async function writeTree(root: string, files: Record<string, unknown>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

/** A temporary workspace: `specs/specs.json`, a mirror folder and an empty package cache. */
export class FixtureWorkspace {
  private constructor(readonly root: string) {}

  static async create(): Promise<FixtureWorkspace> {
    return new FixtureWorkspace(await mkdtemp(join(tmpdir(), 'nhs-fhir-specs-')));
  }

  get paths(): SpecPaths {
    return {
      manifest: join(this.root, 'specs', 'specs.json'),
      lock: join(this.root, 'specs', 'specs.lock.json'),
      cache: join(this.root, 'cache'),
      mirror: join(this.root, 'mirror'),
    };
  }

  async writeManifest(manifest: unknown): Promise<void> {
    await writeTree(this.root, { 'specs/specs.json': manifest });
  }

  /** Puts a package in the mirror at `fhir/<id>#<version>/package/`. */
  async mirrorPackage(pkg: FixturePackage): Promise<string> {
    const dir = `fhir/${pkg.id}#${pkg.version}`;
    await writeTree(join(this.root, 'mirror', dir, 'package'), fixturePackageFiles(pkg));
    return dir;
  }

  async mirrorFiles(files: Record<string, unknown>): Promise<void> {
    await writeTree(join(this.root, 'mirror'), files);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** A `.tgz` of the given files under a top folder (`package/` as npm and FHIR registries ship them). */
export async function makeTarball(files: Record<string, unknown>, top = 'package'): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'nhs-fhir-tarball-'));
  try {
    await writeTree(join(dir, top), files);
    const chunks: Buffer[] = [];
    const stream = tar.c({ gzip: true, cwd: dir, portable: true }, [top]);
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A real HTTP server on 127.0.0.1 and a free port, answering fixed bodies by path and recording requests. */
export class FixtureServer {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly requests: string[],
  ) {}

  static async start(routes: Record<string, Buffer | string>): Promise<FixtureServer> {
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const body = routes[request.url ?? ''];
      if (body === undefined) response.writeHead(404).end('not found');
      else response.writeHead(200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new FixtureServer(server, `http://127.0.0.1:${port}`, requests);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

/** Small hand-written conformance resources. */
export const fixtureResources = {
  patientProfile: (url = 'https://example.org/fixture/StructureDefinition/FixturePatient') => ({
    resourceType: 'StructureDefinition',
    id: 'FixturePatient',
    url,
    name: 'FixturePatient',
    status: 'draft',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient.gender', path: 'Patient.gender', min: 1 }] },
  }),
  codeSystem: (id: string, url: string, version = '1.0.0') => ({
    resourceType: 'CodeSystem',
    id,
    url,
    version,
    status: 'draft',
    content: 'complete',
    concept: [{ code: 'a', display: 'A' }],
  }),
};
