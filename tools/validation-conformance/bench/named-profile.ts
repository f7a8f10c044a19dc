import type { PackageResource } from '@nhs-fhir/fhir-codegen';

const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/';

/**
 * UK Core examples declare no `meta.profile`; their file names say which profile they show
 * (`Patient-UKCore-Patient-RichardSmith-Example.json`): the longest `UKCore-...` prefix that is a profile
 * of the example's type, else `UKCore-<type>` (the `...-UKCore-Extension-...` examples show an extension
 * on their type's profile). That profile is added to `meta.profile`, as a sender claiming conformance would.
 * An example that declares a profile, or whose name names none in `structures`, is returned as it is.
 *
 * Lives beside the bench so that the bench (whose tsconfig has `rootDir: bench`) and the tests (whose
 * tsconfig includes this file) share one rule.
 */
export function withNamedProfile(
  example: PackageResource,
  structures: Readonly<Record<string, { type: string }>>,
): Record<string, unknown> {
  const json = example.json;
  const meta = (json['meta'] ?? {}) as Record<string, unknown>;
  if (Array.isArray(meta['profile']) && meta['profile'].length > 0) return json;
  const profile = profileNamedByFile(example.file, String(json['resourceType']), structures);
  return profile === undefined ? json : { ...json, meta: { ...meta, profile: [profile] } };
}

function profileNamedByFile(
  file: string,
  resourceType: string,
  structures: Readonly<Record<string, { type: string }>>,
): string | undefined {
  const parts = file
    .replace(/^.*\//, '')
    .replace(/-Example\.json$/, '')
    .split('-')
    .slice(1);
  for (let end = parts.length; end >= 2; end--) {
    const url = `${UK_CORE}${parts.slice(0, end).join('-')}`;
    if (structures[url]?.type === resourceType) return url;
  }
  const own = `${UK_CORE}UKCore-${resourceType}`;
  return structures[own] === undefined ? undefined : own;
}
