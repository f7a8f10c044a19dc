#!/usr/bin/env node
// `npm run specs -- <command>` (after building the generator): the spec sync's command line, whose `update` also
// prints the spec-change report for what it re-pinned (tools/fhir-codegen/src/changes/specs-cli.ts).
await import('../tools/fhir-codegen/dist/changes/specs-cli.js');
