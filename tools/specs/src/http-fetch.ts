import { SpecError } from './errors.js';

/** Fetches bytes from an upstream source; any failure names the input and the URL. */
export async function fetchBytes(url: string, input: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    const cause =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new SpecError('FETCH_FAILED', { input, file: url }, `upstream request failed: ${cause}`);
  }
  if (!response.ok) {
    throw new SpecError('FETCH_FAILED', { input, file: url }, `upstream answered HTTP ${response.status}`);
  }
  return Buffer.from(await response.arrayBuffer());
}
