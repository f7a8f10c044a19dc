import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths } from '@nhs-fhir/specs';
import { loadPackageGraph } from '../src/load/package-graph.js';
import { loadWorkspaceSpecs, type WorkspaceSpecs } from '../src/load/workspace-specs.js';
import { generateProfiles, isProfileDefinition } from '../src/pipeline/generate-profiles.js';
import { profileTypeName } from '../src/model/profile-model.js';

let specs: WorkspaceSpecs;
beforeAll(async () => {
  specs = await loadWorkspaceSpecs(defaultSpecPaths(), 'frozen');
}, 120_000);

/**
 * The three profile packages as their generate targets build them (without validator tables, which the validation tests
 * cover).
 */
const PACKAGES = [
  ['@nhs-fhir/uk-core', ['fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release'], '@nhs-fhir/r4', 153, 8],
  ['@nhs-fhir/nhs-england', ['uk.nhsengland.r4#0.0.1', 'fhir.r4.nhsengland.stu1#1.3.0'], '@nhs-fhir/r4', 45, 36],
  [
    '@nhs-fhir/reasonable-adjustments-stu3',
    ['nhsconnect.stu3.rarecord#0.0.0-develop.4543c05'],
    '@nhs-fhir/stu3',
    12,
    4,
  ],
] as const;

describe.each(PACKAGES)('%s from the real packages', (_, sources, basePackage, profiles, support) => {
  test('every profile of the source packages has a type (none skipped), each in its own file, byte ' +
    'for byte the same on a second run', async () => {
    const graph = await loadPackageGraph(specs.store, sources[0]);
    const generated = generateProfiles(graph, { sources: [...sources], basePackage });
    expect(generated.skipped).toEqual([]);
    const definitions = graph.closure
      .filter((pkg) => (sources as readonly string[]).includes(pkg.key))
      .flatMap((pkg) => pkg.resources.filter(isProfileDefinition));
    expect(generated.models.map((model) => model.url).sort()).toEqual(
      [...new Set(definitions.map((definition) => definition.url!))].sort(),
    );
    expect(generated.models).toHaveLength(profiles);
    expect(generated.support).toHaveLength(support);
    for (const model of [...generated.models, ...generated.support]) {
      expect(model.name).toBe(profileTypeName(model.sdName));
      expect(generated.files.get(`${model.name}.ts`)).toContain(`// ${model.url}`);
    }
    const again = generateProfiles(await loadPackageGraph(specs.store, sources[0]), {
      sources: [...sources],
      basePackage,
    });
    expect([...again.files]).toEqual([...generated.files]);
  }, 120_000);
});

test('UK Core Patient: the NHS number slice and the ethnicCategory extension are in the registry', async () => {
  const graph = await loadPackageGraph(specs.store, 'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release');
  const registry = generateProfiles(graph, { basePackage: '@nhs-fhir/r4' }).files.get('registry.ts')!;
  expect(registry).toContain(
    `nhsNumber: [{"path":"system","value":"https://fhir.nhs.uk/Id/nhs-number","pattern":false}]`,
  );
  expect(registry).toContain(
    `ethnicCategory: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory'`,
  );
}, 120_000);
