#!/usr/bin/env node
// `npm run lint` (and the first step of `npm test`): Biome's formatter and linter, then the line-width rule
// Biome cannot enforce on its own (strings, comments and Markdown). `npm run lint -- --fix` applies Biome's fixes.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const MAX_WIDTH = 120;
/** Written by tools, not by hand. */
const GENERATED = new Set(['package-lock.json', 'specs/specs.lock.json']);
const TEXT = /\.(ts|mts|js|mjs|cjs|json|md|yaml|yml)$/;

const fix = process.argv.includes('--fix');
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const checked = spawnSync(process.execPath, [biome, 'check', ...(fix ? ['--write'] : []), '.'], { stdio: 'inherit' });
if (checked.status !== 0) process.exit(checked.status ?? 1);

/** A line may run long only where it cannot be cut: a Markdown table row, or a URL. */
function tooWide(line, markdown) {
  if (line.length <= MAX_WIDTH) return false;
  if (markdown && line.trimStart().startsWith('|')) return false;
  return line.replace(/https?:\/\/\S+/g, 'URL').length > MAX_WIDTH;
}

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => TEXT.test(file) && !GENERATED.has(file));
const wide = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the working tree
  }
  text.split('\n').forEach((line, index) => {
    if (tooWide(line, file.endsWith('.md'))) wide.push(`${file}:${index + 1}: ${line.length} characters`);
  });
}
if (wide.length > 0) {
  console.error(`${wide.length} line(s) wider than ${MAX_WIDTH} characters:\n${wide.join('\n')}`);
  process.exit(1);
}
console.log(`line width: ${files.length} files within ${MAX_WIDTH} characters`);
