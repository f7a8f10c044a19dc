import { beforeAll, describe, expect, test } from 'vitest';
import { defaultSpecPaths, isRecord, syncSpecs } from '@nhs-fhir/specs';
import { loadPackageGraph, type PackageGraph } from '../src/load/package-graph.js';
import { PackageStore, type PackageResource } from '../src/load/package-store.js';
import { buildSnapshots, snapshotBuilder, type SnapshotBatch } from '../src/snapshot/build-snapshot.js';
import { elementTypes, maxOf, minOf, type ElementDefinition } from '../src/fhir/index.js';

// UK Core and NHS England ship differentials only: there is no snapshot to compare with. Every profile and
// extension is built, and the result is held to the invariants a correct snapshot has.

const UK_CORE = 'fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release';
const NHSE_STU1 = 'fhir.r4.nhsengland.stu1#1.3.0';
const NHSE = 'uk.nhsengland.r4#0.0.1';
const KEYS = [UK_CORE, NHSE_STU1, NHSE];

interface Built {
  graph: PackageGraph;
  profiles: PackageResource[];
  batch: SnapshotBatch;
}
const built = new Map<string, Built>();
let buildMs = 0;

beforeAll(async () => {
  const paths = defaultSpecPaths();
  expect(paths.mirror, 'the real specs mirror (../shared/specs or SPECS_MIRROR) must be present').toBeDefined();
  const { manifest } = await syncSpecs({ paths, mode: 'frozen' });
  const store = new PackageStore(paths.cache, manifest);
  const graphs = await Promise.all(KEYS.map((key) => loadPackageGraph(store, key)));
  const started = performance.now();
  graphs.forEach((graph, at) => {
    const profiles = graph.root.resources.filter(
      (resource) => resource.resourceType === 'StructureDefinition' && resource.json['derivation'] === 'constraint',
    );
    built.set(KEYS[at]!, { graph, profiles, batch: buildSnapshots(profiles, graph.index) });
  });
  buildMs = performance.now() - started;
}, 120_000);

const each = (): [string, PackageResource, ElementDefinition[], Built][] =>
  [...built].flatMap(([key, entry]) =>
    entry.profiles.map((profile): [string, PackageResource, ElementDefinition[], Built] => [
      key,
      profile,
      entry.batch.snapshots.get(profile.url!)!,
      entry,
    ]),
  );

const idOf = (element: ElementDefinition): string => String(element['id']);
const sliceNameOf = (element: ElementDefinition): string | undefined =>
  typeof element['sliceName'] === 'string' ? element['sliceName'] : undefined;
const differentialOf = (profile: PackageResource): ElementDefinition[] => {
  const differential = profile.json['differential'];
  return isRecord(differential) && Array.isArray(differential['element'])
    ? differential['element'].filter(isRecord)
    : [];
};

/** The snapshot a profile was built on, from the same builder (so the same bases). */
function baseSnapshotOf(profile: PackageResource, entry: Built): ElementDefinition[] {
  const base = entry.graph.index.resolve(String(profile.json['baseDefinition']))!;
  return snapshotBuilder(entry.graph.index).build(base).elements;
}

/** The profile an element is typed with, when it names exactly one (an extension definition, a datatype profile). */
const typeProfileOf = (element: ElementDefinition): string | undefined => {
  const profiles = elementTypes(element).flatMap((type) => type.profiles);
  return profiles.length === 1 ? profiles[0] : undefined;
};

/**
 * The min of a slice that came with an unfolded profile (`X.extension:a.extension:b` from extension a's own snapshot).
 */
function unfoldedMin(id: string, byId: Map<string, ElementDefinition>, entry: Built): number | undefined {
  for (let dot = id.lastIndexOf('.'); dot > 0; dot = id.lastIndexOf('.', dot - 1)) {
    const ancestor = byId.get(id.slice(0, dot));
    const url = ancestor === undefined ? undefined : typeProfileOf(ancestor);
    const resource = url === undefined ? undefined : entry.graph.index.resolve(url);
    if (resource === undefined) continue;
    const elements = snapshotBuilder(entry.graph.index).build(resource).elements;
    const source = elements.find((element) => idOf(element) === `${idOf(elements[0]!)}${id.slice(dot)}`);
    return source === undefined ? undefined : minOf(source);
  }
  return undefined;
}

