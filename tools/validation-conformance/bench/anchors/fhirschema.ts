import {
  translate,
  validate,
  type FHIRSchema,
  type FHIRSchemaElement,
  type Resource,
  type StructureDefinition,
} from '@atomic-ehr/fhirschema';
import { reasonOf, shorten, type AnchorContext, type BenchValidator } from '../bench-validator.js';
import { installedVersion } from '../installed-version.js';

// @atomic-ehr/fhirschema: each R4 core StructureDefinition translated to a FHIRSchema, then validate(resource, schema,
// schemasByType).
// Its schemas hold only what a definition's differential adds, and its validator does not follow `base`, so the adapter
// merges each schema with its base chain (Patient gets DomainResource's and Resource's elements) and each backbone
// element
// with BackboneElement's, as a user of the validator has to.

/**
 * Its OperationOutcome type does not resolve under NodeNext (an extensionless import in its .d.ts): the fields read
 * here.
 */
interface FhirschemaIssue {
  severity: string;
  code: string;
  details?: { text?: string };
  diagnostics?: string;
}

type SetWithNode22Methods = Set<unknown> & { intersection?: unknown; difference?: unknown };

/**
 * The validator calls Set.prototype.intersection and .difference (Node 22); on Node 20 they are added for this process.
 */
function addNode22SetMethods(): boolean {
  const prototype = Set.prototype as SetWithNode22Methods;
  if (typeof prototype.intersection === 'function' && typeof prototype.difference === 'function') return false;
  Object.defineProperty(Set.prototype, 'intersection', {
    configurable: true,
    writable: true,
    value(this: Set<unknown>, other: ReadonlySet<unknown>) {
      return new Set([...this].filter((value) => other.has(value)));
    },
  });
  Object.defineProperty(Set.prototype, 'difference', {
    configurable: true,
    writable: true,
    value(this: Set<unknown>, other: ReadonlySet<unknown>) {
      return new Set([...this].filter((value) => !other.has(value)));
    },
  });
  return true;
}

const union = (first: string[] | undefined, second: string[] | undefined): string[] => [
  ...new Set([...(first ?? []), ...(second ?? [])]),
];

/** Every translated schema merged with its base chain, keyed by type name (what validate looks element types up by). */
function flattenedSchemas(definitions: Record<string, unknown>[]): Record<string, FHIRSchema> {
  const translated = definitions.map((definition) => translate(definition as unknown as StructureDefinition));
  const byUrl = new Map(translated.map((schema) => [schema.url, schema]));
  const byName = new Map(translated.map((schema) => [schema.name, schema]));
  const flattened = new Map<FHIRSchema, FHIRSchema>();

  const withBaseElements = (elements: Record<string, FHIRSchemaElement>): Record<string, FHIRSchemaElement> => {
    const out: Record<string, FHIRSchemaElement> = {};
    for (const [name, element] of Object.entries(elements)) {
      const inlineBase = element.elements === undefined ? undefined : byName.get(element.type ?? 'BackboneElement');
      if (element.elements === undefined || inlineBase === undefined) {
        out[name] = element;
        continue;
      }
      const base = flatten(inlineBase);
      out[name] = {
        ...element,
        elements: withBaseElements({ ...base.elements, ...element.elements }),
        required: union(base.required, element.required),
      };
    }
    return out;
  };

  function flatten(schema: FHIRSchema): FHIRSchema {
    const done = flattened.get(schema);
    if (done !== undefined) return done;
    const baseSchema = schema.base === undefined ? undefined : byUrl.get(schema.base);
    const base = baseSchema === undefined ? undefined : flatten(baseSchema);
    const merged: FHIRSchema = { ...schema, required: union(base?.required, schema.required) };
    if (base?.elements !== undefined || schema.elements !== undefined)
      merged.elements = withBaseElements({ ...base?.elements, ...schema.elements });
    flattened.set(schema, merged);
    return merged;
  }

  return Object.fromEntries([...byName].map(([name, schema]) => [name, flatten(schema)]));
}

export function fhirschemaValidator(context: AnchorContext): BenchValidator {
  const polyfilled = addNode22SetMethods();
  const schemas = flattenedSchemas(context.r4Definitions);
  return {
    label: `@atomic-ehr/fhirschema ${installedVersion('@atomic-ehr/fhirschema')}`,
    against: 'base R4 (schemas translated from R4 core)',
    notes: [
      "schemas are translated from each definition's differential; the adapter merges the base chain and " +
        'BackboneElement into them, since validate() does not',
      ...(polyfilled
        ? [
            'validate() calls Set.prototype.intersection/difference (Node 22+); ' +
              'added to Set.prototype for this run on Node 20',
          ]
        : []),
    ],
    check(resource) {
      const type = (resource as { resourceType?: unknown }).resourceType;
      const schema = typeof type === 'string' ? schemas[type] : undefined;
      if (schema === undefined) return `no schema for resourceType ${String(type)}`;
      try {
        const { issue: issues = [] } = validate(resource as Resource, schema, schemas).outcome as {
          issue?: FhirschemaIssue[];
        };
        const issue = issues.find((candidate) => candidate.severity === 'error' || candidate.severity === 'fatal');
        return issue === undefined ? undefined : shorten(issue.details?.text ?? issue.diagnostics ?? issue.code);
      } catch (error) {
        return `threw: ${reasonOf(error)}`;
      }
    },
  };
}
