import { SpecError } from '@nhs-fhir/specs';

/**
 * What the builder reports without stopping: upstream defects it can work around, each named by input, profile and
 * element.
 */
export interface SnapshotWarning {
  /** The package key (`id#version`) that holds the profile. */
  input: string;
  /** `StructureDefinition <id or name>`. */
  profile: string;
  url: string;
  element?: string;
  code: SnapshotWarningCode;
  message: string;
}

export type SnapshotWarningCode =
  | 'CARDINALITY_WIDENED'
  | 'TYPE_NOT_IN_BASE'
  | 'SLICE_WITHOUT_SLICING'
  | 'PROFILE_UNRESOLVED'
  | 'CANNOT_UNFOLD'
  | 'MIN_ABOVE_MAX'
  | 'ID_SLICE_MISMATCH';

/** Where a snapshot failure sits, for the one-line SpecError message. */
export interface SnapshotPlace {
  input: string;
  profile: string;
  element?: string;
}

export type SnapshotErrorCode =
  | 'BASE_PATH_NOT_FOUND'
  | 'BASE_UNRESOLVED'
  | 'NO_DIFFERENTIAL'
  | 'CIRCULAR_BASE'
  | 'SNAPSHOT_MALFORMED';

/**
 * A defect that leaves no sensible snapshot: `uk.nhsengland.r4#0.0.1: StructureDefinition X: element Flag.foo: base
 * path not found in Flag snapshot`.
 * It is a SpecError (code REF_UNRESOLVED: the differential refers to something the base lacks) with its own finer
 * `snapshotCode`.
 */
export class SnapshotError extends SpecError {
  readonly snapshotCode: SnapshotErrorCode;
  readonly profile: string;
  readonly element: string | undefined;

  constructor(snapshotCode: SnapshotErrorCode, place: SnapshotPlace, detail: string) {
    super(
      'REF_UNRESOLVED',
      {
        input: place.input,
        file: place.profile,
        jsonPath: place.element === undefined ? undefined : `element ${place.element}`,
      },
      detail,
    );
    this.snapshotCode = snapshotCode;
    this.profile = place.profile;
    this.element = place.element;
  }
}

/** `StructureDefinition <id>` (the name when there is no id, as some STU3 profiles have none). */
export function profileLabel(json: Record<string, unknown>): string {
  const id = json['id'] ?? json['name'] ?? json['url'];
  return `StructureDefinition ${typeof id === 'string' ? id : '(no id)'}`;
}
