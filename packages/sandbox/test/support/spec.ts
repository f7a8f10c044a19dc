// The ApiSpec a generated client would hand to the runtime, made from an operations model, so the tests
// call the sandbox through `ApiClient` as users' code does.
import type { ApiSpec, HttpMethod, OperationSpec, ValueSpec } from '@nhs-fhir/client';
import type { SandboxModel } from '../../src/index.js';

export function specFromModel(model: SandboxModel): ApiSpec {
  const operations: Record<string, OperationSpec> = {};
  for (const op of model.operations) {
    const body = op.body as
      | { required?: boolean; contentType?: string; resource?: { resourceType: string } }
      | undefined;
    operations[op.name] = {
      method: op.method as HttpMethod,
      path: op.path,
      params: op.params.map((param) => ({
        name: param.name,
        in: param.in as 'path' | 'query' | 'header',
        required: param.required,
        value: (param as { value?: ValueSpec }).value ?? { kind: 'string' },
      })),
      ...(body
        ? {
            body: {
              required: body.required ?? true,
              contentType: body.contentType ?? 'application/fhir+json',
              ...(body.resource ? { resourceType: body.resource.resourceType } : {}),
            },
          }
        : {}),
      responses: Object.fromEntries(op.responses.map((r) => [r.status, r.resources.map((s) => s.resourceType)])),
      search: op.search ?? false,
      idempotent: op.method === 'GET' || op.method === 'PUT',
      ...(op.ifMatch === 'required' || op.ifMatch === 'optional' ? { ifMatch: op.ifMatch } : {}),
    };
  }
  return { name: model.api, title: model.title ?? model.api, fhirVersion: 'R4', environments: {}, operations };
}
