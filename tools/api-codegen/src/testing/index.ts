// Test support for the generated clients, private to the workspace (never published).
export * from './prism.js';
export * from './x509.js';
