import { z } from 'zod';
import { QuotaPollError, readJson, type QuotaPollContext, type QuotaSource } from '../../quota/source';
import { parseGoogle429 } from '../gemini-api/quota-429';
import { parseDuration } from '../../upstream/failure/headers';
import { FIVE_HOURS_S, WEEK_S, classifyWindow, kindLabel, makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';
import { accountProject, loadCodeAssist } from '../gemini-cli/quota';

/**
 * Antigravity (Google) accounts. `retrieveUserQuotaSummary` has the 5-hour and weekly groups;
 * `fetchAvailableModels` is the older per-model view, used when the summary is missing.
 * Hosts are tried in the order the official client uses: 404 → next host, 403 → stop (forbidden).
 */
export const ANTIGRAVITY_HOSTS = [
  'https://daily-cloudcode-pa.googleapis.com',
  'https://daily-cloudcode-pa.sandbox.googleapis.com',
  'https://cloudcode-pa.googleapis.com',
] as const;
const USER_AGENT = 'antigravity/cli/1.15.8 (aidev_client; os_type=linux; arch=x64)';

const bucketSchema = z.looseObject({
  bucketId: z.string().nullish(),
  window: z.union([z.string(), z.number()]).nullish(),
  displayName: z.string().nullish(),
  remainingFraction: z.union([z.number(), z.string()]).nullish(),
  resetTime: z.string().nullish(),
});
const summarySchema = z.looseObject({
  groups: z
    .array(z.looseObject({ displayName: z.string().nullish(), buckets: z.array(bucketSchema).nullish() }))
    .nullish(),
});
const modelsSchema = z.looseObject({
  models: z
    .record(
      z.string(),
      z.looseObject({
        displayName: z.string().nullish(),
        isInternal: z.boolean().nullish(),
        quotaInfo: z
          .looseObject({ remainingFraction: z.union([z.number(), z.string()]).nullish(), resetTime: z.string().nullish() })
          .nullish(),
      }),
    )
    .nullish(),
});

/** Bucket length from its `window` field or, failing that, its id (`gemini-5h`, `3p-weekly`). */
function bucketSeconds(window: unknown, bucketId: string): number {
  if (typeof window === 'number' && window > 0) return window;
  if (typeof window === 'string') {
    const d = parseDuration(window);
    if (d !== undefined && d > 0) return d / 1000;
    if (/week|7d/i.test(window)) return WEEK_S;
    if (/5h|five|hour/i.test(window)) return FIVE_HOURS_S;
    if (/day|daily/i.test(window)) return 86_400;
  }
  if (/week/i.test(bucketId)) return WEEK_S;
  if (/5h|hour/i.test(bucketId)) return FIVE_HOURS_S;
  return 0;
}

export function parseAntigravitySummary(body: unknown, now: number): QuotaWindow[] {
  const p = summarySchema.safeParse(body);
  if (!p.success) return [];
  const out: QuotaWindow[] = [];
  for (const g of p.data.groups ?? []) {
    for (const b of g.buckets ?? []) {
      const remaining = num(b.remainingFraction);
      const id = b.bucketId ?? `${g.displayName ?? 'group'}-${b.displayName ?? out.length}`;
      if (remaining === undefined) continue;
      const seconds = bucketSeconds(b.window, id);
      const kind = seconds > 0 ? classifyWindow(seconds) : 'per-model';
      const name = [g.displayName, b.displayName ?? kindLabel(kind, seconds)].filter(Boolean).join(' · ');
      out.push(
        makeWindow({
          id,
          label: name || id,
          kind,
          usedPercent: (1 - remaining) * 100,
          resetAt: parseResetTime(b.resetTime),
          windowSeconds: seconds,
          source: 'poll',
          observedAt: now,
          ...(g.displayName ? { model: g.displayName } : {}),
        }),
      );
    }
  }
  return out;
}

export function parseAntigravityModels(body: unknown, now: number): QuotaWindow[] {
  const p = modelsSchema.safeParse(body);
  if (!p.success) return [];
  const out: QuotaWindow[] = [];
  for (const [id, m] of Object.entries(p.data.models ?? {})) {
    const remaining = num(m.quotaInfo?.remainingFraction);
    if (m.isInternal || remaining === undefined) continue;
    out.push(
      makeWindow({
        id: `model:${id}`,
        label: m.displayName ?? id,
        kind: 'per-model',
        usedPercent: (1 - remaining) * 100,
        resetAt: parseResetTime(m.quotaInfo?.resetTime),
        windowSeconds: 0,
        source: 'poll',
        observedAt: now,
        model: id,
      }),
    );
  }
  return out;
}

/** POST to the first host that has the method. Returns the parsed JSON and the host that answered. */
async function postFirstHost(
  ctx: QuotaPollContext,
  method: string,
  body: Record<string, unknown>,
  hosts: readonly string[],
): Promise<{ json: unknown; host: string; skewMs: number } | undefined> {
  for (const host of hosts) {
    const res = await ctx.fetch(`${host}/v1internal:${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.credential}`, 'content-type': 'application/json', 'user-agent': USER_AGENT },
      body: JSON.stringify(body),
    });
    if (res.status === 404) {
      await res.text();
      continue;
    }
    if (res.status === 403) {
      await res.text();
      throw new QuotaPollError(403, `antigravity ${method}: forbidden (account blocked or not eligible)`);
    }
    return { json: await readJson(res, `antigravity ${method}`, ctx.now), host, skewMs: clockSkew(res.headers.get('date'), ctx.now) };
  }
  return undefined;
}

