import { z } from 'zod';
import { kimiIdentityHeaders } from './identity';
import { readJson, type QuotaSource } from '../../quota/source';
import { WEEK_S, classifyWindow, kindLabel, makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';

/**
 * Kimi Code accounts: `GET /coding/v1/usages` → `usage` (the weekly allowance) and `limits[]`
 * (rolling windows, 5-hour today). Numbers arrive as strings; reset is a time or a delay.
 */
const USAGE_URL = 'https://api.kimi.com/coding/v1/usages';

const numish = z.union([z.number(), z.string()]).nullish();
const detailSchema = z.looseObject({
  limit: numish,
  used: numish,
  remaining: numish,
  resetTime: z.union([z.string(), z.number()]).nullish(),
  reset_at: z.union([z.string(), z.number()]).nullish(),
  reset_in: numish,
});
const bodySchema = z.looseObject({
  usage: detailSchema.nullish(),
  limits: z
    .array(
      z.looseObject({
        window: z.looseObject({ duration: numish, timeUnit: z.string().nullish() }).nullish(),
        detail: detailSchema.nullish(),
      }),
    )
    .nullish(),
});

function unitSeconds(unit: string | null | undefined): number {
  const u = (unit ?? '').toUpperCase();
  if (u.includes('SECOND')) return 1;
  if (u.includes('MINUTE')) return 60;
  if (u.includes('HOUR')) return 3600;
  if (u.includes('DAY')) return 86_400;
  if (u.includes('WEEK')) return WEEK_S;
  return 60;
}

function usedPercent(d: z.infer<typeof detailSchema>): number | undefined {
  const limit = num(d.limit);
  if (limit === undefined || limit <= 0) return undefined;
  const used = num(d.used) ?? (num(d.remaining) !== undefined ? limit - (num(d.remaining) as number) : undefined);
  return used === undefined ? undefined : (used / limit) * 100;
}

function resetOf(d: z.infer<typeof detailSchema>, now: number): number | null {
  const at = parseResetTime(d.resetTime ?? d.reset_at);
  if (at !== null) return at;
  const inS = num(d.reset_in);
  return inS !== undefined ? now + inS * 1000 : null;
}

export function parseKimiUsage(body: unknown, now: number): QuotaWindow[] {
  const p = bodySchema.safeParse(body);
  if (!p.success) return [];
  const out: QuotaWindow[] = [];
  if (p.data.usage) {
    const used = usedPercent(p.data.usage);
    if (used !== undefined) {
      out.push(
        makeWindow({ id: 'weekly', label: 'Weekly', kind: 'weekly', usedPercent: used, resetAt: resetOf(p.data.usage, now), windowSeconds: WEEK_S, source: 'poll', observedAt: now }),
      );
    }
  }
  for (const l of p.data.limits ?? []) {
    if (!l.detail) continue;
    const used = usedPercent(l.detail);
    const duration = num(l.window?.duration);
    if (used === undefined || duration === undefined || duration <= 0) continue;
    const seconds = duration * unitSeconds(l.window?.timeUnit);
    const kind = classifyWindow(seconds);
    const id = kind === 'weekly' && out.some((w) => w.id === 'weekly') ? `weekly-${seconds}` : kind;
    out.push(
      makeWindow({ id, label: kindLabel(kind, seconds), kind, usedPercent: used, resetAt: resetOf(l.detail, now), windowSeconds: seconds, source: 'poll', observedAt: now }),
    );
  }
  return out;
}

export const kimiQuota: QuotaSource = {
  provider: 'kimi',
  async poll(ctx) {
    const res = await ctx.fetch(USAGE_URL, {
      method: 'GET',
      headers: { ...kimiIdentityHeaders(ctx.account.meta.device_id), authorization: `Bearer ${ctx.credential}`, accept: 'application/json' },
    });
    return parseKimiUsage(await readJson(res, 'kimi usages', ctx.now), ctx.now);
  },
};
