/**
 * After a headless restart onto a new port, the panel's own origin disappears. Wait until the new
 * address answers, then load the panel from there (the management key is asked again: browsers
 * keep storage per origin).
 */
export async function followServer(port: number, opts: { tries?: number; waitMs?: number } = {}): Promise<boolean> {
  const here = new URL(window.location.href);
  if (Number(here.port || (here.protocol === 'https:' ? 443 : 80)) === port) return false;
  const target = new URL(here.href);
  target.port = String(port);
  for (let i = 0; i < (opts.tries ?? 40); i++) {
    await new Promise((r) => setTimeout(r, opts.waitMs ?? 500));
    try {
      // Another origin: an opaque answer is enough to know it is listening.
      await fetch(`${target.origin}/ui/`, { mode: 'no-cors', cache: 'no-store' });
      window.location.assign(target.href);
      return true;
    } catch {
      // not up yet
    }
  }
  return false;
}