/** A slice typed with an extension definition whose root requires it (min 1) starts at that min. */
function extensionRootMin(element: ElementDefinition, entry: Built): number | undefined {
  const url = elementTypes(element).some((type) => type.code === 'Extension') ? typeProfileOf(element) : undefined;
  const resource = url === undefined ? undefined : entry.graph.index.resolve(url);
  return resource === undefined ? undefined : minOf(snapshotBuilder(entry.graph.index).build(resource).elements[0]!);
}

describe('snapshots of every UK Core and NHS England profile and extension', () => {
  test('all 198 build, with no errors and one upstream defect reported, in a few seconds', () => {
    expect(KEYS.map((key) => [key, built.get(key)!.profiles.length, built.get(key)!.batch.snapshots.size])).toEqual([
      [UK_CORE, 153, 153],
      [NHSE_STU1, 5, 5],
      [NHSE, 40, 40],
    ]);
    expect(KEYS.flatMap((key) => built.get(key)!.batch.errors.map((error) => error.message))).toEqual([]);
    expect(
      KEYS.flatMap((key) =>
        built
          .get(key)!
          .batch.warnings.map(
            (warning) =>
              `${warning.code} ${warning.input}: ${warning.profile}: ${String(warning.element)}: ${warning.message}`,
          ),
      ),
    ).toEqual([
      // The differential's id says `CollectorR5`, its sliceName `collectorR5`: the id is derived from the sliceName
      // (ElementDefinition.id rules).
      'ID_SLICE_MISMATCH fhir.r4.ukcore.stu3.currentbuild#0.22.0-pre-release: StructureDefinition ' +
        'UKCore-Specimen: Specimen.collection.extension:CollectorR5: the id names slice CollectorR5 ' +
        'but sliceName is collectorR5; the sliceName is used',
    ]);
    console.log(
      `snapshots: built ${each().length} UK Core and NHS England profiles and extensions in ${Math.round(buildMs)} ms`,
    );
  });

  test('every element has min <= max, and ids are unique', () => {
    const bad: string[] = [];
    for (const [key, profile, elements] of each()) {
      const seen = new Set<string>();
      for (const element of elements) {
        const [min, max] = [minOf(element), maxOf(element)];
        if (min === undefined || max === undefined || min > max)
          bad.push(`${key} ${String(profile.id)} ${idOf(element)} ${String(min)}..${String(element['max'])}`);
        if (seen.has(idOf(element))) bad.push(`${key} ${String(profile.id)} ${idOf(element)} twice`);
        seen.add(idOf(element));
      }
    }
    expect(bad).toEqual([]);
  });

  test('every slice follows its sliced element, which has a slicing', () => {
    const bad: string[] = [];
    for (const [key, profile, elements] of each()) {
      elements.forEach((element, at) => {
        const sliceName = sliceNameOf(element);
        if (sliceName === undefined) return;
        const id = idOf(element);
        // A re-slice `a/b` belongs to slice `a`; a slice `s` to the element of the id before `:s`.
        const slash = sliceName.lastIndexOf('/');
        const owner =
          slash === -1
            ? id.slice(0, id.length - sliceName.length - 1)
            : id.slice(0, id.length - sliceName.length + slash);
        const sliced = elements.findIndex((candidate) => idOf(candidate) === owner);
        if (sliced === -1 || sliced > at)
          bad.push(`${key} ${String(profile.id)} ${id}: no sliced element ${owner} before it`);
        else if (!isRecord(elements[sliced]!['slicing']))
          bad.push(`${key} ${String(profile.id)} ${id}: ${owner} has no slicing`);
      });
    }
    expect(bad).toEqual([]);
  });

  test(
    'no slice takes its min from the sliced element: its own differential, else where it was ' +
      'defined (base profile, extension definition), else 0',
    () => {
      const bad: string[] = [];
      let slices = 0;
      for (const [key, profile, elements, entry] of each()) {
        const differential = new Map(differentialOf(profile).map((element) => [String(element['id']), element]));
        const base = new Map(baseSnapshotOf(profile, entry).map((element) => [idOf(element), element]));
        const byId = new Map(elements.map((element) => [idOf(element), element]));
        for (const element of elements) {
          if (sliceNameOf(element) === undefined) continue;
          slices++;
          const id = idOf(element);
          const want =
            minOf(differential.get(id) ?? {}) ??
            minOf(base.get(id) ?? {}) ??
            unfoldedMin(id, byId, entry) ??
            extensionRootMin(element, entry) ??
            0;
          if (minOf(element) !== want)
            bad.push(`${key} ${String(profile.id)} ${id}: min ${String(element['min'])}, want ${want}`);
        }
      }
      expect(bad).toEqual([]);
      expect(slices).toBe(452);
    },
  );

  test('UK Core Patient: the NHS number slice is 0..1 with its system fixed, whatever Patient.identifier says', () => {
    const [, , elements] = each().find(
      ([, profile]) => profile.url === 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient',
    )!;
    const byId = new Map(elements.map((element) => [idOf(element), element]));
    expect(byId.get('Patient.identifier')?.['slicing']).toMatchObject({
      discriminator: [{ type: 'value', path: 'system' }],
    });
    expect(byId.get('Patient.identifier:nhsNumber')).toMatchObject({
      path: 'Patient.identifier',
      sliceName: 'nhsNumber',
      min: 0,
      max: '1',
    });
    expect(byId.get('Patient.identifier:nhsNumber.system')).toMatchObject({
      min: 1,
      fixedUri: 'https://fhir.nhs.uk/Id/nhs-number',
    });
    expect(byId.get('Patient.identifier:nhsNumber.value')).toMatchObject({ min: 1 });
  });

  test('extension slices on elements the base did not slice carry the default url discriminator, open', () => {
    const bad: string[] = [];
    let defaulted = 0;
    for (const [key, profile, elements, entry] of each()) {
      const differential = new Map(differentialOf(profile).map((element) => [String(element['id']), element]));
      const base = new Map(baseSnapshotOf(profile, entry).map((element) => [idOf(element), element]));
      const sliced = new Set(
        elements
          .filter((element) => sliceNameOf(element) !== undefined)
          .map((element) => idOf(element).slice(0, idOf(element).lastIndexOf(':'))),
      );
      for (const element of elements) {
        const id = idOf(element);
        if (!/\.(extension|modifierExtension)$/.test(String(element['path'])) || !sliced.has(id)) continue;
        const discriminators = isRecord(element['slicing']) ? element['slicing']['discriminator'] : undefined;
        if (
          !Array.isArray(discriminators) ||
          !discriminators.some(
            (discriminator) =>
              isRecord(discriminator) && discriminator['type'] === 'value' && discriminator['path'] === 'url',
          )
        )
          bad.push(`${key} ${String(profile.id)} ${id}: not sliced by url`);
        if (differential.get(id)?.['slicing'] !== undefined || base.get(id)?.['slicing'] !== undefined) continue;
        // Neither this profile nor its base sliced it here (R4 datatypes, unfolded, say so themselves, with a
        // description).
        defaulted++;
        const { description: _description, ...slicing } = element['slicing'] as Record<string, unknown>;
        if (
          JSON.stringify(slicing) !== JSON.stringify({ discriminator: [{ type: 'value', path: 'url' }], rules: 'open' })
        )
          bad.push(`${key} ${String(profile.id)} ${id}: ${JSON.stringify(element['slicing'])}`);
      }
    }
    expect(bad).toEqual([]);
    expect(defaulted).toBeGreaterThan(0);
  });

  test('slices inside contained: the Patient Flag carries its Provenance as a typed, profiled contained slice', () => {
    const [, , elements] = each().find(
      ([, profile]) => profile.url === 'https://fhir.nhs.uk/England/StructureDefinition/England-Flag-PatientFlag',
    )!;
    const byId = new Map(elements.map((element) => [idOf(element), element]));
    expect(byId.get('Flag.contained')?.['slicing']).toEqual({
      discriminator: [{ type: 'type', path: '$this' }],
      rules: 'open',
    });
    expect(byId.get('Flag.contained:provenance')).toMatchObject({
      min: 0,
      max: '1',
      type: [
        { code: 'Provenance', profile: ['https://fhir.nhs.uk/England/StructureDefinition/England-Provenance-Flag'] },
      ],
    });
  });
});
