/**
 * `host-overrides`: a map from a real origin to a replacement origin, applied to every outbound
 * URL (APIs, OAuth, quota endpoints). Used for corporate gateways and to aim tests at fakes.
 */
export type HostOverrides = Readonly<Record<string, string>>;

export function applyHostOverrides(url: string, overrides: HostOverrides): string {
  // Usually there are none (the default is {}): then no URL is parsed on the request path.
  if (!overrides || !hasAny(overrides)) return url;
  const u = new URL(url);
  const replacement = overrides[u.origin];
  if (!replacement) return url;
  const r = new URL(replacement);
  u.protocol = r.protocol;
  u.host = r.host;
  return u.toString();
}

function hasAny(overrides: HostOverrides): boolean {
  for (const key in overrides) if (Object.hasOwn(overrides, key)) return true;
  return false;
}
