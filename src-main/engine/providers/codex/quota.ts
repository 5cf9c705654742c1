import { z } from 'zod';
import { headerMap, readJson, str, type HeaderBag, type QuotaSource } from '../../quota/source';
import type { UpstreamFailure } from '../../upstream/failure/types';
import { codexHeaderSlots } from './reset-hints';
import { classifyWindow, kindLabel, makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';

/** ChatGPT-plan Codex accounts: `x-codex-*` headers on every answer, `wham/usage` when idle. */
const USAGE_URL = 'https://chatgpt.com/backend-api/wham/usage';

/**
 * id/label for a window of a given length, optionally scoped to a model family. The family id is
 * what the headers call it (`x-codex-<family>-…`), so header and poll readings land on one window.
 */
function windowShape(
  seconds: number,
  family?: string,
  familyLabel = family,
): Pick<QuotaWindow, 'id' | 'label' | 'kind' | 'windowSeconds' | 'model'> {
  const k = classifyWindow(seconds);
  const base = k === '5h' && seconds !== 5 * 3600 ? `${Math.round(seconds / 3600)}h` : k;
  if (!family) return { id: base, label: kindLabel(k, seconds), kind: k, windowSeconds: seconds };
  return { id: `${family}:${base}`, label: `${familyLabel} ${kindLabel(k, seconds)}`, kind: 'per-model', windowSeconds: seconds, model: family };
}

export function parseCodexHeaders(headers: HeaderBag, now: number): QuotaWindow[] {
  const h = headerMap(headers);
  const out: QuotaWindow[] = [];
  for (const slot of codexHeaderSlots(h, now)) {
    const minutes = slot.windowMinutes;
    if (minutes === undefined || minutes <= 0) continue;
    out.push(makeWindow({ ...windowShape(minutes * 60, slot.family), usedPercent: slot.usedPercent, resetAt: slot.resetAt, source: 'traffic', observedAt: now }));
  }
  const hasCredits = h.get('x-codex-credits-has-credits');
  if (hasCredits !== undefined) {
    const unlimited = h.get('x-codex-credits-unlimited') === 'true';
    const balance = num(h.get('x-codex-credits-balance'));
    out.push(creditsWindow(hasCredits === 'true', unlimited, balance, 'traffic', now));
  }
  return out;
}

function creditsWindow(has: boolean, unlimited: boolean, balance: number | undefined, source: 'traffic' | 'poll', now: number): QuotaWindow {
  // Credits are a balance, not a fraction: the meter reads "empty" only when there is nothing left.
  const empty = !unlimited && (!has || (balance !== undefined && balance <= 0));
  return makeWindow({
    id: 'credits',
    label: unlimited ? 'Credits (unlimited)' : 'Credits',
    kind: 'credits',
    usedPercent: empty ? 100 : 0,
    resetAt: null,
    windowSeconds: 0,
    source,
    observedAt: now,
    ...(balance !== undefined ? { balance } : {}),
  });
}

const windowSchema = z.looseObject({
  used_percent: z.union([z.number(), z.string()]).nullish(),
  limit_window_seconds: z.union([z.number(), z.string()]).nullish(),
  reset_after_seconds: z.union([z.number(), z.string()]).nullish(),
  reset_at: z.union([z.number(), z.string()]).nullish(),
});
const rateLimitSchema = z.looseObject({
  allowed: z.boolean().nullish(),
  limit_reached: z.boolean().nullish(),
  primary_window: windowSchema.nullish(),
  secondary_window: windowSchema.nullish(),
});
const usageSchema = z.looseObject({
  plan_type: z.string().nullish(),
  rate_limit: rateLimitSchema.nullish(),
  code_review_rate_limit: rateLimitSchema.nullish(),
  additional_rate_limits: z
    .array(z.looseObject({ limit_name: z.string().nullish(), metered_feature: z.string().nullish(), rate_limit: rateLimitSchema.nullish() }))
    .nullish(),
  credits: z
    .looseObject({
      has_credits: z.boolean().nullish(),
      unlimited: z.boolean().nullish(),
      balance: z.union([z.number(), z.string()]).nullish(),
    })
    .nullish(),
});

function rateLimitWindows(
  rl: z.infer<typeof rateLimitSchema> | null | undefined,
  family: string | undefined,
  now: number,
  familyLabel?: string,
): QuotaWindow[] {
  const out: QuotaWindow[] = [];
  for (const w of [rl?.primary_window, rl?.secondary_window]) {
    if (!w) continue;
    const seconds = num(w.limit_window_seconds);
    const used = num(w.used_percent);
    if (seconds === undefined || seconds <= 0 || used === undefined) continue;
    let resetAt = parseResetTime(w.reset_at);
    const after = num(w.reset_after_seconds);
    if (resetAt === null && after !== undefined) resetAt = now + after * 1000;
    out.push(makeWindow({ ...windowShape(seconds, family, familyLabel), usedPercent: used, resetAt, source: 'poll', observedAt: now }));
  }
  return out;
}

export function parseCodexUsage(body: unknown, now: number): { windows: QuotaWindow[]; plan?: string } {
  const p = usageSchema.safeParse(body);
  if (!p.success) return { windows: [] };
  const d = p.data;
  const windows = rateLimitWindows(d.rate_limit, undefined, now);
  windows.push(...rateLimitWindows(d.code_review_rate_limit, 'code-review', now));
  for (const extra of d.additional_rate_limits ?? []) {
    // `codex_bengalfox` (metered feature) is the `bengalfox` family of the headers.
    const family = extra.metered_feature?.replace(/^codex_/, '') ?? extra.limit_name;
    if (family) windows.push(...rateLimitWindows(extra.rate_limit, family, now, extra.limit_name ?? family));
  }
  if (d.credits && (d.credits.has_credits !== undefined || d.credits.unlimited !== undefined)) {
    windows.push(creditsWindow(!!d.credits.has_credits, !!d.credits.unlimited, num(d.credits.balance), 'poll', now));
  }
  return { windows, ...(d.plan_type ? { plan: d.plan_type } : {}) };
}

/** A 429's quota facts (read once with the failure, see `reset-hints.ts`) → the window that ran out is full. */
export function parseCodex429(failure: UpstreamFailure): QuotaWindow[] {
  const q = failure.quota;
  if (!q || q.resetAt === null || q.windowSeconds === undefined) return [];
  return [makeWindow({ ...windowShape(q.windowSeconds), usedPercent: 100, resetAt: q.resetAt, source: 'traffic', observedAt: failure.receivedAt })];
}

/** The ChatGPT workspace id the usage endpoint wants, from the account's non-secret metadata. */
function chatgptAccountId(meta: Record<string, unknown>): string | undefined {
  return str(meta.chatgptAccountId) ?? str(meta.accountId) ?? str(meta.account_id) ?? str(meta.chatgpt_account_id);
}

export const codexQuota: QuotaSource = {
  provider: 'codex',
  parseHeaders: parseCodexHeaders,
  parse429: parseCodex429,
  async poll(ctx) {
    const headers: Record<string, string> = { authorization: `Bearer ${ctx.credential}`, accept: 'application/json' };
    const id = chatgptAccountId(ctx.account.meta);
    if (id) headers['chatgpt-account-id'] = id;
    const res = await ctx.fetch(USAGE_URL, { method: 'GET', headers });
    const { windows, plan } = parseCodexUsage(await readJson(res, 'codex wham/usage', ctx.now), ctx.now);
    if (plan) ctx.note({ plan });
    return windows;
  },
};
