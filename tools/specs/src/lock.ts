import { readFile } from 'node:fs/promises';
import { SpecError, parseJsonText } from './errors.js';
import { writeFileAtomic } from './atomic-fs.js';
import { isRecord } from './manifest.js';

export interface LockEntry {
  kind: 'fhir-package' | 'openapi';
  /** `mirror`, or the upstream URL that served the bytes. */
  source: string;
  /** Content hash of the files (see `hashFiles`). */
  hash: string;
  files: number;
  /** Copied from the manifest: why upstream bytes may differ from the mirror's. */
  upstreamDiffers?: string;
}

export interface SpecLock {
  lockVersion: 1;
  inputs: Record<string, LockEntry>;
}

export async function readLock(lockPath: string): Promise<SpecLock> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch {
    return { lockVersion: 1, inputs: {} };
  }
  const raw = parseJsonText(text, { file: lockPath });
  if (!isRecord(raw) || raw['lockVersion'] !== 1 || !isRecord(raw['inputs'])) {
    throw new SpecError(
      'MANIFEST_INVALID',
      { file: lockPath, jsonPath: '$' },
      'expected { "lockVersion": 1, "inputs": { ... } }',
    );
  }
  for (const [key, entry] of Object.entries(raw['inputs'])) {
    if (!isRecord(entry) || typeof entry['hash'] !== 'string' || typeof entry['source'] !== 'string') {
      throw new SpecError(
        'MANIFEST_INVALID',
        { file: lockPath, jsonPath: `$.inputs.${key}` },
        'expected an entry with "source" and "hash"',
      );
    }
  }
  return raw as unknown as SpecLock;
}

export async function writeLock(lockPath: string, lock: SpecLock, order: string[]): Promise<void> {
  const inputs: Record<string, LockEntry> = {};
  for (const key of order) {
    const entry = lock.inputs[key];
    if (entry !== undefined) inputs[key] = entry;
  }
  await writeFileAtomic(lockPath, `${JSON.stringify({ lockVersion: 1, inputs }, null, 2)}\n`);
}

export interface LockChange {
  input: string;
  change: 'added' | 'removed' | 'changed';
  before?: LockEntry;
  after?: LockEntry;
}

/** What differs between two locks: the inputs added, removed, or served with other bytes or from another source. */
export function diffLocks(before: SpecLock, after: SpecLock): LockChange[] {
  const changes: LockChange[] = [];
  for (const [input, entry] of Object.entries(before.inputs)) {
    const next = after.inputs[input];
    if (next === undefined) changes.push({ input, change: 'removed', before: entry });
    else if (next.hash !== entry.hash || next.source !== entry.source)
      changes.push({ input, change: 'changed', before: entry, after: next });
  }
  for (const [input, entry] of Object.entries(after.inputs)) {
    if (before.inputs[input] === undefined) changes.push({ input, change: 'added', after: entry });
  }
  return changes;
}
