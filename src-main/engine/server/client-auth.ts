import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** Where a client may put its key: Authorization Bearer, x-api-key, x-goog-api-key, ?key=. */
export function presentedClientKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    return (m ? m[1] : auth).trim();
  }
  const x = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const q = req.query.key ?? req.query.auth_token;
  return typeof q === 'string' && q ? q : undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Constant-time check against every configured key (hashing first makes lengths equal).
 * Returns the index of the matching key, or -1.
 */
export function matchClientKey(presented: string, keys: readonly string[]): number {
  const p = digest(presented);
  let found = -1;
  keys.forEach((k, i) => {
    if (timingSafeEqual(p, digest(k)) && found < 0) found = i;
  });
  return found;
}

/** A label safe to log and store: never the key itself. */
export function clientKeyLabel(keys: readonly string[], index: number): string {
  const k = keys[index];
  return `key #${index + 1} (…${k.slice(-4)})`;
}
