import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths, isRecord, syncSpecs } from '@nhs-fhir/specs';
import { loadPackageGraph, type PackageGraph } from '../src/load/package-graph.js';
import { PackageStore, type PackageResource } from '../src/load/package-store.js';
import { snapshotBuilder } from '../src/snapshot/build-snapshot.js';
import { compareSnapshots, stu3ChoiceId } from '../src/snapshot/compare-snapshots.js';
import { elementTypes, type ElementDefinition } from '../src/fhir/index.js';

// The oracle: HL7 and NHS shipped snapshots for these profiles. Each is rebuilt from its differential, with the
// shipped snapshot thrown away (and every constraint base and extension definition rebuilt too), then compared
// on element ids (in order), cardinality, types, fixed/pattern values, slicing, bindings and constraint keys.
//
// Normalisations, applied to every profile alike (each writes the same snapshot two ways):
// - Forge (CareConnect, RARecord) unfolds datatype elements the differential never touches; where the shipped
//   snapshot lists such children, ours is unfolded the same way before comparing, so those children are compared too.
// - STU3 had no id rule for renamed choices (compareSnapshots: stu3ChoiceId); and an extension element without
//   slices is the same with or without the default url slicing.
// - Forge copies the root constraints of each element's type onto STU3 elements (ele-1, ref-1, per-1, sqty-1),
//   which the STU3 core snapshots do not: those keys are left out of the STU3 constraint comparison.

const R4_CORE = 'hl7.fhir.r4.core#4.0.1';
const CARECONNECT = 'uk.hl7.careconnect.stu3#0.0.0-assembled.20201125';
const RARECORD = 'nhsconnect.stu3.rarecord#0.0.0-develop.4543c05';

const RARECORD_STALE_EXTENSIONS =
  'the shipped snapshot unfolds these extension slices from the base Extension type (value[x] of every type, ' +
  'cardinality 0..*), not from their extension definitions: its generator did not have the CareConnect definitions. ' +
  'Ours unfolds the definitions the slices name (profiling rules: an element typed with a profile ' +
  'takes that profile) ' +
  '— Extension-coding-sctdescid 1.3.0 (root 0..1, sub-extensions descriptionId and ' +
  'descriptionDisplay, value[x] 0..0), ' +
  'Extension-CareConnect-ConditionEpisode-1 1.1.0 (valueCode), -ClinicalSetting-1 1.1.0 (valueCodeableConcept) and ' +
  '-ListWarningCode-1 1.2.0 (valueCode).';

/**
 * Where the shipped snapshot is itself wrong or inconsistent: the exact differences, and why. Anything else
 * that differs fails the test.
 */
const KNOWN_DIFFERENCES: Record<string, { why: string; differences: string[] }> = {
  [`${R4_CORE} http://hl7.org/fhir/StructureDefinition/clinicaldocument`]: {
    why:
      'Composition.extension:versionNumber is typed with ' +
      'composition-clinicaldocument-versionNumber, whose root is 0..1; ' +
      'the 4.0.1 publisher left the slice 0..* (the base Composition.extension cardinality). An ' +
      'extension cannot occur ' +
      'more often than its definition allows, so ours carries 0..1.',
    differences: ['cardinality Composition.extension:versionNumber: built 0.."1" shipped 0.."*"'],
  },
  [`${CARECONNECT} https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-DeathNotificationStatus-1`]: {
    why:
      'the differential root element says no max and the base Extension root is 0..*, yet the shipped snapshot root ' +
      'reads 0..1: the snapshot does not follow from its own differential (every other CareConnect extension that is ' +
      '0..1 says max 1 in its differential).',
    differences: ['cardinality Extension: built 0.."*" shipped 0.."1"'],
  },
  [`${RARECORD} https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-RARecord-Condition-1`]: {
    why: RARECORD_STALE_EXTENSIONS,
    differences: [
      // episodicity.valueCode replaces value[x]; 4 x 10 sub-extension elements (descriptionId, descriptionDisplay) of
      // sctdescid.
      'ids Condition.extension:episodicity.valueCode: 41 extra, 1 missing',
      ...['severity', 'code.coding:snomedCT', 'bodySite.coding:snomedCT', 'stage.summary.coding:snomedCT'].flatMap(
        (at) => {
          const slice = `Condition.${at === 'severity' ? 'severity.coding' : at}.extension:snomedCTDescriptionID`;
          return [
            `cardinality ${slice}: built 0.."1" shipped 0.."*"`,
            `slicing ${slice}.extension: built ` +
              `{"discriminator":[{"type":"value","path":"url"}],"rules":"open","ordered":false} shipped -`,
            `cardinality ${slice}.value[x]: built 0.."0" shipped 0.."1"`,
            `types ${slice}.value[x]`,
          ];
        },
      ),
    ],
  },
  [`${RARECORD} https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-RARecord-List-1`]: {
    why: RARECORD_STALE_EXTENSIONS,
    // clinicalSetting.valueCodeableConcept and warningCode.valueCode, where the shipped snapshot has value[x].
    differences: ['ids List.extension:clinicalSetting.valueCodeableConcept: 2 extra, 2 missing'],
  },
};

interface OracleCase {
  key: string;
  profile: PackageResource;
  graph: PackageGraph;
}

