import { createRequire } from 'node:module';
import { shorten, type AnchorContext, type BenchValidator } from '../bench-validator.js';
import { installedVersion } from '../installed-version.js';

// @solarahealth/fhir-r4: zod schemas generated from the R4 JSON schema, one create<Type>Schema() per resource, used as
// its README shows: create<Type>Schema().safeParse(resource). Its own `contained` and Bundle `entry.resource` default
// to
// z.unknown(), and its `/all` union of every resource throws on first use (it lists ExampleScenarioInstance, a backbone
// element, among the resources), so the adapter builds that union from the resource schemas with the package's own
// makeResourceList and passes it in: contained resources and Bundle entries are checked too.

interface ZodIssue {
  path: PropertyKey[];
  message: string;
}
type SafeParseResult = { success: true } | { success: false; error: { issues: ZodIssue[] } };
interface ZodSchema {
  safeParse(value: unknown): SafeParseResult;
}
type SchemaFactory = (options?: { contained?: ZodSchema; resource?: ZodSchema }) => ZodSchema;
interface FhirR4Module {
  makeResourceList(...schemas: ZodSchema[]): ZodSchema;
  [factory: `create${string}Schema`]: SchemaFactory | undefined;
}

/** The concrete R4 resource types, from the core definitions. */
const resourceTypes = (definitions: Record<string, unknown>[]): string[] =>
  definitions
    .filter(
      (definition) =>
        definition['kind'] === 'resource' &&
        definition['abstract'] !== true &&
        definition['derivation'] === 'specialization',
    )
    .map((definition) => String(definition['type']));

export function zodFhirR4Validator(context: AnchorContext): BenchValidator {
  // Its ESM build imports files without extensions, which Node's ESM loader cannot resolve; its CommonJS build loads.
  const fhirR4 = createRequire(import.meta.url)('@solarahealth/fhir-r4') as FhirR4Module;
  const factories = new Map<string, SchemaFactory>();
  for (const type of resourceTypes(context.r4Definitions)) {
    const factory = fhirR4[`create${type}Schema`];
    if (typeof factory === 'function') factories.set(type, factory);
  }
  const anyResource = fhirR4.makeResourceList(...[...factories.values()].map((factory) => factory()));
  const schemas = new Map(
    [...factories].map(([type, factory]) => [type, factory({ contained: anyResource, resource: anyResource })]),
  );
  return {
    label: `@solarahealth/fhir-r4 ${installedVersion('@solarahealth/fhir-r4')} (zod)`,
    against: 'base R4 (generated from the R4 JSON schema)',
    notes: [
      'loaded through its CommonJS build (its ESM build has extensionless imports Node cannot resolve)',
      'contained resources and Bundle entries are checked through a union of its resource schemas built by the ' +
        'adapter (its /all union throws on first use)',
    ],
    check(resource) {
      const type = (resource as { resourceType?: unknown }).resourceType;
      const schema = typeof type === 'string' ? schemas.get(type) : undefined;
      if (schema === undefined) return `no schema for resourceType ${String(type)}`;
      const result = schema.safeParse(resource);
      if (result.success) return undefined;
      const issue = result.error.issues[0];
      return issue === undefined ? 'rejected' : shorten(`${issue.path.map(String).join('.')}: ${issue.message}`);
    },
  };
}
