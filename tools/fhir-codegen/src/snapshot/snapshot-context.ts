import type { ElementNode } from '../fhir/index.js';
import type { SnapshotPlace, SnapshotWarningCode } from './snapshot-issue.js';

/** What the differential walk needs from the builder: the base trees of other definitions, and where to report. */
export interface SnapshotContext {
  /**
   * R4 renames a choice into a type slice (`value[x]:valueQuantity`); STU3 renames the element in place
   * (`valueQuantity`).
   */
  release: 'R4' | 'STU3';
  place: SnapshotPlace;
  /** The snapshot tree of a StructureDefinition (built first if needed); never modified by the caller. */
  treeOf(canonical: string): ElementNode | undefined;
  /** The `kind` of a StructureDefinition (`resource`, `complex-type`, ...). */
  kindOf(canonical: string): string | undefined;
  warn(code: SnapshotWarningCode, element: string | undefined, message: string): void;
}

/** The StructureDefinition of a base type: `http://hl7.org/fhir/StructureDefinition/<code>`. */
export const coreTypeUrl = (code: string): string =>
  code.includes('/') ? code : `http://hl7.org/fhir/StructureDefinition/${code}`;