const graphs = new Map<string, PackageGraph>();
beforeAll(async () => {
  const paths = defaultSpecPaths();
  expect(paths.mirror, 'the real specs mirror (../shared/specs or SPECS_MIRROR) must be present').toBeDefined();
  const { manifest } = await syncSpecs({ paths, mode: 'frozen' });
  const store = new PackageStore(paths.cache, manifest);
  for (const key of [R4_CORE, CARECONNECT, RARECORD]) graphs.set(key, await loadPackageGraph(store, key));
}, 120_000);

/**
 * The profiles with a shipped snapshot to rebuild: R4 core's constraint profiles (not extensions), every CareConnect
 * and RARecord StructureDefinition.
 */
function oracleCases(): OracleCase[] {
  return [...graphs].flatMap(([key, graph]) =>
    graph.root.resources
      .filter(
        (resource) => resource.resourceType === 'StructureDefinition' && resource.json['derivation'] === 'constraint',
      )
      .filter((resource) => key !== R4_CORE || resource.json['type'] !== 'Extension')
      // Two R4 core examples (example-composition, example-section-library) ship no snapshot: nothing to compare.
      .filter((resource) => resource.json['snapshot'] !== undefined)
      .map((profile) => ({ key, profile, graph })),
  );
}

/**
 * One line per difference; for ids the first differing id and how many are extra and missing, for types (long lists)
 * the element alone.
 */
function differencesOf({ key, profile, graph }: OracleCase): string[] {
  const release = key === R4_CORE ? 'R4' : 'STU3';
  const shipped = (profile.json['snapshot'] as { element: ElementDefinition[] }).element;
  const builder = snapshotBuilder(graph.index, { ignoreShippedSnapshots: true });
  const built = builder.build(profile).elements;
  const canonical = (id: string): string => (release === 'STU3' ? stu3ChoiceId(id) : id);
  const shippedIds = shipped.map((element) => canonical(String(element['id'])));
  const builtIds = new Set(built.map((element) => canonical(String(element['id']))));
  const unfolded = builder.unfoldElements(profile, built, (id) =>
    shippedIds.some((shippedId) => shippedId.startsWith(`${canonical(id)}.`) && !builtIds.has(shippedId)),
  );
  return compareSnapshots(unfolded, shipped, {
    release,
    ...(release === 'STU3' ? { inheritedConstraints: typeRootConstraints(graph) } : {}),
  }).map((difference) =>
    difference.aspect === 'ids'
      ? `ids ${difference.element}: ${idCount(difference.built)} extra, ${idCount(difference.shipped)} missing`
      : difference.aspect === 'types'
        ? `types ${difference.element}`
        : `${difference.aspect} ${difference.element}: built ${difference.built} shipped ${difference.shipped}`,
  );
}

/**
 * ele-1 and the root constraints of an element's types and type profiles (ref-1 on a Reference, sqty-1 on a
 * SimpleQuantity): Forge copies them onto STU3 elements.
 */
const typeRootConstraints =
  (graph: PackageGraph) =>
  (element: ElementDefinition): ReadonlySet<string> => {
    const rootKeys = (canonical: string): string[] => {
      const snapshot = graph.index.resolve(
        canonical.includes('/') ? canonical : `http://hl7.org/fhir/StructureDefinition/${canonical}`,
      )?.json['snapshot'];
      const root = isRecord(snapshot) && Array.isArray(snapshot['element']) ? snapshot['element'][0] : undefined;
      return isRecord(root) && Array.isArray(root['constraint'])
        ? root['constraint'].map((constraint) => String(isRecord(constraint) ? constraint['key'] : ''))
        : [];
    };
    return new Set([
      'ele-1',
      ...elementTypes(element).flatMap((type) =>
        [type.code, ...type.profiles].filter((canonical) => canonical !== '').flatMap(rootKeys),
      ),
    ]);
  };

const idCount = (list: string): number => (list.endsWith(': -') || list === '' ? 0 : list.split(', ').length);

describe('snapshots rebuilt from differentials match the shipped ones', () => {
  test(
    'the oracle covers 46 R4 core constraint profiles, 89 CareConnect STU3 and 12 RARecord STU3 ' +
      'StructureDefinitions',
    () => {
      const count = (key: string) => oracleCases().filter((each) => each.key === key).length;
      expect([count(R4_CORE), count(CARECONNECT), count(RARECORD)]).toEqual([46, 89, 12]);
    },
  );

  test(
    'every profile matches, except the listed ones where the shipped snapshot is wrong, each by ' +
      'exactly its listed differences',
    () => {
      const found: Record<string, string[]> = {};
      for (const each of oracleCases()) {
        const differences = differencesOf(each);
        if (differences.length > 0) found[`${each.key} ${String(each.profile.url)}`] = differences;
      }
      const expected = Object.fromEntries(
        Object.entries(KNOWN_DIFFERENCES).map(([profile, known]) => [profile, known.differences]),
      );
      expect(found).toEqual(expected);
    },
  );

  test(
    'the vital signs chain: bp is built on vitalsigns built from its own differential, with the ' +
      'type slice and component slices',
    () => {
      const graph = graphs.get(R4_CORE)!;
      const bp = graph.index.resolve('http://hl7.org/fhir/StructureDefinition/bp')!;
      const ids = snapshotBuilder(graph.index, { ignoreShippedSnapshots: true })
        .build(bp)
        .elements.map((element) => String(element['id']));
      expect(ids).toEqual(
        expect.arrayContaining([
          'Observation.category:VSCat',
          'Observation.code.coding:BPCode',
          'Observation.component:SystolicBP',
          'Observation.component:SystolicBP.value[x]',
          'Observation.component:DiastolicBP.value[x].code',
        ]),
      );
    },
  );
});
