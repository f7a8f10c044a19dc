import { detailCode } from './errors.js';
import type { FhirResource, OperationOutcome, SearchBundle } from './fhir.js';
import type { NoData } from './response-info.js';

const NOT_FOUND_CODES = new Set(['NO_RECORD_FOUND', 'RESOURCE_NOT_FOUND']);

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as FhirResource).resourceType === 'OperationOutcome' &&
    Array.isArray((value as OperationOutcome).issue)
  );
}

/** Every issue says "not found": issue code `not-found`, or the detail code `NO_RECORD_FOUND`. */
export function isNotFoundOutcome(outcome: OperationOutcome): boolean {
  return (
    outcome.issue.length > 0 &&
    outcome.issue.every(
      (issue) =>
        issue.code === 'not-found' || (issue.details?.coding ?? []).some((c) => NOT_FOUND_CODES.has(c.code ?? '')),
    )
  );
}

export function emptySearchset(): SearchBundle {
  return { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
}

/** Why this searchset is "no data", or undefined when it has entries. */
export function emptySearchsetReason(bundle: SearchBundle): NoData | undefined {
  return (bundle.entry?.length ?? 0) === 0 ? { reason: 'empty-searchset' } : undefined;
}

export function outcomeNoData(reason: NoData['reason'], outcome: OperationOutcome): NoData {
  const code = detailCode(outcome);
  return { reason, ...(code ? { code } : {}), outcome };
}
