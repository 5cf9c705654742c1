import { z } from 'zod';
import { readJson, type QuotaSource } from '../../quota/source';
import { makeWindow, parseResetTime, type QuotaWindow } from '../../quota/window';
import { GITHUB_API, githubApiHeaders } from './identity';

/**
 * Copilot's allowance: `GET api.github.com/copilot_internal/user` → `quota_snapshots`, of which
 * `premium_interactions` (the monthly premium-request allowance) is the one that runs out;
 * `chat` and `completions` are unlimited on paid plans. Resets on `quota_reset_date`.
 */
const snapshotSchema = z.looseObject({
  entitlement: z.number().nullish(),
  remaining: z.number().nullish(),
  percent_remaining: z.number().nullish(),
  unlimited: z.boolean().nullish(),
});
const userSchema = z.looseObject({
  copilot_plan: z.string().nullish(),
  quota_reset_date: z.string().nullish(),
  quota_snapshots: z.looseObject({ premium_interactions: snapshotSchema.nullish(), chat: snapshotSchema.nullish() }).nullish(),
});

const MONTH_S = 30 * 86_400;

export function parseCopilotUser(body: unknown, now: number): { windows: QuotaWindow[]; plan?: string } {
  const p = userSchema.safeParse(body);
  if (!p.success) return { windows: [] };
  const windows: QuotaWindow[] = [];
  const premium = p.data.quota_snapshots?.premium_interactions;
  if (premium && !premium.unlimited) {
    const used =
      premium.percent_remaining != null
        ? 100 - premium.percent_remaining
        : premium.entitlement && premium.remaining != null
          ? ((premium.entitlement - premium.remaining) / premium.entitlement) * 100
          : undefined;
    if (used !== undefined) {
      windows.push(
        makeWindow({
          id: 'premium',
          label: 'Premium requests',
          kind: 'monthly',
          usedPercent: Math.max(0, Math.min(100, used)),
          resetAt: parseResetTime(p.data.quota_reset_date),
          windowSeconds: MONTH_S,
          source: 'poll',
          observedAt: now,
        }),
      );
    }
  }
  return { windows, plan: p.data.copilot_plan ?? undefined };
}

/**
 * The poll authenticates with the GitHub token (`Authorization: token gho_…`): api.github.com
 * does not take the Copilot token, so this source asks for the account-API credential, which
 * the auth flow's `accountApiCredentialOf` hook answers with the stored GitHub token.
 */
export const copilotQuota: QuotaSource = {
  provider: 'copilot',
  credential: 'account-api',
  async poll(ctx) {
    const res = await ctx.fetch(`${GITHUB_API}/copilot_internal/user`, { method: 'GET', headers: githubApiHeaders(ctx.credential) });
    const { windows, plan } = parseCopilotUser(await readJson(res, 'copilot user', ctx.now), ctx.now);
    if (plan) ctx.note({ plan });
    return windows;
  },
};
