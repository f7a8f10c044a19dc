import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { access, chmod, constants, link, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  ApplicationRestrictedAuth,
  AuthTimeoutError,
  createSpineJwt,
  generateSigningKey,
  InvalidAuthInputError,
  loadSigningKey,
  NhsAuthError,
  type Jwks,
  type ReasonForRequest,
  type SigningKey,
} from '@nhs-fhir/auth';

/**
 * Where the CLI writes: `process.stdout` and `process.stderr` when run as `nhs-fhir`; tests pass their own.
 *
 * @example
 * const code = await main(['keys', 'generate', '--kid', 'key-1', '--out', 'keys'], process);
 */
export interface CliIo {
  /** Results: keys' file names, tokens, reports. */
  stdout: {
    /** Writes `text` as given (lines end with `\n`). */
    write(text: string): unknown;
  };
  /** Usage text and one-line errors; never a secret. */
  stderr: {
    /** Writes `text` as given (lines end with `\n`). */
    write(text: string): unknown;
  };
}

import { parseOptions, requireString, show, showPath, UsageError, wholeSeconds } from './args.js';
import { parseSandbox, runSandbox, type SandboxCommand, type SandboxDeps } from './sandbox.js';
import { parseSpecsChanges, runSpecsChanges, SPECS_CHANGES_HELP, type SpecsChangesCommand } from './specs-changes.js';

export { UsageError } from './args.js';

const HELP = {
  top: `Usage: nhs-fhir <command> [options]

Commands:
  keys generate   make an RSA 4096 signing key and its JWKS for API Platform onboarding
  token spine     print a Spine Core JWT (unsecured, for Spine-direct APIs)
  token app       print an API Platform access token (application-restricted, signed JWT)
  sandbox <api>   serve a local sandbox of pds, reasonable-adjustments, cp-is or patient-flags
  specs changes   what changed between two versions of a FHIR package or API description

Run nhs-fhir <command> --help for its options; nhs-fhir --version (-v) prints the version.
`,
  keys: `Usage: nhs-fhir keys generate --kid <kid> --out <dir> [--force]

Writes <dir>/<kid>.pem (RSA 4096 private key, PKCS#8 PEM, mode 0600) and <dir>/jwks.json
(the public key with kid, alg RS512, use sig; an existing jwks.json keeps its other keys).

  --kid <kid>    key id: letters, digits, '.', '_' and '-'
  --out <dir>    directory to write to (created if missing)
  --force        replace an existing <kid>.pem

Nothing is written unless every input is good; files are written under a temporary name and
renamed into place.
`,
  spine: `Usage: nhs-fhir token spine --iss <url> --aud <url> --asid <asid> --ods <code>
                         --user <role-profile-id> --scope <scope>

Prints an unsecured Spine Core JWT (alg none, trailing dot) valid for 5 minutes.

  --iss <url>              your system (the JWT iss)
  --aud <url>              the endpoint (query dropped)
  --asid <asid>            your ASID (digits)
  --ods <code>             your organisation's ODS code
  --user <id>              the user's SDS role profile id (digits)
  --scope <scope>          per interaction, e.g. user/Flag.read
  --reason <reason>        directcare (default), secondaryuses or patientaccess
  --scope-claim <name>     scope (default) or requested_scope
`,
  app: `Usage: nhs-fhir token app --env <sandbox|int|prod|url> --api-key <key> --key <pem> --kid <kid>

Gets an access token with client_credentials and an RS512 client assertion, and prints it.

  --env <env>        sandbox, int, prod, or the token endpoint URL (also the assertion aud)
  --api-key <key>    the app's API key
  --key <pem>        path to the private key (PEM)
  --kid <kid>        the key id registered in the app's JWKS
  --lifetime <s>     client assertion lifetime in seconds, at most 300 (default 300)
  --timeout <s>      give up on the token endpoint after this many seconds, 1 to 600 (default 10)
  --passphrase-env <name>
                     the environment variable that holds the key's passphrase (encrypted PEM)
`,
};

/** Flag names for the fields the auth package reports. */
const FLAG_FOR_FIELD: Record<string, string> = {
  issuer: '--iss',
  audience: '--aud',
  asid: '--asid',
  odsCode: '--ods',
  userRoleProfileId: '--user',
  scope: '--scope',
  reasonForRequest: '--reason',
  scopeClaim: '--scope-claim',
  environment: '--env',
  apiKey: '--api-key',
  tokenUrl: '--env',
  timeoutMs: '--timeout',
  assertionLifetimeSeconds: '--lifetime',
};

