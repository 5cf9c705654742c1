import ipaddr from 'ipaddr.js';

/**
 * `allowed-ips` and `trusted-proxies` (CIDRs or single addresses). The client address is the
 * socket's peer, unless that peer is a trusted proxy: then X-Forwarded-For is walked from the
 * right, skipping trusted hops, and the first untrusted address is the client. A forwarded header
 * from anyone else is ignored (it is trivially spoofed).
 */
export interface IpRules {
  /** undefined = the address is allowed; otherwise the refusal message. */
  check(peer: string | undefined, forwardedFor: string | string[] | undefined): string | undefined;
  /** The address the rules consider the client (for logs and bans). */
  clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string | undefined;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseRange(text: string): Range {
  const t = text.trim();
  if (t.includes('/')) return ipaddr.parseCIDR(t);
  const a = ipaddr.parse(t);
  return [a, a.kind() === 'ipv4' ? 32 : 128];
}

/** Parse an address, turning IPv4-mapped IPv6 (::ffff:1.2.3.4) into IPv4 so one rule covers both. */
function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.process(text.trim().replace(/^\[|\]$/g, ''));
  } catch {
    return undefined;
  }
}

function inAny(addr: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): boolean {
  return ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
}

/** Throws with the offending entry when a CIDR does not parse (config validation). */
export function compileIpRules(allowed: readonly string[], trusted: readonly string[]): IpRules {
  const compile = (list: readonly string[], key: string) =>
    list.map((entry) => {
      try {
        return parseRange(entry);
      } catch {
        throw new Error(`${key}: "${entry}" is not an IP address or CIDR range`);
      }
    });
  const allow = compile(allowed, 'allowed-ips');
  const proxies = compile(trusted, 'trusted-proxies');

  const clientAddress = (peer: string | undefined, forwardedFor: string | string[] | undefined) => {
    const p = peer ? parseAddress(peer) : undefined;
    if (!p) return undefined;
    if (!forwardedFor || !inAny(p, proxies)) return p.toString();
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((s) => s.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = parseAddress(hops[i]);
      if (!hop) return undefined; // a garbled chain is not a client address
      if (!inAny(hop, proxies)) return hop.toString();
    }
    return p.toString();
  };

  return {
    clientAddress,
    check: (peer, forwardedFor) => {
      if (allow.length === 0) return undefined;
      const client = clientAddress(peer, forwardedFor);
      const addr = client ? parseAddress(client) : undefined;
      if (addr && inAny(addr, allow)) return undefined;
      return `Requests from ${client ?? 'this address'} are not allowed (allowed-ips).`;
    },
  };
}
