import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  ApplicationRestrictedAuth,
  createSpineJwt,
  generateSigningKey,
  InvalidAuthInputError,
  loadSigningKey,
  NhsAuthError,
  type Jwks,
  type ReasonForRequest,
  type SigningKey,
} from '@nhs-fhir/auth';

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** A mistake in how the command was called: exit code 2. */
class UsageError extends Error {}

const HELP = {
  top: `Usage: nhs-fhir <command> [options]

Commands:
  keys generate   make an RSA 4096 signing key and its JWKS for API Platform onboarding
  token spine     print a Spine Core JWT (unsecured, for Spine-direct APIs)
  token app       print an API Platform access token (application-restricted, signed JWT)

Run nhs-fhir <command> --help for its options.
`,
  keys: `Usage: nhs-fhir keys generate --kid <kid> --out <dir> [--force]

Writes <dir>/<kid>.pem (RSA 4096 private key, PKCS#8 PEM, mode 0600) and <dir>/jwks.json
(the public key with kid, alg RS512, use sig; an existing jwks.json keeps its other keys).

  --kid <kid>    key id: letters, digits, '.', '_' and '-'
  --out <dir>    directory to write to (created if missing)
  --force        replace an existing <kid>.pem
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
};

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    const e = error as Error & { code?: string };
    const flag = /'(-{1,2}[^' ]+)/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag ?? ''}`.trim());
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${flag ?? 'an option'} needs a value`);
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
      throw new UsageError(`unexpected argument ${/'([^']+)'/.exec(e.message)?.[1] ?? ''}`.trim());
    throw new UsageError(e.message.split('\n')[0] ?? 'bad arguments');
  }
}

function required(values: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const value = values[name];
    if (typeof value !== 'string' || value.length === 0) throw new UsageError(`missing --${name}`);
  }
}

const KID = /^[A-Za-z0-9._-]{1,128}$/;

