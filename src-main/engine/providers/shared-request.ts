import type { UpstreamCall } from './provider';

/** Encoded body as bytes or JSON text. */
export function bodyText(call: UpstreamCall): string | Buffer {
  return Buffer.isBuffer(call.body) ? call.body : JSON.stringify(call.body);
}

/** Join a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Per-account custom headers from config; they never replace the auth header. */
export function withCustomHeaders(
  headers: Record<string, string>,
  custom: Record<string, string> | undefined,
): Record<string, string> {
  if (!custom) return headers;
  const out = { ...headers };
  for (const [k, v] of Object.entries(custom)) {
    const lower = k.toLowerCase();
    if (lower === 'authorization' || lower === 'x-api-key' || lower === 'x-goog-api-key') continue;
    out[lower] = v;
  }
  return out;
}
