import { applyHostOverrides } from '../upstream/host-overrides';
import type { FlowContext } from './provider-auth';
import { AuthError } from './types';

/**
 * JSON call made while finishing a sign-in (user info, project discovery, API-key lookup):
 * URL through host-overrides, errors carry the provider's own text.
 */
export async function callJson(
  ctx: FlowContext,
  what: string,
  url: string,
  init: { method?: 'GET' | 'POST'; token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await ctx.fetch(applyHostOverrides(url, ctx.hostOverrides), {
      method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch (err) {
    throw new AuthError(`${what} failed: ${(err as Error).message}`, 'network');
  }
  const text = await res.text();
  if (!res.ok) throw new AuthError(`${what} failed (HTTP ${res.status}): ${text.slice(0, 500)}`, 'upstream_error');
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new AuthError(`${what} returned something that is not a JSON object`, 'upstream_error');
}

/** Claims of a JWT without verifying it (used only for labels such as the e-mail). */
export function jwtClaims(jwt: string | undefined): Record<string, unknown> {
  if (!jwt) return {};
  const part = jwt.split('.')[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function expiryIso(expiresIn: unknown, now: number): string | undefined {
  return typeof expiresIn === 'number' ? new Date(now + expiresIn * 1000).toISOString() : undefined;
}