async function keysGenerate(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { kid: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
  if (values.help) return help(io, HELP.keys);
  required(values, ['kid', 'out']);
  const kid = values.kid as string;
  if (!KID.test(kid) || kid === '.' || kid === '..')
    throw new UsageError(`--kid: use letters, digits, '.', '_' and '-' only; got ${JSON.stringify(kid)}`);
  const dir = resolve(values.out as string);
  await mkdir(dir, { recursive: true });
  const pemPath = join(dir, `${kid}.pem`);
  const jwksPath = join(dir, 'jwks.json');

  let jwks: Jwks = { keys: [] };
  try {
    const existing = JSON.parse(await readFile(jwksPath, 'utf8')) as Jwks;
    if (!Array.isArray(existing.keys)) throw new Error('no keys array');
    jwks = existing;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT')
      throw new UsageError(`--out: ${jwksPath} exists but is not a JWKS`);
  }

  // Checked before the (slow) key generation; the 'wx' flag below still guards against a race.
  if (!values.force && (await stat(pemPath).catch(() => undefined)))
    throw new UsageError(`--kid: ${pemPath} exists; pass --force to replace it`);
  const generated = await generateSigningKey(kid, 4096);
  try {
    await writeFile(pemPath, generated.privateKeyPem, { mode: 0o600, flag: values.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST')
      throw new UsageError(`--kid: ${pemPath} exists; pass --force to replace it`);
    throw error;
  }
  await chmod(pemPath, 0o600);
  const publicJwk = generated.jwks.keys[0];
  jwks = { keys: [...jwks.keys.filter((key) => key.kid !== kid), ...(publicJwk ? [publicJwk] : [])] };
  await writeFile(jwksPath, `${JSON.stringify(jwks, null, 2)}\n`);
  io.stdout.write(`${pemPath}\n${jwksPath}\n`);
  return 0;
}

async function tokenSpine(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    iss: { type: 'string' },
    aud: { type: 'string' },
    asid: { type: 'string' },
    ods: { type: 'string' },
    user: { type: 'string' },
    scope: { type: 'string' },
    reason: { type: 'string' },
    'scope-claim': { type: 'string' },
  });
  if (values.help) return help(io, HELP.spine);
  required(values, ['iss', 'aud', 'asid', 'ods', 'user', 'scope']);
  const claim = values['scope-claim'];
  if (claim !== undefined && claim !== 'scope' && claim !== 'requested_scope')
    throw new UsageError('--scope-claim: scope or requested_scope');
  const jwt = createSpineJwt({
    issuer: values.iss as string,
    audience: values.aud as string,
    asid: values.asid as string,
    odsCode: values.ods as string,
    userRoleProfileId: values.user as string,
    scope: values.scope as string,
    ...(values.reason ? { reasonForRequest: values.reason as ReasonForRequest } : {}),
    ...(claim ? { scopeClaim: claim } : {}),
  });
  io.stdout.write(`${jwt}\n`);
  return 0;
}

async function tokenApp(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    env: { type: 'string' },
    'api-key': { type: 'string' },
    key: { type: 'string' },
    kid: { type: 'string' },
    lifetime: { type: 'string' },
  });
  if (values.help) return help(io, HELP.app);
  required(values, ['env', 'api-key', 'key', 'kid']);
  let lifetime: number | undefined;
  if (values.lifetime !== undefined) {
    lifetime = Number(values.lifetime);
    if (!/^\d+$/.test(values.lifetime) || lifetime < 1 || lifetime > 300)
      throw new UsageError(`--lifetime: whole seconds from 1 to 300; got ${JSON.stringify(values.lifetime)}`);
  }
  let pem: Buffer;
  try {
    pem = await readFile(values.key as string);
  } catch (error) {
    throw new UsageError(
      `--key: cannot read ${values.key as string} (${(error as { code?: string }).code ?? 'error'})`,
    );
  }
  let signingKey: SigningKey;
  try {
    signingKey = loadSigningKey(pem, values.kid as string);
  } catch (error) {
    throw new UsageError(`--key: ${(error as Error).message}`);
  }
  const auth = new ApplicationRestrictedAuth({
    apiKey: values['api-key'] as string,
    signingKey,
    environment: values.env as string,
    ...(lifetime !== undefined ? { assertionLifetimeSeconds: lifetime } : {}),
  });
  io.stdout.write(`${await auth.getAccessToken()}\n`);
  return 0;
}

function help(io: CliIo, text: string): number {
  io.stdout.write(text);
  return 0;
}

/** Run the CLI; returns the exit code (0 ok, 1 the call failed, 2 bad usage). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, second, ...rest] = argv;
  const command = [first, second].filter((word) => word !== undefined && !word.startsWith('-')).join(' ');
  const name = `nhs-fhir${command ? ` ${command}` : ''}`;
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') return help(io, HELP.top);
    if (first === 'keys' && second === 'generate') return await keysGenerate(rest, io);
    if (first === 'token' && second === 'spine') return await tokenSpine(rest, io);
    if (first === 'token' && second === 'app') return await tokenApp(rest, io);
    if (first === 'keys' && (second === undefined || second === '--help' || second === '-h'))
      return help(io, HELP.keys);
    if (first === 'token' && (second === undefined || second === '--help' || second === '-h'))
      return help(io, `${HELP.spine}\n${HELP.app}`);
    throw new UsageError(
      `unknown command ${JSON.stringify([first, second].filter(Boolean).join(' '))}; see nhs-fhir --help`,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InvalidAuthInputError) {
      const flag = FLAG_FOR_FIELD[error.field] ?? error.field;
      io.stderr.write(`${name}: ${flag}: ${error.message.slice(error.field.length + 2)}\n`);
      return 2;
    }
    if (error instanceof NhsAuthError) {
      io.stderr.write(`${name}: ${error.message.replace(/\s+/g, ' ')} [${error.code}]\n`);
      return error.code === 'ERR_CLIENT_ASSERTION_LIFETIME' ? 2 : 1;
    }
    io.stderr.write(`${name}: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
    return 1;
  }
}
