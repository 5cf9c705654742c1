import type { HeaderBag } from './types';

export type { HeaderBag } from './types';

/** Small readers shared by the failure parse, the per-provider hint readers and session affinity. */

/** One header's first value, by case-insensitive name. */
export function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== want || v === undefined) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Go / protobuf durations: "0.84s", "34s", "1h2m3.5s", "500ms", "2h20m55.386788713s".
 * Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  // Go writes microseconds as "µs" (U+00B5) and reads U+03BC too. Escaped: the CLI bundle must be
  // ASCII (scripts/cli-build.mjs), a literal here reached the built CLI as two latin1 characters.
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, '\u00b5s': 0.001, '\u03bcs': 0.001, ns: 0.000001 };
  const re = /(\d+(?:\.\d+)?)(ms|us|\u00b5s|\u03bcs|ns|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    total += Number(m[1]) * unit[m[2]];
    matched += m[0].length;
  }
  return matched === t.length && matched > 0 ? total : undefined;
}

/** Epoch value that may be seconds or milliseconds. */
export function epochToMs(v: number): number {
  return v < 1e12 ? v * 1000 : v;
}

/** Numbers that may arrive as strings ("42.5"); only plain non-negative decimals count. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}
