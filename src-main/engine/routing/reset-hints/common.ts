/** Header bags as undici / node give them: lower- or mixed-case names, string or string[] values. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** A reset time found in an upstream answer. */
export interface ResetHint {
  /** Absolute epoch ms. */
  until: number;
  /** Which format it came from (shown in logs / cooldown reasons). */
  source: string;
  /** The hint says the quota is used up (not a short burst limit). */
  quotaExhausted?: boolean;
}

export function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== want || v === undefined) continue;
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Upstream error bodies arrive as text; parse leniently (HTML error pages stay strings). */
export function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const t = body.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return body;
  try {
    return JSON.parse(t);
  } catch {
    return body;
  }
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
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
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
