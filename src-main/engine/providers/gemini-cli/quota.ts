import { z } from 'zod';
import { QuotaPollError, readJson, str, type QuotaFetch, type QuotaSource, type ResponseLike } from '../../quota/source';
import { parseGoogle429 } from '../gemini-api/quota-429';
import { makeWindow, num, parseResetTime, type QuotaWindow } from '../../quota/window';

/**
 * Gemini CLI (Code Assist) accounts: `v1internal:retrieveUserQuota` per-model buckets, with
 * `loadCodeAssist` for the tier and the quota project when the account does not know it yet.
 * Google ended consumer Gemini CLI OAuth on 2026-06-18; paid Code Assist still answers.
 */
const ORIGIN = 'https://cloudcode-pa.googleapis.com';

const bucketSchema = z.looseObject({
  modelId: z.string().nullish(),
  tokenType: z.string().nullish(),
  remainingFraction: z.union([z.number(), z.string()]).nullish(),
  remainingAmount: z.union([z.number(), z.string()]).nullish(),
  resetTime: z.string().nullish(),
});
const quotaSchema = z.looseObject({ buckets: z.array(bucketSchema).nullish() });

const tierSchema = z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish();
const loadSchema = z.looseObject({
  currentTier: tierSchema,
  paidTier: tierSchema,
  cloudaicompanionProject: z.union([z.string(), z.looseObject({ id: z.string().nullish() })]).nullish(),
});

/** Per model, the lowest remaining bucket is the one that will stop requests. */
export function parseGeminiCliQuota(body: unknown, now: number): QuotaWindow[] {
  const p = quotaSchema.safeParse(body);
  if (!p.success) return [];
  const byModel = new Map<string, QuotaWindow>();
  for (const b of p.data.buckets ?? []) {
    const model = b.modelId;
    const remaining = num(b.remainingFraction);
    if (!model || remaining === undefined) continue;
    const w = makeWindow({
      id: `model:${model}`,
      label: model,
      kind: 'per-model',
      usedPercent: (1 - remaining) * 100,
      resetAt: parseResetTime(b.resetTime),
      windowSeconds: 0,
      source: 'poll',
      observedAt: now,
      model,
    });
    const prev = byModel.get(model);
    if (!prev || w.usedPercent > prev.usedPercent) byModel.set(model, w);
  }
  return [...byModel.values()];
}

export function parseLoadCodeAssist(body: unknown): { tier?: string; projectId?: string } {
  const p = loadSchema.safeParse(body);
  if (!p.success) return {};
  // The paid tier, when present, is the one that decides the limits.
  const tier = p.data.paidTier?.name ?? p.data.paidTier?.id ?? p.data.currentTier?.name ?? p.data.currentTier?.id ?? undefined;
  const proj = p.data.cloudaicompanionProject;
  const projectId = typeof proj === 'string' ? proj : (proj?.id ?? undefined);
  return { ...(tier ? { tier } : {}), ...(projectId ? { projectId } : {}) };
}

export async function loadCodeAssist(
  fetch: QuotaFetch,
  origin: string,
  credential: string,
  ideType: 'GEMINI_CLI' | 'ANTIGRAVITY',
  project: string | undefined,
  now: number,
): Promise<{ tier?: string; projectId?: string }> {
  const res = explainShutdown(await fetch(`${origin}/v1internal:loadCodeAssist`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...(project ? { cloudaicompanionProject: project } : {}),
      metadata: { ideType, platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI', ...(project ? { duetProject: project } : {}) },
    }),
  }));
  return parseLoadCodeAssist(await readJson(res, 'loadCodeAssist', now));
}

export function accountProject(meta: Record<string, unknown>): string | undefined {
  return str(meta.projectId) ?? str(meta.project_id) ?? str(meta.project);
}

export const geminiCliQuota: QuotaSource = {
  provider: 'gemini-cli',
  parse429: parseGoogle429,
  async poll(ctx) {
    let project = accountProject(ctx.account.meta) ?? ctx.known.projectId;
    if (!project || ctx.known.tier === undefined) {
      const info = await loadCodeAssist(ctx.fetch, ORIGIN, ctx.credential, 'GEMINI_CLI', project, ctx.now);
      // Record a tier even when none came back, so the next poll does not ask again.
      ctx.note({ ...info, tier: info.tier ?? 'unknown' });
      project ??= info.projectId;
    }
    const res = await ctx.fetch(`${ORIGIN}/v1internal:retrieveUserQuota`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.credential}`, 'content-type': 'application/json' },
      body: JSON.stringify(project ? { project } : {}),
    });
    return parseGeminiCliQuota(await readJson(explainShutdown(res), 'gemini-cli retrieveUserQuota', ctx.now), ctx.now);
  },
};

/** Signals that Google no longer serves this Gemini CLI account (consumer tier ended 2026-06-18). */
const SHUTDOWN = /UNSUPPORTED_CLIENT|IneligibleTier|INELIGIBLE_ACCOUNT|migrate to Antigravity/i;

/** Turn the shutdown answers into an error that says what happened instead of a bare 400/403. */
function explainShutdown(res: ResponseLike): ResponseLike {
  if (res.status !== 400 && res.status !== 403) return res;
  return {
    status: res.status,
    headers: res.headers,
    async text() {
      const body = await res.text();
      if (SHUTDOWN.test(body)) {
        throw new QuotaPollError(
          res.status,
          'Google no longer serves Gemini CLI for this account (consumer tier ended 2026-06-18); sign in with Antigravity instead',
        );
      }
      return body;
    },
  };
}
