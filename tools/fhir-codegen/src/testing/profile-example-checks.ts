import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExampleInput } from './example-checks.js';
import { strictConsumerTsconfig } from './example-checks.js';

export interface ProfileExampleCheckFiles {
  /** Examples written as typed constants: the type is the declared profile's, else the base resource's. */
  written: { source: string; file: string; type: string }[];
  /** Examples whose `resourceType` the base package does not have. */
  unknownType: { source: string; resourceType: string }[];
}

/**
 * Writes each example as `export const example: <Type> = {...}` in its own file under `dir`: `<Type>` is
 * the profile type of the first `meta.profile` this package has a type for, else the base resource
 * type. `tsc -p dir` then checks them as a user's code would (excess property checks included).
 */
export async function writeProfileExampleChecks(
  dir: string,
  packageName: string,
  basePackage: string,
  profileTypeNames: Readonly<Record<string, string>>,
  resourceTypes: ReadonlySet<string>,
  examples: readonly ExampleInput[],
): Promise<ProfileExampleCheckFiles> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const result: ProfileExampleCheckFiles = { written: [], unknownType: [] };
  await Promise.all(
    examples.map(async (example, position) => {
      const resourceType = String(example.json['resourceType']);
      const meta = example.json['meta'] as { profile?: unknown } | undefined;
      const declared = Array.isArray(meta?.profile)
        ? meta.profile.map((url) => profileTypeNames[String(url).split('|')[0]!]).find((name) => name !== undefined)
        : undefined;
      if (declared === undefined && !resourceTypes.has(resourceType)) {
        result.unknownType.push({ source: example.source, resourceType });
        return;
      }
      const file = `example-${String(position).padStart(4, '0')}.ts`;
      const type = declared ?? resourceType;
      const from = declared !== undefined ? packageName : basePackage;
      await writeFile(
        join(dir, file),
        `// ${example.source}\nimport type { ${type} } from '${from}';\n\n` +
          `export const example: ${type} = ${JSON.stringify(example.json, null, 2)};\n`,
      );
      result.written.push({ source: example.source, file, type });
    }),
  );
  result.written.sort((a, b) => (a.file < b.file ? -1 : 1));
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(strictConsumerTsconfig(['*.ts']), null, 2)}\n`);
  return result;
}
