import { hash, timingSafeEqual } from 'node:crypto';
import { queryParam, type EdgeRequest } from './request-target';

/** Where a client may put its key: Authorization Bearer, x-api-key, x-goog-api-key, ?key=. */
export function presentedClientKey(req: EdgeRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    return (m ? m[1] : auth).trim();
  }
  const x = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const q = queryParam(req, 'key') ?? queryParam(req, 'auth_token');
  return typeof q === 'string' && q ? q : undefined;
}

const digest = (s: string): Buffer => hash('sha256', s, 'buffer');

/**
 * The configured keys' digests, made once per key list (the config's array), not on every
 * request. The keys they were made from are kept and checked (identical strings compare by
 * reference), so a list changed in place is never answered from stale digests.
 */
const keyDigests = new WeakMap<readonly string[], { from: readonly string[]; digests: readonly Buffer[] }>();

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function digestsOf(keys: readonly string[]): readonly Buffer[] {
  const cached = keyDigests.get(keys);
  if (cached && sameKeys(cached.from, keys)) return cached.digests;
  const made = { from: [...keys], digests: keys.map(digest) };
  keyDigests.set(keys, made);
  return made.digests;
}

/**
 * Constant-time check against every configured key. Comparing digests makes the lengths equal
 * (timingSafeEqual needs that) so neither a key's length nor its bytes show in the time taken;
 * every key is compared, whichever matches. Returns the index of the matching key, or -1.
 */
export function matchClientKey(presented: string, keys: readonly string[]): number {
  const p = digest(presented);
  const known = digestsOf(keys);
  let found = -1;
  for (let i = 0; i < known.length; i++) {
    if (timingSafeEqual(p, known[i]) && found < 0) found = i;
  }
  return found;
}

/** A label safe to log and store: never the key itself. */
export function clientKeyLabel(keys: readonly string[], index: number): string {
  const k = keys[index];
  return `key #${index + 1} (…${k.slice(-4)})`;
}
