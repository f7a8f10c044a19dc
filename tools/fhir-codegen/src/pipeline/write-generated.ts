import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeStagingDir, swapDirIntoPlace } from '@nhs-fhir/specs';

/**
 * Writes every file to a staging folder next to `outDir`, then swaps it in whole: a failure leaves the previous output
 * untouched.
 */
export async function writeGeneratedDir(outDir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const staging = await makeStagingDir(dirname(outDir));
  try {
    await Promise.all([...files].map(([name, text]) => writeFile(join(staging, name), text)));
    await swapDirIntoPlace(staging, outDir);
  } catch (error) {
    const { rm } = await import('node:fs/promises');
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
