// A local Nx plugin: every project with a typedoc.json gets a cached `docs` target that writes its API reference
// with TypeDoc to <project>/docs-api/ (git-ignored). `npm run docs` runs it for every published package.
const { dirname } = require('node:path');

const docsTarget = {
  command: 'typedoc --options typedoc.json',
  options: { cwd: '{projectRoot}' },
  // TypeDoc reads the package's sources and the declarations of the workspace packages it imports.
  dependsOn: ['generate', '^build'],
  inputs: ['production', '^production', '{workspaceRoot}/typedoc.base.json'],
  outputs: ['{projectRoot}/docs-api'],
  cache: true,
};

module.exports = {
  name: 'nhs-fhir-typedoc',
  createNodesV2: [
    '{packages,tools}/*/typedoc.json',
    (files) => files.map((file) => [file, { projects: { [dirname(file)]: { targets: { docs: { ...docsTarget } } } } }]),
  ],
};
