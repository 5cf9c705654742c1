import type { EdgeRequest } from './request-target';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const i = host.lastIndexOf(':');
  return i >= 0 ? host.slice(0, i) : host;
}

/**
 * Against DNS rebinding and hostile web pages: on a loopback bind the Host header must name a
 * loopback host; a browser Origin must be our own origin or one the user allowed.
 * Returns a reason to refuse, or undefined.
 */
export function checkHostAndOrigin(
  req: EdgeRequest,
  opts: { bindHost: string; port: number; allowedOrigins: readonly string[]; loopbackBind: boolean },
): string | undefined {
  const host = req.headers.host;
  if (opts.loopbackBind) {
    if (!host) return 'missing Host header';
    const name = hostnameOf(host.toLowerCase());
    if (!LOOPBACK_HOSTNAMES.has(name) && !/^127\.\d+\.\d+\.\d+$/.test(name)) return `Host "${host}" is not allowed`;
  }
  const origin = req.headers.origin;
  if (origin && origin !== 'null') {
    if (opts.allowedOrigins.includes(origin)) return undefined;
    let u: URL;
    try {
      u = new URL(origin);
    } catch {
      return `Origin "${origin}" is not allowed`;
    }
    const sameOrigin = host !== undefined && u.host.toLowerCase() === host.toLowerCase();
    if (!sameOrigin) return `Origin "${origin}" is not allowed`;
  } else if (origin === 'null') {
    return 'Origin "null" is not allowed';
  }
  return undefined;
}
