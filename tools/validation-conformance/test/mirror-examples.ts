import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { withoutFhirComments } from '@nhs-fhir/specs/testing';
import type { Validate } from '@nhs-fhir/validation';
import type { CompiledPackage } from './real-packages.js';

/** The Spine Reasonable Adjustments documentation examples, read from the mirror (they are in no package). */
const SPINE_EXAMPLES = 'examples/reasonable-adjustments-stu3-spine';

export interface MirrorExample {
  /**
   * `<package>/<file name>` (from package/example/), or `reasonable-adjustments-stu3-spine/<path>` (from the mirror).
   */
  source: string;
  json: unknown;
  /** The package whose tables it is validated with (the Spine examples: RARecord's). */
  key: string;
}

/**
 * Every example of the mirror the tests use: UK Core (with the profile its file name names), NHS England and
 * RARecord from their packages (the spec sync's cache), and the Spine RA documentation examples from the mirror.
 */
export async function mirrorExamples(packages: CompiledPackage[]): Promise<MirrorExample[]> {
  const examples: MirrorExample[] = packages.flatMap(({ key, examples: list }) =>
    list.map((example) => ({
      source: `${key}/${example.file.replace('package/example/', '')}`,
      json: example.json,
      key,
    })),
  );
  const mirror = defaultSpecPaths().mirror;
  const rarecord = packages.find(({ key }) => key.startsWith('nhsconnect.stu3.rarecord'));
  if (mirror !== undefined && rarecord !== undefined) {
    const dir = join(mirror, SPINE_EXAMPLES);
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    const files = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.startsWith('.'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    for (const file of files)
      examples.push({
        source: `${SPINE_EXAMPLES.replace('examples/', '')}/${relative(dir, file)}`,
        json: withoutFhirComments(JSON.parse(await readFile(file, 'utf8'))),
        key: rarecord.key,
      });
  }
  return examples;
}

/** The errors (and fatals) of one example, as `code expression`, sorted. */
export function errorsOf(validate: Validate, json: unknown): string[] {
  return validate(json)
    .issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
    .map((issue) => `${issue.code} ${issue.expression[0]}`)
    .sort();
}
