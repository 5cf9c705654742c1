/**
 * Model-name patterns as CLIProxyAPI users write them: exact, `x*`, `*x`, `*x*` (and any mix of `*`),
 * case-insensitive. Compiled patterns are cached because the catalog re-checks them on every rebuild.
 */
const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`, 'i');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function matchWildcard(pattern: string, value: string): boolean {
  const p = pattern.trim();
  if (!p) return false;
  if (!p.includes('*')) return p.toLowerCase() === value.toLowerCase();
  return compile(p).test(value);
}

export function matchesAny(patterns: readonly string[] | undefined, value: string): boolean {
  return !!patterns?.some((p) => matchWildcard(p, value));
}
