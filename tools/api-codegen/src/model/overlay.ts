import { readFile } from 'node:fs/promises';
import type { Environment } from '@nhs-fhir/client';
import type { OperationModel } from './operations-model.js';
import { isRecord, parseJsonText, SpecError } from '@nhs-fhir/specs';

/**
 * An API's overlay (`specs/apis/<api>.json`): what the generator needs beyond the API's own
 * description (the client's names and packages, the base URLs the facts file settles on) and every
 * correction to the description, each with the reason and the source tag from
 * `shared/docs/api-facts.md`. Data, not code: the front ends apply it and report each override.
 */
export interface ApiOverlay {
  readonly api: string;
  readonly title: string;
  readonly fhirVersion: 'R4' | 'STU3';
  readonly source: { readonly openapi: string } | { readonly capabilityStatement: StatementSource };
  readonly environments: Readonly<Partial<Record<Environment, string>>>;
  readonly environmentsSource: string;
  readonly client: ClientLayout;
  /** Headers every operation requires (Spine's `InteractionID`, ...), managed or not; a sandbox needs them. */
  readonly requiredHeaders?: readonly string[];
  /** Headers that carry each call's request id besides `X-Request-ID`. */
  readonly traceHeaders?: readonly string[];
  /** How the API answers a call without a required header; default 400 `MISSING_OR_INVALID_HEADER`. */
  readonly missingHeader?: { readonly status: number; readonly code: string };
  /** Header names (any case) the runtime sets itself; never arguments. */
  readonly managedHeaders: readonly string[];
  /**
   * Per operation of the source, the corrections: by operationId for OpenAPI; for a CapabilityStatement
   * by interaction (`CareTeam.read`, `Flag.search-type`, `transaction`, `$removerarecord`).
   */
  readonly operations: Readonly<Record<string, readonly OverlayEntry[]>>;
  /** Operations the source does not declare at all, each with the reason and its source tag. */
  readonly additions?: readonly OverlayAddition[];
}

export interface StatementSource {
  /** The FHIR package (`id#version`, pinned in specs.json) that holds the statement. */
  readonly package: string;
  readonly url: string;
}

export interface OverlayAddition {
  readonly operation: OperationModel;
  readonly why: string;
  readonly source: string;
}

export interface ClientLayout {
  /** Where the generated client goes, relative to the workspace root. */
  readonly out: string;
  readonly factory: string;
  readonly interface: string;
  /** The base model package its FHIR types come from. */
  readonly models: string;
  /**
   * Profile types used in place of base types, by resource type or profile URL (several make a union),
   * and the package exporting them.
   */
  readonly profiles?: {
    readonly package: string;
    readonly types: Readonly<Record<string, string | readonly string[]>>;
  };
  /** The package whose `validate()` checks responses. */
  readonly validator: string;
}

export interface OverlayEntry {
  /** `body.contentType`, `body.resource`, `responses.<status>`, `ifMatch`, `prefer`, `search`. */
  readonly field: string;
  readonly value: unknown;
  readonly why: string;
  readonly source: string;
}

const OVERLAY_FIELDS = new RegExp(
  [
    '^(omit|name|path|method|params|params\\.add|ifMatch|prefer|search|idempotent|fixedHeaders|interaction)$',
    '^body\\.(contentType|resource)$',
    '^responses\\.[0-9X]{3}$',
  ].join('|'),
);

/** Reads and checks an overlay file; a problem names the file and the JSON path. */
export async function readOverlay(file: string): Promise<ApiOverlay> {
  const place = { input: 'overlay', file };
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SpecError('INPUT_NOT_FOUND', place, 'overlay file not found');
  });
  const data = parseJsonText(text, place);
  const fail = (jsonPath: string, what: string): never => {
    throw new SpecError('MANIFEST_INVALID', { ...place, jsonPath }, what);
  };
  if (!isRecord(data)) return fail('$', 'expected an object');
  for (const key of ['api', 'title', 'environmentsSource'] as const) {
    if (typeof data[key] !== 'string' || data[key] === '') fail(`$.${key}`, 'expected a non-empty string');
  }
  if (data['fhirVersion'] !== 'R4' && data['fhirVersion'] !== 'STU3') fail('$.fhirVersion', 'expected R4 or STU3');
  const source = data['source'];
  const statement = isRecord(source) ? source['capabilityStatement'] : undefined;
  const fromStatement =
    isRecord(statement) && typeof statement['package'] === 'string' && typeof statement['url'] === 'string';
  if (!isRecord(source) || (typeof source['openapi'] !== 'string' && !fromStatement)) {
    fail('$.source', 'expected { "openapi": "<input id>" } or { "capabilityStatement": { "package", "url" } }');
  }
  const additions = data['additions'] ?? [];
  if (!Array.isArray(additions)) fail('$.additions', 'expected an array');
  for (const [index, addition] of (additions as unknown[]).entries()) {
    const at = `$.additions[${index}]`;
    const operation = isRecord(addition) ? addition['operation'] : undefined;
    if (!isRecord(operation) || typeof operation['name'] !== 'string' || typeof operation['path'] !== 'string') {
      fail(`${at}.operation`, 'expected an operation with at least name, method and path');
    }
    const checked = addition as Record<string, unknown>;
    for (const key of ['why', 'source'] as const) {
      if (typeof checked[key] !== 'string' || checked[key] === '') fail(`${at}.${key}`, 'expected a non-empty string');
    }
  }
  if (!isRecord(data['environments'])) fail('$.environments', 'expected an object of base URLs');
  for (const [name, url] of Object.entries(data['environments'] as Record<string, unknown>)) {
    if (!['sandbox', 'int', 'prod'].includes(name)) fail(`$.environments.${name}`, 'expected sandbox, int or prod');
    if (typeof url !== 'string' || !url.startsWith('https://')) fail(`$.environments.${name}`, 'expected an https URL');
  }
  const client = data['client'];
  if (!isRecord(client)) return fail('$.client', 'expected an object');
  for (const key of ['out', 'factory', 'interface', 'models', 'validator'] as const) {
    if (typeof client[key] !== 'string' || client[key] === '') fail(`$.client.${key}`, 'expected a non-empty string');
  }
  if (!Array.isArray(data['managedHeaders']) || !data['managedHeaders'].every((h) => typeof h === 'string')) {
    fail('$.managedHeaders', 'expected an array of header names');
  }
  const operations = data['operations'] ?? {};
  if (!isRecord(operations)) return fail('$.operations', 'expected an object');
  for (const [id, entries] of Object.entries(operations)) {
    if (!Array.isArray(entries)) fail(`$.operations.${id}`, 'expected an array of corrections');
    for (const [index, entry] of (entries as unknown[]).entries()) {
      const at = `$.operations.${id}[${index}]`;
      if (!isRecord(entry)) fail(at, 'expected an object');
      const checked = entry as Record<string, unknown>;
      if (typeof checked['field'] !== 'string' || !OVERLAY_FIELDS.test(checked['field'])) {
        fail(
          `${at}.field`,
          `expected a field an overlay may set (name, path, params, body.resource, responses.<status>, omit, ...)`,
        );
      }
      if (!('value' in checked)) fail(`${at}.value`, 'missing');
      for (const key of ['why', 'source'] as const) {
        if (typeof checked[key] !== 'string' || checked[key] === '')
          fail(`${at}.${key}`, 'expected a non-empty string');
      }
      if (!/^\[[A-Z0-9-]+\]$/.test(String(checked['source'])))
        fail(`${at}.source`, 'expected a source tag like [PDS-OAS]');
    }
  }
  return data as unknown as ApiOverlay;
}
