// An independent JWT decoder for tests: split on '.', base64url-decode, JSON.parse. It shares no
// code with the package, so a bug in how the package builds tokens cannot hide itself here.
export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
  parts: number;
}

export function decodeJwtIndependently(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`expected 3 dot-separated parts, got ${parts.length}`);
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  return {
    header: json(parts[0] as string),
    payload: json(parts[1] as string),
    signature: parts[2] as string,
    parts: parts.length,
  };
}
