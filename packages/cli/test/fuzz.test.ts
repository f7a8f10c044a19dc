// Generated command lines (fast-check, 10,000 each) for the argument parser: it may only return a
// command or throw UsageError, and `token spine` (no files, no network) may only exit 0 or 2 with
// at most one short line on stderr. A hang fails the test by its timeout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main, parseCommand, UsageError } from '../src/main.js';

const RUNS = 10_000;
/** Fixed, so a run is repeatable; set FUZZ_SEED to explore other inputs (a failure prints its seed). */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261205);
const TIMEOUT = 120_000;

const words = fc.constantFrom(
  'keys',
  'generate',
  'token',
  'app',
  'spine',
  'help',
  '--kid',
  '--out',
  '--force',
  '--env',
  '--api-key',
  '--key',
  '--lifetime',
  '--timeout',
  '--passphrase-env',
  '--iss',
  '--aud',
  '--asid',
  '--ods',
  '--user',
  '--scope',
  '--reason',
  '--scope-claim',
  '--help',
  '-h',
  '-v',
  '--version',
  '--',
  '-',
  '-5',
  '--lifetime=-5',
  '--force=yes',
  '--kid=',
  'int',
  '300',
  '0',
  '1e3',
  'https://clinicals.spineservices.nhs.uk/STU3/Flag',
  'user/Flag.read',
  'RR8',
  '200000000205',
  'x'.repeat(5000),
);
const arg = fc.oneof(words, words, fc.string(), fc.string({ unit: 'binary' }), fc.integer().map(String));
const prefix = fc.constantFrom<string[]>(
  [],
  ['keys', 'generate'],
  ['token', 'app'],
  ['token', 'spine'],
  ['keys'],
  ['token'],
);
const argv = fc.tuple(prefix, fc.array(arg, { maxLength: 16 })).map(([head, tail]) => [...head, ...tail]);

describe('parseCommand', () => {
  it(
    `returns a command or throws UsageError for ${RUNS} generated command lines`,
    () => {
      const seen = new Set<string>();
      fc.assert(
        fc.property(argv, (args) => {
          try {
            seen.add(parseCommand(args).name);
          } catch (error) {
            if (!(error instanceof UsageError)) throw error;
            expect(error.message.length).toBeLessThan(400);
            expect(error.message).not.toMatch(/\n/);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(seen.has('help')).toBe(true);
    },
    TIMEOUT,
  );

  it('a well-formed command line parses (the fuzz is not only refusals)', () => {
    expect(parseCommand(['keys', 'generate', '--kid', 'k', '--out', 'd', '--force'])).toEqual({
      name: 'keys generate',
      kid: 'k',
      out: 'd',
      force: true,
    });
  });
});

describe('main, token spine', () => {
  /** Mostly the right value, sometimes anything: so both the success and the refusal paths are hit. */
  const mostly = (value: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: value, weight: 9 }, { arbitrary: fc.string(), weight: 1 });
  const good = {
    '--iss': mostly(fc.constant('https://my-system.example.nhs.uk')),
    '--aud': mostly(fc.constant('https://clinicals.spineservices.nhs.uk/STU3/Flag')),
    '--asid': mostly(fc.constant('200000000205')),
    '--ods': mostly(fc.constant('RR8')),
    '--user': mostly(fc.constant('555254242105')),
    '--scope': mostly(fc.constantFrom('user/Flag.read', 'user/Consent.write')),
    '--reason': mostly(fc.constantFrom('directcare', 'secondaryuses')),
    '--scope-claim': mostly(fc.constantFrom('scope', 'requested_scope')),
  };
  const required = ['--iss', '--aud', '--asid', '--ods', '--user', '--scope'] as const;
  const flags = fc
    .tuple(
      fc.record(good, { requiredKeys: [...required] }),
      fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.array(arg, { maxLength: 3 }), weight: 1 }),
      fc.boolean(),
    )
    .chain(([values, extra, dropOne]) =>
      fc
        .shuffledSubarray(Object.entries(values), { minLength: Object.keys(values).length - (dropOne ? 1 : 0) })
        .map((pairs) => [...pairs.flat(), ...extra]),
    );

  it(
    `exits 0 with a JWT or 2 with one short line, for ${RUNS} generated command lines`,
    async () => {
      let printed = 0;
      await fc.assert(
        fc.asyncProperty(flags, async (args) => {
          let stdout = '';
          let stderr = '';
          const code = await main(['token', 'spine', ...args], {
            stdout: { write: (t: string) => (stdout += t) },
            stderr: { write: (t: string) => (stderr += t) },
          });
          if (code === 0 && stdout.startsWith('Usage: ')) {
            expect(args).toSatisfy((a: string[]) => a.includes('--help') || a.includes('-h'));
          } else if (code === 0) {
            printed++;
            expect(stdout).toMatch(/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.\n$/);
            expect(stderr).toBe('');
          } else {
            expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
            expect(stderr.startsWith('nhs-fhir token spine: ')).toBe(true);
            expect(stderr.endsWith('\n')).toBe(true);
            expect(stderr.slice(0, -1)).not.toMatch(/\n/);
            expect(stderr.length).toBeLessThan(500);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      expect(printed).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
