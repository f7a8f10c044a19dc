import { type SandboxApi, startSandbox } from '@nhs-fhir/sandbox';
import { parseOptions, requireString, show, showPath, UsageError } from './args.js';

/** The APIs `nhs-fhir sandbox` serves, each from its client package's `./sandbox` entry. */
export const SANDBOX_APIS = ['pds', 'reasonable-adjustments', 'cp-is', 'patient-flags'] as const;
/** The name of an API `nhs-fhir sandbox` serves: one of {@link SANDBOX_APIS}. */
export type SandboxApiName = (typeof SANDBOX_APIS)[number];

export const DEFAULT_SANDBOX_PORT = 9000;

export const SANDBOX_HELP = `Usage: nhs-fhir sandbox <api> [--port <n>] [--tls --cert <file> --key <file> --ca <file>]

Serves a local sandbox of an API, made from its operations model with its examples as the seed,
until interrupted (Ctrl-C). <api> is one of: ${SANDBOX_APIS.join(', ')}.

  --port <n>      port on 127.0.0.1, 0 to 65535 (default ${DEFAULT_SANDBOX_PORT}; 0 takes a free one)
  --tls           serve HTTPS and accept only clients with a certificate signed by --ca
  --cert <file>   the server certificate (PEM), with --tls
  --key <file>    its private key (PEM), with --tls
  --ca <file>     the CA that signs client certificates (PEM), with --tls

Prints one line, "<api> sandbox listening on <url>"; give that URL to a client as its baseUrl.
`;

/** `nhs-fhir sandbox <api>`, parsed: serve an API's local sandbox. */
export interface SandboxCommand {
  /** Always `sandbox`. */
  readonly name: 'sandbox';
  /** The API served: `pds`, `reasonable-adjustments`, `cp-is` or `patient-flags`. */
  readonly api: SandboxApiName;
  /** `--port`: the TCP port on 127.0.0.1 (default 9000; 0 picks a free one). */
  readonly port: number;
  /** `--tls`: serve HTTPS requiring a client certificate, from these PEM files; `undefined` for plain HTTP. */
  readonly tls:
    | {
        /** `--cert`: the server certificate's PEM file. */
        readonly cert: string;
        /** `--key`: the server key's PEM file. */
        readonly key: string;
        /** `--ca`: the PEM file of the CA that client certificates must chain to. */
        readonly ca: string;
      }
    | undefined;
  /** Developer option (not in the help): serve this operations-model JSON instead of the API package's. */
  readonly model: string | undefined;
  /** Developer option, with --model: a JSON array of seed resources. */
  readonly seed: string | undefined;
}

function noNul(path: string, flag: string): string {
  if (path.includes('\0')) throw new UsageError(`${flag}: a path cannot contain a NUL character`);
  return path;
}

/** `nhs-fhir sandbox <api> [options]`, checked without touching the file system. Throws only UsageError. */
export function parseSandbox(
  args: readonly string[],
): SandboxCommand | { readonly name: 'help'; readonly text: string } {
  const [api, ...rest] = args;
  if (api === undefined || api === '--help' || api === '-h') {
    if (api !== undefined && rest.length > 0) throw new UsageError(`unexpected argument ${show(String(rest[0]))}`);
    if (api === undefined) throw new UsageError(`missing <api>: one of ${SANDBOX_APIS.join(', ')}`);
    return { name: 'help', text: SANDBOX_HELP };
  }
  if (api.startsWith('-')) throw new UsageError(`missing <api> before ${show(api)}; one of ${SANDBOX_APIS.join(', ')}`);
  const values = parseOptions(rest, {
    port: { type: 'string' },
    tls: { type: 'boolean' },
    cert: { type: 'string' },
    key: { type: 'string' },
    ca: { type: 'string' },
    model: { type: 'string' },
    seed: { type: 'string' },
  });
  if (values.help) return { name: 'help', text: SANDBOX_HELP };
  if (!(SANDBOX_APIS as readonly string[]).includes(api))
    throw new UsageError(`unknown api ${show(api)}; one of ${SANDBOX_APIS.join(', ')}`);
  let port = DEFAULT_SANDBOX_PORT;
  if (values.port !== undefined) {
    const text = String(values.port);
    port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
    if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port: a port number from 0 to 65535; got ${show(text)}`);
  }
  let tls: SandboxCommand['tls'];
  if (values.tls === true) {
    tls = {
      cert: noNul(requireString(values, 'cert'), '--cert'),
      key: noNul(requireString(values, 'key'), '--key'),
      ca: noNul(requireString(values, 'ca'), '--ca'),
    };
  } else {
    const stray = ['cert', 'key', 'ca'].find((name) => values[name] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --tls`);
  }
  const model = values.model === undefined ? undefined : noNul(requireString(values, 'model'), '--model');
  const seed = values.seed === undefined ? undefined : noNul(requireString(values, 'seed'), '--seed');
  if (seed !== undefined && model === undefined) throw new UsageError('--seed needs --model');
  return { name: 'sandbox', api: api as SandboxApiName, port, tls, model, seed };
}

