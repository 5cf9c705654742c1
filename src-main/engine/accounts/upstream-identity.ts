import { createHash } from 'node:crypto';

/** `linux` / `darwin` / `win32` as the official CLIs report it. */
export function osName(): string {
  return process.platform;
}

export function archName(): string {
  return process.arch === 'x64' ? 'x64' : process.arch;
}

/** Go-style names (`amd64`, `arm64`) some CLIs put in their User-Agent. */
export function goArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

/** A UUID-shaped id that stays the same for one account (session ids some upstreams expect). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A base URL from an auth file or token answer, accepted only when its host belongs to the
 * provider (so a token is never sent to some other host); otherwise the provider's default.
 */
export function trustedBase(candidate: string | undefined, hostSuffixes: readonly string[], fallback: string): string {
  if (!candidate) return fallback;
  const withScheme = /^https?:\/\//i.test(candidate) ? candidate : `https://${candidate}`;
  try {
    const u = new URL(withScheme);
    const host = u.hostname.toLowerCase();
    if (u.protocol === 'https:' && hostSuffixes.some((s) => host === s || host.endsWith(`.${s}`))) return withScheme.replace(/\/+$/, '');
  } catch {
    // fall back below
  }
  return fallback;
}