/** A private key or a JWKS is far smaller than this; a larger file (or /dev/zero) is refused. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** A sandbox model or seed given with --model and --seed may be larger than a key. */
const MAX_SANDBOX_INPUT_BYTES = 64 * 1024 * 1024;

/** Read at most `limit` bytes of a file, with a bounded stream; never the whole of an endless file. */
export async function readBounded(path: string, flag: string, limit = MAX_INPUT_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream) {
      total += (chunk as Buffer).length;
      if (total > limit)
        throw new UsageError(`${flag}: ${showPath(path)} is over ${Math.round(limit / 1024 / 1024)} MB; refused`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag}: cannot read ${showPath(path)} (${(error as { code?: string }).code ?? 'error'})`);
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

const KID = /^[A-Za-z0-9._-]{1,128}$/;

/** A command line, parsed and checked by {@link parseCommand}: one member per command, told apart by `name`. */
export type Command =
  | {
      /** `--help`, or a command given without its arguments. */
      readonly name: 'help';
      /** The usage text to print. */
      readonly text: string;
    }
  | {
      /** `--version`. */
      readonly name: 'version';
    }
  | {
      /** `nhs-fhir keys generate`: an RSA key pair for the API Platform's signed JWT, and its JWKS. */
      readonly name: 'keys generate';
      /** `--kid`: the key id, 1 to 128 of `A-Z a-z 0-9 . _ -`. */
      readonly kid: string;
      /** `--out`: the folder the key files are written to. */
      readonly out: string;
      /** `--force`: replace key files that exist (default: refuse). */
      readonly force: boolean;
    }
  | {
      /** `nhs-fhir token spine`: an unsecured Spine Core JWT (`alg: none`) for Spine-direct calls. */
      readonly name: 'token spine';
      /** `--iss`: the `iss` claim, a URL naming the calling system. */
      readonly issuer: string;
      /** `--aud`: the `aud` claim, the endpoint called (its query dropped). */
      readonly audience: string;
      /** `--asid`: the calling system's Accredited System ID. */
      readonly asid: string;
      /** `--ods`: the ODS code of the calling organisation. */
      readonly odsCode: string;
      /** `--user`: the user's SDS role profile id (digits). */
      readonly userRoleProfileId: string;
      /** `--scope`: the scope of the interaction, such as `user/Flag.read`. */
      readonly scope: string;
      /** `--reason`: `directcare` (the default when `undefined`), `secondaryuses` or `patientaccess`. */
      readonly reason: string | undefined;
      /** `--scope-claim`: the claim carrying the scope, `scope` (the default when `undefined`) or `requested_scope`. */
      readonly scopeClaim: 'scope' | 'requested_scope' | undefined;
    }
  | {
      /** `nhs-fhir token app`: an API Platform application-restricted access token (signed JWT exchange). */
      readonly name: 'token app';
      /** `--env`: `sandbox`, `int`, `prod` or a token endpoint URL. */
      readonly env: string;
      /** `--api-key`: the application's API key (the JWT's `iss` and `sub`). */
      readonly apiKey: string;
      /** `--key`: the PEM file of the private signing key. */
      readonly keyPath: string;
      /** `--kid`: the key id the JWKS publishes for that key. */
      readonly kid: string;
      /** `--lifetime`: the client assertion's lifetime in seconds (default the auth package's, at most 300). */
      readonly lifetime: number | undefined;
      /** `--timeout`: seconds to wait for the token endpoint. */
      readonly timeoutSeconds: number;
      /** `--passphrase-env`: the environment variable holding the key's passphrase, if it is encrypted. */
      readonly passphraseEnv: string | undefined;
    }
  | SandboxCommand
  | SpecsChangesCommand;

/** The command's name for messages: its words, never an option or a value. */
function commandName(argv: readonly string[]): string {
  const [first, second] = argv;
  if (first === 'sandbox') return 'nhs-fhir sandbox';
  const known = ['keys generate', 'token spine', 'token app', 'specs changes'];
  const both = `${first} ${second}`;
  if (known.includes(both)) return `nhs-fhir ${both}`;
  if (first === 'keys' || first === 'token') return `nhs-fhir ${first}`;
  return 'nhs-fhir';
}

/**
 * Parse and check the whole command line without touching the file system or the network.
 * Throws only {@link UsageError}.
 */
export function parseCommand(argv: readonly string[]): Command {
  if (!Array.isArray(argv) || argv.some((arg) => typeof arg !== 'string'))
    throw new UsageError('arguments must be strings');
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (argv.length > 1) throw new UsageError(`unexpected argument ${show(String(second))}`);
    return { name: 'help', text: HELP.top };
  }
  if (first === '--version' || first === '-v') {
    if (argv.length > 1) throw new UsageError(`unexpected argument ${show(String(second))}`);
    return { name: 'version' };
  }
  if (first === 'keys' && second === 'generate') {
    const values = parseOptions(rest, { kid: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
    if (values.help) return { name: 'help', text: HELP.keys };
    const kid = requireString(values, 'kid');
    const out = requireString(values, 'out');
    if (!KID.test(kid) || kid === '.' || kid === '..')
      throw new UsageError(`--kid: use letters, digits, '.', '_' and '-' only (at most 128); got ${show(kid)}`);
    if (out.includes('\0')) throw new UsageError('--out: a path cannot contain a NUL character');
    return { name: 'keys generate', kid, out, force: values.force === true };
  }
  if (first === 'token' && second === 'spine') {
    const values = parseOptions(rest, {
      iss: { type: 'string' },
      aud: { type: 'string' },
      asid: { type: 'string' },
      ods: { type: 'string' },
      user: { type: 'string' },
      scope: { type: 'string' },
      reason: { type: 'string' },
      'scope-claim': { type: 'string' },
    });
    if (values.help) return { name: 'help', text: HELP.spine };
    const [issuer, audience, asid, odsCode, userRoleProfileId, scope] = [
      'iss',
      'aud',
      'asid',
      'ods',
      'user',
      'scope',
    ].map((name) => requireString(values, name)) as [string, string, string, string, string, string];
    const claim = values['scope-claim'] as string | undefined;
    if (claim !== undefined && claim !== 'scope' && claim !== 'requested_scope')
      throw new UsageError(`--scope-claim: scope or requested_scope; got ${show(claim)}`);
    const reason = values.reason as string | undefined;
    return {
      name: 'token spine',
      issuer,
      audience,
      asid,
      odsCode,
      userRoleProfileId,
      scope,
      reason,
      scopeClaim: claim,
    };
  }
  if (first === 'token' && second === 'app') {
    const values = parseOptions(rest, {
      env: { type: 'string' },
      'api-key': { type: 'string' },
      key: { type: 'string' },
      kid: { type: 'string' },
      lifetime: { type: 'string' },
      timeout: { type: 'string' },
      'passphrase-env': { type: 'string' },
    });
    if (values.help) return { name: 'help', text: HELP.app };
    const env = requireString(values, 'env');
    const apiKey = requireString(values, 'api-key');
    const keyPath = requireString(values, 'key');
    const kid = requireString(values, 'kid');
    if (keyPath.includes('\0')) throw new UsageError('--key: a path cannot contain a NUL character');
    const lifetime = wholeSeconds(values.lifetime as string | undefined, '--lifetime', 1, 300);
    const timeoutSeconds = wholeSeconds(values.timeout as string | undefined, '--timeout', 1, 600) ?? 10;
    const passphraseEnv = values['passphrase-env'] as string | undefined;
    if (passphraseEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(passphraseEnv))
      throw new UsageError(`--passphrase-env: an environment variable name; got ${show(passphraseEnv)}`);
    return { name: 'token app', env, apiKey, keyPath, kid, lifetime, timeoutSeconds, passphraseEnv };
  }
  if (first === 'sandbox') return parseSandbox(argv.slice(1));
  if (first === 'specs' && second === 'changes') return parseSpecsChanges(rest);
  if (first === 'specs' && (second === undefined || second === '--help' || second === '-h') && rest.length === 0)
    return { name: 'help', text: SPECS_CHANGES_HELP };
  if (first === 'keys' && (second === undefined || second === '--help' || second === '-h') && rest.length === 0)
    return { name: 'help', text: HELP.keys };
  if (first === 'token' && (second === undefined || second === '--help' || second === '-h') && rest.length === 0)
    return { name: 'help', text: `${HELP.spine}\n${HELP.app}` };
  throw new UsageError(`unknown command ${show([first, second].filter(Boolean).join(' '))}; see nhs-fhir --help`);
}

/** The JWKS already in `path`, checked key by key; an empty one when there is none. */
async function readJwks(path: string): Promise<Jwks> {
  const info = await stat(path).catch((error: { code?: string }) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UsageError(`--out: cannot read ${showPath(path)} (${error.code ?? 'error'})`);
  });
  if (!info) return { keys: [] };
  if (!info.isFile()) throw new UsageError(`--out: ${showPath(path)} exists but is not a file`);
  const text = (await readBounded(path, '--out')).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--out: ${showPath(path)} exists but is not JSON`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (parsed === null || typeof parsed !== 'object' || !Array.isArray(keys))
    throw new UsageError(`--out: ${showPath(path)} exists but is not a JWKS (no keys array)`);
  keys.forEach((key: unknown, index: number) => {
    const where = `--out: ${showPath(path)} keys[${index}]`;
    if (key === null || typeof key !== 'object' || Array.isArray(key))
      throw new UsageError(`${where} is not a JWK object; fix or remove it`);
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string') throw new UsageError(`${where} has no kty; fix or remove it`);
    if (jwk.kid !== undefined && typeof jwk.kid !== 'string') throw new UsageError(`${where} kid is not a string`);
    if ('d' in jwk) throw new UsageError(`${where} holds a private key; a JWKS to publish must not`);
  });
  return parsed as Jwks;
}

