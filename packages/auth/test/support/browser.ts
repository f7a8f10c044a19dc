// Follows redirects by hand with a cookie jar, the way a browser would, until the redirect URI.
export async function followToRedirectUri(startUrl: string, redirectUri: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = startUrl;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = (pair as string).indexOf('=');
      cookies.set((pair as string).slice(0, index).trim(), (pair as string).slice(index + 1));
    }
    const location = response.headers.get('location');
    if (!location)
      throw new Error(`no redirect from ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
