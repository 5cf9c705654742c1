import { z } from 'zod';
import { readJson, type HeaderBag, type QuotaSource } from '../../quota/source';
import { unifiedClaims } from './reset-hints';
import { FIVE_HOURS_S, WEEK_S, classifyWindow, makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';

/** Claude Code OAuth accounts: `anthropic-ratelimit-unified-*` headers, `/api/oauth/usage` + profile. */
const API_ORIGIN = 'https://api.anthropic.com';
const OAUTH_BETA = 'oauth-2025-04-20';

/** Header claim (`5h`, `7d`, `7d_oi`, `overage`) → our window id, kind and length. */
function claimWindow(claim: string): Pick<QuotaWindow, 'id' | 'label' | 'kind' | 'windowSeconds' | 'model'> | undefined {
  if (claim === '5h') return { id: '5h', label: '5-hour', kind: '5h', windowSeconds: FIVE_HOURS_S };
  if (claim === '7d') return { id: 'weekly', label: 'Weekly', kind: 'weekly', windowSeconds: WEEK_S };
  if (claim === 'overage') return { id: 'extra-usage', label: 'Extra usage', kind: 'credits', windowSeconds: 0 };
  const scoped = /^7d_(.+)$/.exec(claim);
  if (scoped) {
    const scope = scoped[1];
    return { id: `weekly-${scope}`, label: `Weekly (${scope})`, kind: 'per-model', windowSeconds: WEEK_S, model: scope };
  }
  const hours = /^(\d+)h$/.exec(claim);
  if (hours) {
    const s = Number(hours[1]) * 3600;
    return { id: claim, label: `${hours[1]}-hour`, kind: classifyWindow(s), windowSeconds: s };
  }
  return undefined;
}

/** Utilization in headers is a fraction (0–1); be lenient with senders that use percent. */
function headerPercent(v: number): number {
  return v <= 1 ? v * 100 : v;
}

export function parseClaudeHeaders(headers: HeaderBag, now: number): QuotaWindow[] {
  const claims = [...unifiedClaims(headers).claims.values()];
  const out: QuotaWindow[] = [];
  for (const c of claims) {
    const shape = claimWindow(c.claim);
    if (!shape || c.utilization === undefined) continue;
    out.push(makeWindow({ ...shape, usedPercent: headerPercent(c.utilization), resetAt: c.resetAt, source: 'traffic', observedAt: now }));
  }
  // A rejected claim with no utilization header still means "this window is full".
  for (const c of claims) {
    const shape = claimWindow(c.claim);
    if (!shape || c.status !== 'rejected' || out.some((w) => w.id === shape.id)) continue;
    // `overage-disabled-reason: org_level_disabled`: extra usage is off, not used up; say which.
    const why = c.disabledReason;
    out.push(makeWindow({ ...shape, usedPercent: 100, resetAt: c.resetAt, source: 'traffic', observedAt: now, ...(why ? { note: why } : {}) }));
  }
  return out;
}

const usageWindowSchema = z.looseObject({
  utilization: z.union([z.number(), z.string()]).nullish(),
  resets_at: z.union([z.string(), z.number()]).nullish(),
});
const usageBodySchema = z.record(z.string(), z.unknown());
const extraUsageSchema = z.looseObject({
  is_enabled: z.boolean().nullish(),
  monthly_limit: z.number().nullish(),
  used_credits: z.number().nullish(),
  utilization: z.number().nullish(),
});

/** `/api/oauth/usage` key → window. Unknown `seven_day_*`-like keys are model-scoped weeklies. */
function usageKeyWindow(key: string): Pick<QuotaWindow, 'id' | 'label' | 'kind' | 'windowSeconds' | 'model'> {
  if (key === 'five_hour') return { id: '5h', label: '5-hour', kind: '5h', windowSeconds: FIVE_HOURS_S };
  if (key === 'seven_day') return { id: 'weekly', label: 'Weekly', kind: 'weekly', windowSeconds: WEEK_S };
  const scope = key.startsWith('seven_day_') ? key.slice('seven_day_'.length) : key;
  const pretty = scope.replace(/_/g, ' ');
  return { id: `weekly-${scope}`, label: `Weekly (${pretty})`, kind: 'per-model', windowSeconds: WEEK_S, model: scope };
}

export function parseClaudeUsage(body: unknown, now: number): QuotaWindow[] {
  const parsed = usageBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const out: QuotaWindow[] = [];
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key === 'extra_usage') continue;
    const w = usageWindowSchema.safeParse(value);
    if (!w.success) continue;
    const used = num(w.data.utilization);
    // `null` windows are windows the plan does not have (e.g. opus on Pro): not a 0 % meter.
    if (used === undefined) continue;
    out.push(
      makeWindow({
        ...usageKeyWindow(key),
        usedPercent: used,
        resetAt: parseResetTime(w.data.resets_at),
        source: 'poll',
        observedAt: now,
      }),
    );
  }
  const extra = extraUsageSchema.safeParse(parsed.data.extra_usage);
  if (extra.success && extra.data.is_enabled) {
    const limit = extra.data.monthly_limit ?? undefined;
    const usedCredits = extra.data.used_credits ?? undefined;
    const used = extra.data.utilization ?? (limit && usedCredits !== undefined ? (usedCredits / limit) * 100 : 0);
    out.push(
      makeWindow({
        id: 'extra-usage',
        label: 'Extra usage',
        kind: 'credits',
        usedPercent: used,
        resetAt: null,
        windowSeconds: 0,
        source: 'poll',
        observedAt: now,
        ...(limit !== undefined && usedCredits !== undefined ? { balance: limit - usedCredits } : {}),
      }),
    );
  }
  return out;
}

const profileSchema = z.looseObject({
  account: z.looseObject({ has_claude_max: z.boolean().nullish(), has_claude_pro: z.boolean().nullish() }).nullish(),
  organization: z.looseObject({ rate_limit_tier: z.string().nullish() }).nullish(),
});

export function parseClaudePlan(body: unknown): string | undefined {
  const p = profileSchema.safeParse(body);
  if (!p.success) return undefined;
  const tier = p.data.organization?.rate_limit_tier ?? undefined;
  const max = /max_(\d+x)/.exec(tier ?? '');
  if (p.data.account?.has_claude_max) return max ? `Max ${max[1]}` : 'Max';
  if (p.data.account?.has_claude_pro) return 'Pro';
  return tier ?? undefined;
}

export const claudeQuota: QuotaSource = {
  provider: 'claude',
  parseHeaders: parseClaudeHeaders,
  // No parse429: Claude's 429 body carries no reset data; the same response's headers do, and the
  // quota book reads those through parseHeaders.
  async poll(ctx) {
    const headers = {
      authorization: `Bearer ${ctx.credential}`,
      'anthropic-beta': OAUTH_BETA,
      accept: 'application/json',
    };
    const res = await ctx.fetch(`${API_ORIGIN}/api/oauth/usage`, { method: 'GET', headers });
    const windows = parseClaudeUsage(await readJson(res, 'claude oauth/usage', ctx.now), ctx.now);
    // The plan changes rarely and the endpoint family is rate-limited per token: ask once.
    if (ctx.known.plan === undefined) {
      try {
        const prof = await ctx.fetch(`${API_ORIGIN}/api/oauth/profile`, { method: 'GET', headers });
        const plan = parseClaudePlan(await readJson(prof, 'claude oauth/profile', ctx.now));
        if (plan) ctx.note({ plan });
      } catch {
        // The meters matter more than the plan name; a failed profile read is not a failed poll.
      }
    }
    return windows;
  },
};
