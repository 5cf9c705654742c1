/**
 * After a headless restart onto a new port, the panel's own origin disappears. The page's CSP
 * (connect-src 'self') rightly forbids probing the new origin, so: wait until this origin stops
 * answering (the old listener closed), give the new one a moment to bind, then load the panel
 * from there. The management key is asked again: browsers keep storage per origin.
 */
export async function followServer(port: number, opts: { tries?: number; waitMs?: number; bindMs?: number } = {}): Promise<boolean> {
  const here = new URL(window.location.href);
  if (Number(here.port || (here.protocol === 'https:' ? 443 : 80)) === port) return false;
  const target = new URL(here.href);
  target.port = String(port);
  for (let i = 0; i < (opts.tries ?? 60); i++) {
    await new Promise((r) => setTimeout(r, opts.waitMs ?? 250));
    try {
      await fetch(`${here.origin}/ui/`, { cache: 'no-store' });
    } catch {
      // The old listener is gone: the new one binds right after it.
      await new Promise((r) => setTimeout(r, opts.bindMs ?? 1500));
      window.location.assign(target.href);
      return true;
    }
  }
  return false;
}
