// Test support shared by the workspace's tests, private (never published).
export * from './prism.js';
export * from './x509.js';
export * from './readme.js';
