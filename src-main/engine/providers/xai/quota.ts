import { z } from 'zod';
import { readJson, str, type QuotaSource } from '../../quota/source';
import { WEEK_S, makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';
import { xaiIdentityHeaders, xaiUserId } from './identity';

/**
 * xAI / SuperGrok accounts (Grok CLI sign-in): weekly credits from `v1/billing?format=credits`,
 * the monthly allowance from `v1/billing`. Both on the Grok CLI proxy host with its client headers.
 */
const ORIGIN = 'https://cli-chat-proxy.grok.com';

const numish = z.union([z.number(), z.string()]).nullish();
const creditsSchema = z.looseObject({
  config: z.looseObject({ credit_usage_percent: numish }).nullish(),
  credit_usage_percent: numish,
  current_period: z.looseObject({ type: z.string().nullish(), end: z.union([z.string(), z.number()]).nullish() }).nullish(),
  product_usage: z.array(z.looseObject({ product: z.string().nullish(), usage_percent: numish })).nullish(),
});
const monthlySchema = z.looseObject({
  monthly_limit: numish,
  used: numish,
  billing_period_end: z.union([z.string(), z.number()]).nullish(),
});

export function parseXaiCredits(body: unknown, now: number): QuotaWindow[] {
  const p = creditsSchema.safeParse(body);
  if (!p.success) return [];
  const out: QuotaWindow[] = [];
  const used = num(p.data.config?.credit_usage_percent) ?? num(p.data.credit_usage_percent);
  const periodType = (p.data.current_period?.type ?? 'week').toLowerCase();
  const monthly = periodType.includes('month');
  const resetAt = parseResetTime(p.data.current_period?.end);
  if (used !== undefined) {
    out.push(
      makeWindow({
        id: monthly ? 'monthly-credits' : 'weekly',
        label: monthly ? 'Monthly credits' : 'Weekly credits',
        kind: monthly ? 'monthly' : 'weekly',
        usedPercent: used,
        resetAt,
        windowSeconds: monthly ? 30 * 86_400 : WEEK_S,
        source: 'poll',
        observedAt: now,
      }),
    );
  }
  for (const pu of p.data.product_usage ?? []) {
    const u = num(pu.usage_percent);
    const product = str(pu.product);
    if (u === undefined || !product) continue;
    out.push(
      makeWindow({ id: `product:${product}`, label: product, kind: 'per-model', usedPercent: u, resetAt, windowSeconds: 0, source: 'poll', observedAt: now, model: product }),
    );
  }
  return out;
}

export function parseXaiMonthly(body: unknown, now: number): QuotaWindow[] {
  const p = monthlySchema.safeParse(body);
  if (!p.success) return [];
  const limit = num(p.data.monthly_limit);
  const used = num(p.data.used);
  if (limit === undefined || limit <= 0 || used === undefined) return [];
  return [
    makeWindow({
      id: 'monthly',
      label: 'Monthly',
      kind: 'monthly',
      usedPercent: (used / limit) * 100,
      resetAt: parseResetTime(p.data.billing_period_end),
      windowSeconds: 30 * 86_400,
      source: 'poll',
      observedAt: now,
      // Amounts are cents.
      balance: (limit - used) / 100,
    }),
  ];
}

export const xaiQuota: QuotaSource = {
  provider: 'xai',
  async poll(ctx) {
    const headers: Record<string, string> = {
      authorization: `Bearer ${ctx.credential}`,
      ...xaiIdentityHeaders(xaiUserId(ctx.account.meta)),
      accept: 'application/json',
    };
    const credits = await ctx.fetch(`${ORIGIN}/v1/billing?format=credits`, { method: 'GET', headers });
    const windows = parseXaiCredits(await readJson(credits, 'xai billing credits', ctx.now), ctx.now);
    try {
      const monthly = await ctx.fetch(`${ORIGIN}/v1/billing`, { method: 'GET', headers });
      windows.push(...parseXaiMonthly(await readJson(monthly, 'xai billing', ctx.now), ctx.now));
    } catch (err) {
      // Weekly credits are the meter that matters; without them the poll failed, without this it did not.
      if (windows.length === 0) throw err;
    }
    return windows;
  },
};