/** What `nhs-fhir sandbox` uses from its surroundings; every member has a default, tests replace them. */
export interface SandboxDeps {
  /** Loads a module by specifier; `import()` by default (tests pass their own). */
  importModule?: (specifier: string) => Promise<unknown>;
  /** Resolves when the sandbox should stop; by default on the first SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

function isSandboxApi(value: unknown): value is SandboxApi {
  const api = value as { model?: { operations?: unknown }; seed?: unknown } | null | undefined;
  return (
    typeof api === 'object' && api !== null && Array.isArray(api.model?.operations) && Array.isArray(api.seed ?? [])
  );
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parseJson(text: Buffer, flag: string, path: string): unknown {
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    throw new UsageError(`${flag}: ${showPath(path)} is not JSON`);
  }
}

async function loadApi(
  command: SandboxCommand,
  read: (path: string, flag: string) => Promise<Buffer>,
  importModule: (specifier: string) => Promise<unknown>,
): Promise<SandboxApi> {
  if (command.model !== undefined) {
    const model = parseJson(await read(command.model, '--model'), '--model', command.model);
    const seed =
      command.seed === undefined ? [] : parseJson(await read(command.seed, '--seed'), '--seed', command.seed);
    if (!Array.isArray(seed)) throw new UsageError(`--seed: ${showPath(command.seed ?? '')} is not a JSON array`);
    const api = { model, seed } as unknown;
    if (!isSandboxApi(api)) throw new UsageError(`--model: ${showPath(command.model)} has no operations array`);
    return api;
  }
  const specifier = `@nhs-fhir/${command.api}/sandbox`;
  let loaded: unknown;
  try {
    loaded = await importModule(specifier);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    throw new Error(
      `cannot load ${specifier} (${typeof code === 'string' ? code : 'error'}); is it installed and built?`,
    );
  }
  const api = (loaded as { sandboxApi?: unknown } | null)?.sandboxApi;
  if (!isSandboxApi(api)) throw new Error(`${specifier} exports no sandboxApi with a model and a seed`);
  return api;
}

/**
 * Loads the API, reads the TLS files and starts the sandbox (bad input is a UsageError before anything
 * listens), prints its URL, and stops it when told to. Returns 0.
 */
export async function runSandbox(
  command: SandboxCommand,
  io: { stdout: { write(text: string): unknown } },
  read: (path: string, flag: string) => Promise<Buffer>,
  deps: SandboxDeps = {},
): Promise<number> {
  const tls = command.tls && {
    cert: await read(command.tls.cert, '--cert'),
    key: await read(command.tls.key, '--key'),
    ca: await read(command.tls.ca, '--ca'),
  };
  const api = await loadApi(command, read, deps.importModule ?? ((specifier) => import(specifier)));
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  try {
    sandbox = await startSandbox(api, { port: command.port, host: '127.0.0.1', ...(tls ? { tls } : {}) });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e?.code === 'EADDRINUSE') throw new Error(`--port ${command.port}: the port is in use`);
    if (tls && typeof e?.code === 'string' && /^ERR_OSSL|^ERR_SSL|^ERR_INVALID_ARG/.test(e.code))
      throw new UsageError(`--tls: cannot use the certificate, key or CA (${e.code})`);
    // a seed entry that is not a resource: the user's file (exit 2), or the package's (exit 1)
    if (error instanceof TypeError && command.model !== undefined) throw new UsageError(String(e.message));
    throw error;
  }
  const stopped = (deps.untilStopped ?? untilSignal)();
  io.stdout.write(`${command.api} sandbox listening on ${sandbox.url}\n`);
  await stopped;
  await sandbox.stop();
  return 0;
}
