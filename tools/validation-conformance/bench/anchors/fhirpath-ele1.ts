import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import type { BenchValidator } from '../bench-validator.js';
import { installedVersion } from '../installed-version.js';

// fhirpath evaluating ele-1, the invariant every element carries, on every element of the resource: one compiled
// expression returns the elements that break it, and a resource is rejected when there is any.

export const ELE_1 = 'hasValue() or (children().count() > id.count())';

/** What fhirpath returns for an element when internal types are not resolved: enough to name it in a reason. */
interface ElementNode {
  fhirNodeDataType?: string;
  propName?: string;
}

export function fhirpathEle1Validator(): BenchValidator {
  const breakingEle1 = fhirpath.compile(`descendants().where((${ELE_1}).not())`, r4Model, {
    resolveInternalTypes: false,
  });
  return {
    label: `fhirpath ${installedVersion('fhirpath')} ele-1 on every element`,
    against: 'ele-1 only (R4 model)',
    notes: [
      'its hasValue() is false for an xhtml div, so a resource with a narrative fails ele-1 here; ' +
        "the spec's xhtml type has a value",
    ],
    check(resource) {
      const broken = breakingEle1(resource) as ElementNode[];
      const first = broken[0];
      if (first === undefined) return undefined;
      return `ele-1 fails on ${first.propName ?? 'an element'} (${first.fhirNodeDataType ?? 'unknown type'})`;
    },
  };
}
