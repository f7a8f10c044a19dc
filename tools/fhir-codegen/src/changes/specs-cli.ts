#!/usr/bin/env node
/**
 * `npm run specs -- ...`: the spec sync's command line, with `update` printing the spec-change
 * report for every input it re-pinned (the spec sync cannot import the snapshot stage itself).
 */
import { runSpecsCli } from '@nhs-fhir/specs';
import { reportInputChanges } from './update-report.js';

runSpecsCli(process.argv.slice(2), { reportChanges: reportInputChanges }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
