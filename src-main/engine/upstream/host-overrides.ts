/**
 * `host-overrides`: a map from a real origin to a replacement origin, applied to every outbound
 * URL (APIs, OAuth, quota endpoints). Used for corporate gateways and to aim tests at fakes.
 */
export type HostOverrides = Readonly<Record<string, string>>;

export function applyHostOverrides(url: string, overrides: HostOverrides): string {
  if (!overrides) return url;
  const u = new URL(url);
  const replacement = overrides[u.origin];
  if (!replacement) return url;
  const r = new URL(replacement);
  u.protocol = r.protocol;
  u.host = r.host;
  return u.toString();
}