/**
 * Check `--out` and say which directories to create: it must be a directory (or not exist yet),
 * and its nearest existing ancestor a writable directory.
 */
async function plannedDirectories(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  for (let depth = 0; depth < 256; depth++) {
    const info = await stat(current).catch((error: { code?: string }) => {
      // ENOTDIR: a file somewhere above; walking up finds it and says so.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw new UsageError(`--out: cannot use ${showPath(current)} (${error.code ?? 'error'})`);
    });
    if (info) {
      if (!info.isDirectory())
        throw new UsageError(
          `--out: ${showPath(current)} is ${current === dir ? 'a file' : 'a file, not a directory'}`,
        );
      try {
        await access(current, constants.W_OK | constants.X_OK);
      } catch (error) {
        throw new UsageError(
          `--out: ${showPath(current)} is not writable (${(error as { code?: string }).code ?? 'error'})`,
        );
      }
      return missing.reverse();
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw new UsageError(`--out: ${showPath(dir)} has no existing parent directory`);
}

/** A file-system failure while writing, as one line naming --out: exit code 2. */
function writeFailure(path: string, error: unknown): UsageError {
  return new UsageError(`--out: cannot write ${showPath(path)} (${(error as { code?: string }).code ?? 'error'})`);
}

async function keysGenerate(command: Extract<Command, { name: 'keys generate' }>, io: CliIo): Promise<number> {
  const { kid, force } = command;
  const dir = resolve(command.out);
  const pemPath = join(dir, `${kid}.pem`);
  const jwksPath = join(dir, 'jwks.json');

  // Every check before anything is written.
  const toCreate = await plannedDirectories(dir);
  const existing = toCreate.length > 0 ? { keys: [] } : await readJwks(jwksPath);
  const pemInfo = toCreate.length > 0 ? undefined : await stat(pemPath).catch(() => undefined);
  if (pemInfo && !pemInfo.isFile()) throw new UsageError(`--kid: ${showPath(pemPath)} exists and is not a file`);
  if (pemInfo && !force) throw new UsageError(`--kid: ${pemPath} exists; pass --force to replace it`);

  for (const path of toCreate) {
    try {
      await mkdir(path);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw writeFailure(path, error);
    }
  }
  // Written to temporary names in the same directory, then moved into place. The temporary files
  // are made before the (slow) key generation, so a directory that takes no files fails at once.
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const pemTemp = join(dir, `.${kid}.pem.${suffix}`);
  const jwksTemp = join(dir, `.jwks.json.${suffix}`);
  const cleanUp = () => Promise.all([unlink(pemTemp).catch(() => {}), unlink(jwksTemp).catch(() => {})]);
  try {
    try {
      await writeFile(pemTemp, '', { mode: 0o600, flag: 'wx' });
      await chmod(pemTemp, 0o600);
      await writeFile(jwksTemp, '', { flag: 'wx' });
    } catch (error) {
      throw writeFailure(dir, error);
    }
    const generated = await generateSigningKey(kid, 4096);
    const publicJwk = generated.jwks.keys[0];
    const jwks: Jwks = {
      keys: [...existing.keys.filter((key) => key.kid !== kid), ...(publicJwk ? [publicJwk] : [])],
    };
    try {
      await writeFile(pemTemp, generated.privateKeyPem, { mode: 0o600 });
      await writeFile(jwksTemp, `${JSON.stringify(jwks, null, 2)}\n`);
    } catch (error) {
      throw writeFailure(dir, error);
    }
    if (force) {
      await rename(pemTemp, pemPath).catch((error) => {
        throw writeFailure(pemPath, error);
      });
    } else {
      // link() never replaces: a key that appeared meanwhile is kept.
      await link(pemTemp, pemPath).catch((error: { code?: string }) => {
        if (error.code === 'EEXIST') throw new UsageError(`--kid: ${pemPath} exists; pass --force to replace it`);
        throw writeFailure(pemPath, error);
      });
    }
    await rename(jwksTemp, jwksPath).catch((error) => {
      throw writeFailure(jwksPath, error);
    });
  } finally {
    await cleanUp();
  }
  io.stdout.write(`${pemPath}\n${jwksPath}\n`);
  return 0;
}

async function tokenSpine(command: Extract<Command, { name: 'token spine' }>, io: CliIo): Promise<number> {
  const jwt = createSpineJwt({
    issuer: command.issuer,
    audience: command.audience,
    asid: command.asid,
    odsCode: command.odsCode,
    userRoleProfileId: command.userRoleProfileId,
    scope: command.scope,
    ...(command.reason ? { reasonForRequest: command.reason as ReasonForRequest } : {}),
    ...(command.scopeClaim ? { scopeClaim: command.scopeClaim } : {}),
  });
  io.stdout.write(`${jwt}\n`);
  return 0;
}

async function tokenApp(
  command: Extract<Command, { name: 'token app' }>,
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> {
  let passphrase: string | undefined;
  if (command.passphraseEnv !== undefined) {
    passphrase = env[command.passphraseEnv];
    if (!passphrase) throw new UsageError(`--passphrase-env: ${command.passphraseEnv} is not set`);
  }
  const pem = await readBounded(command.keyPath, '--key');
  let signingKey: SigningKey;
  try {
    signingKey = loadSigningKey(pem, command.kid, passphrase);
  } catch (error) {
    const message = (error as Error).message;
    const hint = /encrypted; pass its passphrase/.test(message) ? ' with --passphrase-env <name>' : '';
    throw new UsageError(`--key: ${message}${hint}`);
  }
  const auth = new ApplicationRestrictedAuth({
    apiKey: command.apiKey,
    signingKey,
    environment: command.env,
    timeoutMs: command.timeoutSeconds * 1000,
    ...(command.lifetime !== undefined ? { assertionLifetimeSeconds: command.lifetime } : {}),
  });
  io.stdout.write(`${await auth.getAccessToken()}\n`);
  return 0;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}

/** Longest line the CLI writes for an error. */
const MAX_ERROR_LINE = 400;

/** One line, control characters removed, cut short. */
function oneLine(text: string): string {
  const line = [...text]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line;
}

/**
 * Run the CLI; returns the exit code (0 ok, 1 the call failed, 2 bad usage). `nhs-fhir sandbox` returns
 * when it is stopped (SIGINT or SIGTERM, or `deps.untilStopped`).
 */
export async function main(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
  deps: SandboxDeps = {},
): Promise<number> {
  const name = commandName(argv);
  const fail = (message: string, code: number) => {
    io.stderr.write(`${name}: ${oneLine(message)}\n`);
    return code;
  };
  try {
    const command = parseCommand(argv);
    switch (command.name) {
      case 'help':
        io.stdout.write(command.text);
        return 0;
      case 'version':
        io.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'keys generate':
        return await keysGenerate(command, io);
      case 'token spine':
        return await tokenSpine(command, io);
      case 'token app':
        return await tokenApp(command, io, env);
      case 'sandbox': {
        const read = (path: string, flag: string) =>
          readBounded(path, flag, flag === '--model' || flag === '--seed' ? MAX_SANDBOX_INPUT_BYTES : MAX_INPUT_BYTES);
        return await runSandbox(command, io, read, deps);
      }
      case 'specs changes':
        return await runSpecsChanges(command, io, env);
    }
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, 2);
    if (error instanceof InvalidAuthInputError) {
      const flag = FLAG_FOR_FIELD[error.field] ?? error.field;
      return fail(`${flag}: ${error.message.slice(error.field.length + 2)}`, 2);
    }
    if (error instanceof AuthTimeoutError) {
      const timeout = error as AuthTimeoutError;
      return fail(`${timeout.message} (--timeout to wait longer) [${timeout.code}]`, 1);
    }
    if (error instanceof NhsAuthError)
      return fail(`${error.message} [${error.code}]`, error.code === 'ERR_CLIENT_ASSERTION_LIFETIME' ? 2 : 1);
    return fail((error as Error)?.message?.split('\n')[0] ?? String(error), 1);
  }
}
