/**
 * Levenshtein distance (insert, delete, substitute; each costs 1) that also counts swapping two
 * neighbouring letters as one edit, the most common typo (`prot` for `port`).
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known name closest to a misspelled one, if it is close enough to be a typo: at most a third
 * of the longer name may differ (so `prot` finds `port`, but `foo` finds nothing). Case and
 * `_`/`-` differences cost nothing, as users coming from env vars or JSON type `api_keys`.
 */
export function closestName(input: string, known: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replaceAll('_', '-');
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(norm(input), norm(name));
    if (d <= Math.max(1, Math.floor(Math.max(input.length, name.length) / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** ` (did you mean "port"?)`, or nothing. */
export function didYouMean(input: string, known: Iterable<string>): string {
  const hit = closestName(input, known);
  return hit ? ` (did you mean "${hit}"?)` : '';
}
