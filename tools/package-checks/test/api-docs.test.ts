// The API reference of every hand-written published package builds with TypeDoc's validation on and warnings as
// errors: an export without a doc comment, a link to nothing, or a type that is referenced but not documented fails
// here, within `npm test`. `npm run docs` writes the references; this only converts and validates, in this process
// (TypeDoc's API, no HTML). A package is checked when its typedoc.json does not turn off `treatWarningsAsErrors`:
// the generated model packages do (their comments come from the profiles), and so does a package whose exports
// are not all documented yet; it is checked from the commit that removes its override.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { Application, ConsoleLogger, Logger, LogLevel, TSConfigReader, TypeDocReader } from 'typedoc';
import { describe, expect, it } from 'vitest';
import { type PublishedPackage, publishedPackages } from '../src/published.js';

/**
 * Keeps every warning and error TypeDoc reports, with the source position ConsoleLogger adds, and counts them as
 * the base Logger does, instead of printing them.
 */
class CollectingLogger extends ConsoleLogger {
  readonly messages: string[] = [];
  override log(message: string, level: Exclude<LogLevel, LogLevel.None>): void {
    Logger.prototype.log.call(this, message, level);
    if (level >= LogLevel.Warn) this.messages.push(stripVTControlCharacters(message));
  }
}

/** What TypeDoc reports on the package in `dir`, run as `typedoc --options typedoc.json --emit none` would. */
async function apiDocProblems(dir: string): Promise<string[]> {
  const app = await Application.bootstrapWithPlugins({ options: join(dir, 'typedoc.json') }, [
    new TypeDocReader(),
    new TSConfigReader(),
  ]);
  if (app.logger.hasErrors()) return [`${dir}/typedoc.json: TypeDoc could not read its options`];
  const logger = new CollectingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (project === undefined) return [...logger.messages, 'TypeDoc converted nothing'];
  app.validate(project);
  return logger.hasErrors() || logger.hasWarnings() ? logger.messages : [];
}

/** The published packages whose typedoc.json keeps the base's `treatWarningsAsErrors: true`. */
function documentedPackages(): PublishedPackage[] {
  return publishedPackages().filter((pkg) => {
    const options = JSON.parse(readFileSync(join(pkg.dir, 'typedoc.json'), 'utf8')) as {
      treatWarningsAsErrors?: boolean;
    };
    return options.treatWarningsAsErrors !== false;
  });
}

const checked = documentedPackages();

describe('the API reference of every hand-written published package', () => {
  it('is checked for at least the packages documented so far', () => {
    expect(checked.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining([
        '@nhs-fhir/cli',
        '@nhs-fhir/client',
        '@nhs-fhir/cp-is',
        '@nhs-fhir/patient-flags',
        '@nhs-fhir/pds',
        '@nhs-fhir/reasonable-adjustments',
        '@nhs-fhir/sandbox',
        '@nhs-fhir/validation',
      ]),
    );
  });

  it.each(checked.map((pkg) => [pkg.name, pkg.dir]))('%s: TypeDoc reports nothing', async (_name, dir) => {
    expect(await apiDocProblems(dir)).toEqual([]);
  });
});

describe('the check on a package with an undocumented export', () => {
  it('fails, naming the export', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/undocumented-package', import.meta.url));
    expect(await apiDocProblems(fixture)).toEqual([
      '[warning] undocumented (CallSignature), defined in @nhs-fhir-fixture/undocumented/src/index.ts, ' +
        'does not have any documentation',
    ]);
  });
});
