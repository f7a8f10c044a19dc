import type { InputVersionChange } from '@nhs-fhir/specs';
import { formatChangeReport } from './change-model.js';
import { compareSpecs } from './compare-specs.js';

/** The text report `npm run specs -- update` prints for an input it re-pinned. */
export async function reportInputChanges(change: InputVersionChange): Promise<string> {
  const report = await compareSpecs({
    old: change.previousDir,
    new: change.nextDir,
    dependencyCaches: [change.cache],
    apiId: change.input.replace(/^openapi:/, '').replace(/#[^#]*$/, ''),
  });
  return formatChangeReport({ ...report, old: `${change.input} (before)`, new: `${change.input} (re-pinned)` });
}
