/** One validator as the bench runs it: a label, what it checks against, and a check of one parsed resource. */
export interface BenchValidator {
  /** Package and version, e.g. `@medplum/core 4.5.2 validateResource`. */
  label: string;
  /** What the resources are checked against, e.g. `base R4`. */
  against: string;
  /** Undefined when the resource is accepted; otherwise a short first reason it was rejected. */
  check(resource: unknown): string | undefined;
  /** The goal for this row, printed beside its ratio. */
  goal?: string;
  /** Anything a reader needs to judge the row (a workaround, a version chosen for Node 20). */
  notes?: string[];
}

/** A validator the bench could not set up here, with why. */
export interface NotMeasured {
  label: string;
  reason: string;
}

/** What an anchor needs: the R4 core StructureDefinitions (specializations and base types), as JSON. */
export interface AnchorContext {
  r4Definitions: Record<string, unknown>[];
}

/** The first line of an error's message, trimmed, as a rejection reason. */
export function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return shorten(message.split('\n')[0] ?? '');
}

/** A reason short enough to group rejections by and print on one line. */
export function shorten(text: string, max = 90): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
