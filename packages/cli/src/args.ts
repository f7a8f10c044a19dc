import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the command was called: exit code 2. */
export class UsageError extends Error {
  /** Always `UsageError`, for messages and `instanceof`-free checks. */
  override readonly name = 'UsageError';
}

/** Longest piece of a value the CLI quotes back in an error. */
export const SHOWN_LENGTH = 40;

/** Longest piece of a path the CLI quotes back (paths are worth more of their length). */
export const SHOWN_PATH_LENGTH = 160;

/** A value as an error quotes it: JSON, cut to a short prefix with its length said. */
export function show(value: string, max = SHOWN_LENGTH): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
}

/** A path as an error quotes it. */
export function showPath(path: string): string {
  return show(path, SHOWN_PATH_LENGTH);
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/**
 * `--name -5` for a string option means the value -5, not a missing value followed by an option:
 * join such pairs as `--name=-5` so the value is checked (and reported as invalid) like any other.
 */
function joinNegativeNumbers(args: readonly string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Flag name from a node:util parseArgs message, cut short. */
function flagIn(message: string): string {
  const flag = /'(-{1,2}[^' ]*)/.exec(message)?.[1] ?? '';
  return flag.length > SHOWN_LENGTH ? `${flag.slice(0, SHOWN_LENGTH)}…` : flag;
}

/**
 * Parse one command's options strictly: unknown options, positionals, a flag without its value
 * and a flag given twice are all {@link UsageError}s. Throws nothing else.
 */
export function parseOptions<T extends OptionSpec>(
  args: readonly string[],
  options: T,
): Record<string, string | boolean | undefined> {
  const spec: OptionSpec = { ...options, help: { type: 'boolean', short: 'h' } };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinNegativeNumbers(args, spec),
      options: spec,
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
  } catch (error) {
    const e = error as Error & { code?: string };
    const message = String(e?.message ?? e);
    const flag = flagIn(message);
    if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${flag}`.trim());
    if (e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (/does not take an argument/.test(message)) throw new UsageError(`${flag || 'an option'} takes no value`);
      throw new UsageError(`${flag || 'an option'} needs a value`);
    }
    if (e?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const word = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`unexpected argument ${show(word)}`);
    }
    throw new UsageError('bad arguments');
  }
  const seen = new Map<string, number>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const count = (seen.get(token.name) ?? 0) + 1;
    seen.set(token.name, count);
    if (count > 1 && token.name !== 'help') throw new UsageError(`--${token.name} is given more than once`);
  }
  return parsed.values as Record<string, string | boolean | undefined>;
}

/** A required option: present and not empty. */
export function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) throw new UsageError(`missing --${name}`);
  return value;
}

/** A whole number of seconds within [min, max]; anything else (negative, decimal, text) is invalid. */
export function wholeSeconds(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^-?\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: whole seconds from ${min} to ${max}; got ${show(value)}`);
  return n;
}