export const antigravityQuota: QuotaSource = {
  provider: 'antigravity',
  parse429: parseGoogle429,
  async poll(ctx) {
    let project = accountProject(ctx.account.meta) ?? ctx.known.projectId;
    if (!project || ctx.known.tier === undefined) {
      const info = await loadCodeAssist(ctx.fetch, ANTIGRAVITY_HOSTS[2], ctx.credential, 'ANTIGRAVITY', project, ctx.now);
      ctx.note({ ...info, tier: info.tier ?? 'unknown' });
      project ??= info.projectId;
    }
    const body = project ? { project } : {};
    const summary = await postFirstHost(ctx, 'retrieveUserQuotaSummary', body, ANTIGRAVITY_HOSTS);
    const windows = summary ? parseAntigravitySummary(summary.json, ctx.now) : [];
    if (summary && windows.length > 0) return deskew(windows, summary.skewMs);
    // Older backends only have the per-model view; start at the host that already answered.
    const start = summary ? ANTIGRAVITY_HOSTS.indexOf(summary.host as (typeof ANTIGRAVITY_HOSTS)[number]) : 0;
    const models = await postFirstHost(ctx, 'fetchAvailableModels', body, ANTIGRAVITY_HOSTS.slice(Math.max(0, start)));
    return models ? deskew(parseAntigravityModels(models.json, ctx.now), models.skewMs) : [];
  },
};

/** Server clock minus ours, from the `Date` header; 0 when unknown or within 30 s (header resolution). */
export function clockSkew(date: string | null, now: number): number {
  const server = date ? Date.parse(date) : NaN;
  if (!Number.isFinite(server)) return 0;
  const skew = server - now;
  return Math.abs(skew) > 30_000 ? skew : 0;
}

/**
 * Reset times are the server's clock; the UI counts down on ours. Shift them by the skew so a
 * machine whose clock is off still shows the right "resets in" (the official panel does the same).
 */
function deskew(windows: QuotaWindow[], skewMs: number): QuotaWindow[] {
  if (skewMs === 0) return windows;
  return windows.map((w) => (w.resetAt === null ? w : { ...w, resetAt: w.resetAt - skewMs }));
}
