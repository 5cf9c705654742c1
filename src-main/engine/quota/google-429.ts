import { makeWindow, num, parseResetTime, type QuotaWindow } from './window';
import { obj, str } from './source';

/**
 * Google `RESOURCE_EXHAUSTED` answers (Gemini CLI, Antigravity). A quota (not a per-minute rate)
 * error names the model and when it comes back: ErrorInfo `metadata.quotaResetTimeStamp` /
 * `quotaResetDelay`, or RetryInfo `retryDelay`. That becomes a full per-model window.
 */
export function parseGoogle429(body: string, now: number): QuotaWindow[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  // Streamed errors arrive as a one-element array.
  const root = Array.isArray(json) ? json[0] : json;
  const err = obj(obj(root)?.error);
  if (!err || (str(err.status) !== 'RESOURCE_EXHAUSTED' && num(err.code) !== 429)) return [];
  const details = Array.isArray(err.details) ? err.details.map(obj).filter((d) => d !== undefined) : [];
  let model: string | undefined;
  let resetAt: number | null = null;
  let reason: string | undefined;
  for (const d of details) {
    const type = str(d['@type']) ?? '';
    if (type.endsWith('google.rpc.ErrorInfo')) {
      reason = str(d.reason);
      const meta = obj(d.metadata) ?? {};
      model = str(meta.model) ?? model;
      resetAt = parseResetTime(meta.quotaResetTimeStamp) ?? resetAt;
      const delay = parseDuration(meta.quotaResetDelay);
      if (resetAt === null && delay !== undefined) resetAt = now + delay;
    } else if (type.endsWith('google.rpc.RetryInfo') && resetAt === null) {
      const delay = parseDuration(d.retryDelay);
      if (delay !== undefined) resetAt = now + delay;
    }
  }
  // Per-minute rate limits say nothing about the quota meter.
  if (reason === 'RATE_LIMIT_EXCEEDED' || !model) return [];
  return [
    makeWindow({
      id: `model:${model}`,
      label: model,
      kind: 'per-model',
      usedPercent: 100,
      resetAt,
      windowSeconds: 0,
      source: 'traffic',
      observedAt: now,
      model,
    }),
  ];
}

/** Protobuf duration text: `3723s`, `1.5s`, or Go style `1h2m3.4s`. Returns ms. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const s = v.trim();
  const plain = /^(\d+(?:\.\d+)?)s$/.exec(s);
  if (plain) return Math.round(Number(plain[1]) * 1000);
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;
  let total = 0;
  let matched = '';
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched += m[0];
  }
  return matched === s ? Math.round(total) : undefined;
}
