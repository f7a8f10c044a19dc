export * from './model/operations-model.js';
export { readOverlay, type ApiOverlay, type ClientLayout, type OverlayEntry } from './model/overlay.js';
export { bundleOpenApi } from './openapi/bundle.js';
export { readOpenApi } from './openapi/read-openapi.js';
export { emitClient, runtimeSpec, type EmitClientInput, type EmittedFiles } from './emit/emit-client.js';
export { generateClient, type GenerateClientOptions, type GeneratedClient } from './pipeline/generate-client.js';
export { loadOpenApiInput } from './pipeline/load-openapi.js';
