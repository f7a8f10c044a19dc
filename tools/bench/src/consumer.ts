import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** One set of FHIR R4 types that the consumer file is checked against. */
export interface ConsumerTarget {
  /** Short id, used for folder names: `nhs-fhir`, `types-fhir`, `medplum`. */
  id: string;
  /** What the table shows. */
  label: string;
  /** The package folder under the workspace's node_modules that the consumer imports. */
  packageDir: string;
  /** The one line that differs between targets: the same four names, from this target's module. */
  importLine: string;
}

export const CONSUMER_TARGETS: readonly ConsumerTarget[] = [
  {
    id: 'nhs-fhir',
    label: '@nhs-fhir/r4',
    packageDir: '@nhs-fhir/r4',
    importLine: "import type { AnyResource, Bundle, Observation, Patient } from '@nhs-fhir/r4';",
  },
  {
    id: 'types-fhir',
    label: '@types/fhir 0.0.44 (fhir/r4)',
    packageDir: '@types/fhir',
    // No exports map in @types/fhir: an ESM file under NodeNext must name the subpath with its extension.
    importLine: "import type { Bundle, FhirResource as AnyResource, Observation, Patient } from 'fhir/r4.js';",
  },
  {
    id: 'medplum',
    // 4.5.2: the newest release for Node 20 (5.x needs node ^22.18), as @medplum/core in the validation bench.
    label: '@medplum/fhirtypes 4.5.2',
    packageDir: '@medplum/fhirtypes',
    importLine: "import type { Bundle, Observation, Patient, Resource as AnyResource } from '@medplum/fhirtypes';",
  },
];

/**
 * What a user writes: build a Patient and an Observation, bundle them, narrow the resource union, follow a reference.
 */
export const CONSUMER_BODY = `
const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000009' }],
  name: [{ use: 'official', family: 'Smith', given: ['Jane'] }],
  gender: 'female',
  birthDate: '1990-01-31',
};

const observation: Observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: 'Patient/p1', display: 'Jane Smith' },
  effectiveDateTime: '2024-05-01T10:00:00Z',
  valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
};

const bundle: Bundle<AnyResource> = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [{ fullUrl: 'urn:uuid:p1', resource: patient }, { fullUrl: 'urn:uuid:o1', resource: observation }],
};

/** A line that names the resource, narrowed by its resourceType. */
function describe(resource: AnyResource): string {
  switch (resource.resourceType) {
    case 'Patient':
      return \`Patient \${resource.name?.[0]?.family ?? '?'} (\${resource.gender ?? 'unknown'})\`;
    case 'Observation':
      return \`Observation \${resource.code.coding?.[0]?.code ?? '?'} = \${resource.valueQuantity?.value ?? '?'}\`;
    default:
      return resource.resourceType;
  }
}

/** The bundle entry a relative reference (Type/id) points at, if the bundle holds it. */
function resolveReference(within: Bundle<AnyResource>, reference: string | undefined): AnyResource | undefined {
  const [type, id] = reference?.split('/') ?? [];
  return within.entry?.find((entry) => entry.resource?.resourceType === type && entry.resource?.id === id)?.resource;
}

const subject = resolveReference(bundle, observation.subject?.reference);
const subjectName = subject?.resourceType === 'Patient' ? subject.name?.[0]?.given?.[0] : undefined;
const lines: string[] = (bundle.entry ?? []).flatMap((entry) =>
  entry.resource === undefined ? [] : [describe(entry.resource)],
);
export const summary = { lines, subjectName };
`;

/** The consumer file for one target: its import line, then the shared body. */
export function consumerSource(target: ConsumerTarget): string {
  return `${target.importLine}\n${CONSUMER_BODY}`;
}

/** The tsconfig name for each skipLibCheck setting, so one folder serves both. */
export function tsconfigName(skipLibCheck: boolean): string {
  return skipLibCheck ? 'tsconfig.skip-lib-check.json' : 'tsconfig.check-lib.json';
}

/**
 * Writes a stand-alone consumer project in `dir`: an ESM package.json, the consumer file, a tsconfig per
 * skipLibCheck setting, and node_modules holding only a link to the target's package, so nothing else is loaded.
 */
export async function writeConsumerProject(
  dir: string,
  target: ConsumerTarget,
  workspaceNodeModules: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${target.id}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  await writeFile(join(dir, 'consumer.ts'), consumerSource(target));
  for (const skipLibCheck of [true, false]) {
    const compilerOptions = {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck,
      // No ambient @types: each consumer loads only what it imports.
      types: [],
    };
    await writeFile(
      join(dir, tsconfigName(skipLibCheck)),
      `${JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2)}\n`,
    );
  }
  const link = join(dir, 'node_modules', target.packageDir);
  await mkdir(dirname(link), { recursive: true });
  await symlink(join(workspaceNodeModules, target.packageDir), link, 'dir');
}
