/**
 * The "browser" of the sign-in tests: an HTTP client with a cookie jar that follows redirects
 * and submits the device-code forms. `localhost` is dialled as 127.0.0.1 (the loopback listener
 * binds IPv4), as a real browser's happy-eyeballs would find it.
 */
export class TestBrowser {
  private jar = new Map<string, string>();
  /** Every URL visited, in order. */
  readonly visited: string[] = [];

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /** Request a URL and follow redirects; returns the final response and URL. */
  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}, maxHops = 20): Promise<{ url: string; status: number; text: string }> {
    let current = url;
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hop = 0; hop < maxHops; hop++) {
      const target = new URL(current);
      if (target.hostname === 'localhost') target.hostname = '127.0.0.1';
      this.visited.push(current);
      const res = await fetch(target, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.cookieHeader(),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
      });
      this.keep(res);
      const loc = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && loc) {
        await res.arrayBuffer();
        current = new URL(loc, current).toString();
        method = 'GET';
        body = undefined;
        continue;
      }
      return { url: current, status: res.status, text: await res.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /**
   * Follow redirects until the next hop would go to `prefix` (the app's loopback redirect) and
   * return that URL without visiting it, so a test can tamper with it or paste it.
   */
  async until(url: string, prefix: string, maxHops = 20): Promise<string> {
    let current = url;
    for (let hop = 0; hop < maxHops; hop++) {
      if (current.startsWith(prefix)) return current;
      this.visited.push(current);
      const res = await fetch(current, { redirect: 'manual', headers: { cookie: this.cookieHeader() } });
      this.keep(res);
      await res.arrayBuffer();
      const loc = res.headers.get('location');
      if (!(res.status >= 300 && res.status < 400 && loc)) throw new Error(`stopped at ${current} (HTTP ${res.status}) before reaching ${prefix}`);
      current = new URL(loc, current).toString();
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Open the verification page, enter the user code, confirm, and sign in. */
  async approveDevice(verificationUri: string, userCode: string): Promise<{ url: string; status: number; text: string }> {
    const page = await this.go(verificationUri);
    const first = parseForm(page.text, page.url);
    const confirmPage = await this.go(first.action, { method: 'POST', form: { ...first.fields, user_code: userCode } });
    const second = parseForm(confirmPage.text, confirmPage.url);
    return this.go(second.action, { method: 'POST', form: second.fields });
  }
}

/** The first form on a page: its action and hidden fields. */
export function parseForm(html: string, base: string): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form on page ${base}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields[m[1]] = m[2];
  return { action: new URL(form[1], base).toString(), fields };
}
