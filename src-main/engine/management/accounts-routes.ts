import express, { type Router } from 'express';
import { z } from 'zod';
import type { EngineEvent, EngineFacade } from '../control/engine-facade';
import type { Engine } from '../engine';
import { authFor, OAUTH_PROVIDERS } from '../accounts/auths';
import type { OAuthProviderId } from '../accounts/types';
import { providerList } from '../providers';
import type { ProviderId } from '../providers/provider';

/** Key providers and the config section their entries go to (from the registry). */
const KEY_SECTIONS = new Map(providerList.flatMap((p) => (p.configSection ? [[p.id, p.configSection] as const] : [])));
const keyProviderIds = [...KEY_SECTIONS.keys()] as [ProviderId, ...ProviderId[]];

const addKeyAccount = z.object({
  provider: z.enum(keyProviderIds),
  api_key: z.string().min(1),
  base_url: z.string().url().optional(),
  name: z.string().optional(),
  prefix: z.string().optional(),
  priority: z.number().int().optional(),
});

/** Provider ids as CLIProxyAPI's `<provider>-auth-url` endpoints name them: each OAuth id, plus its auth's aliases. */
const AUTH_URL_NAMES = new Map<string, OAuthProviderId>(OAUTH_PROVIDERS.flatMap((id) => [[id, id] as const, ...(authFor(id).aliases ?? []).map((a) => [a, id] as const)]));

/**
 * Accounts over the management API: the seed's `/accounts` (list + add from credentials),
 * CLIProxyAPI's `/auth-files` listing, and the web sign-in trio `<provider>-auth-url`,
 * `get-auth-status`, `oauth-callback`. Plus `/logs`: the recent request log (no secrets).
 */
export function accountsRoutes(engine: Engine, facade: EngineFacade): Router {
  const r = express.Router();
  const outcomes = new Map<string, { status: 'wait' | 'ok' | 'error'; error?: string; at: number }>();
  facade.subscribe((e: EngineEvent) => {
    if (e.type !== 'sign-in-result') return;
    outcomes.set(e.outcome.flowId, { status: e.outcome.ok ? 'ok' : 'error', error: e.outcome.error?.message, at: Date.now() });
    for (const [k, v] of outcomes) if (Date.now() - v.at > 3_600_000) outcomes.delete(k);
  });

  const listed = () =>
    facade.accounts.list().map((v) => {
      const windows = engine.quota.book.get(v.account.id)?.windows ?? [];
      const tightest = windows.length ? Math.max(...windows.map((w) => w.usedPercent)) : undefined;
      return {
        id: v.account.id,
        provider: v.account.provider,
        label: v.account.label,
        status: v.status,
        quota_remaining: tightest === undefined ? null : Math.round((100 - tightest) * 10) / 10,
        cooldown_until: v.coolingUntil ? new Date(v.coolingUntil).toISOString() : null,
        expires_at: v.expiresAt ? new Date(v.expiresAt).toISOString() : null,
        priority: v.account.priority,
        prefix: v.account.prefix ?? null,
      };
    });

  r.get('/accounts', (_req, res) => {
    res.json({ accounts: listed() });
  });
  r.post('/accounts', express.json(), async (req, res) => {
    const body = addKeyAccount.safeParse(req.body);
    if (!body.success) {
      return void res.status(400).json({
        error: `body must be {provider: ${keyProviderIds.join('|')}, api_key, base_url?, name?, prefix?, priority?}; OAuth accounts are added by signing in (GET /<provider>-auth-url)`,
        details: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const b = body.data;
    const keySection = KEY_SECTIONS.get(b.provider)!;
    if (keySection.baseUrlRequired && !b.base_url) return void res.status(400).json({ error: `base_url is required for ${b.provider}` });
    const section = keySection.section;
    const entry: Record<string, unknown> = { 'api-key': b.api_key };
    if (b.base_url) entry['base-url'] = b.base_url;
    if (b.name) entry.name = b.name;
    if (b.prefix) entry.prefix = b.prefix;
    if (b.priority !== undefined) entry.priority = b.priority;
    const before = new Set(engine.keyedAccounts().map((a) => a.id));
    await engine.config.update((doc) => {
      const list = doc.getIn([section]);
      if (list && typeof list === 'object' && 'items' in list) doc.addIn([section], entry);
      else doc.setIn([section], [entry]);
    });
    const added = listed().find((a) => !before.has(a.id) && a.provider === b.provider);
    res.status(201).json({ status: 'ok', account: added ?? null });
  });

  r.get('/auth-files', (_req, res) => {
    const files = facade.accounts
      .list()
      .filter((v) => v.account.kind === 'oauth')
      .map((v, i) => ({
        id: v.account.id,
        auth_index: i,
        name: `${v.account.id}.json`,
        type: v.account.provider,
        provider: v.account.provider,
        label: v.account.label,
        email: v.account.label.includes('@') ? v.account.label : undefined,
        status: v.status,
        disabled: v.status === 'disabled',
        unavailable: v.status === 'needs-sign-in',
        priority: v.account.priority,
        next_retry_after: v.coolingUntil ? new Date(v.coolingUntil).toISOString() : null,
        project_id: (v.account.meta.projectId as string | undefined) ?? undefined,
      }));
    res.json({ files });
  });
  r.patch('/auth-files/status', express.json(), async (req, res) => {
    const b = z.object({ name: z.string(), disabled: z.boolean() }).safeParse(req.body);
    if (!b.success) return void res.status(400).json({ error: 'body must be {name, disabled}' });
    const id = b.data.name.replace(/\.json$/, '');
    if (!(await facade.accounts.setEnabled(id, !b.data.disabled))) return void res.status(404).json({ error: `no account ${b.data.name}` });
    res.json({ status: 'ok' });
  });
  r.delete('/auth-files', async (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name : '';
    if (!name) return void res.status(400).json({ error: 'name is required' });
    if (!(await facade.accounts.remove(name.replace(/\.json$/, '')))) return void res.status(404).json({ error: `no account ${name}` });
    res.json({ status: 'ok' });
  });

  r.get('/:provider-auth-url', async (req, res) => {
    const provider = AUTH_URL_NAMES.get(req.params.provider);
    if (!provider) return void res.status(404).json({ error: `unknown provider ${req.params.provider}` });
    try {
      const start = await facade.signIn.start(provider, {});
      outcomes.set(start.flowId, { status: 'wait', at: Date.now() });
      res.json({ status: 'ok', url: start.authorizeUrl ?? start.verificationUri, state: start.flowId, user_code: start.userCode });
    } catch (err) {
      res.status(502).json({ status: 'error', error: (err as Error).message });
    }
  });
  r.get('/get-auth-status', async (req, res) => {
    const state = String(req.query.state ?? '');
    // Behind a load balancer the flow may run on another instance: the shared store knows its outcome.
    const o = outcomes.get(state) ?? (await engine.team?.signIns.outcome(state).catch(() => undefined));
    if (!o) return void res.status(404).json({ status: 'error', error: 'unknown state' });
    res.json(o.error ? { status: o.status, error: o.error } : { status: o.status });
  });
  r.post('/oauth-callback', express.json(), async (req, res) => {
    const b = z.object({ state: z.string(), redirect_url: z.string().optional(), url: z.string().optional() }).safeParse(req.body);
    const url = b.success ? (b.data.redirect_url ?? b.data.url) : undefined;
    if (!b.success || !url) return void res.status(400).json({ error: 'body must be {state, redirect_url}' });
    if (!(await facade.signIn.pasteRedirect(b.data.state, url))) return void res.status(404).json({ error: 'no sign-in waiting for that state' });
    res.json({ status: 'ok' });
  });

  r.get('/logs', (req, res) => {
    const after = Number(req.query.after ?? 0) * 1000;
    const lines = engine.recentRequests
      .filter((x) => x.time > after)
      .map((x) => `${new Date(x.time).toISOString()} ${x.status} ${x.inboundFormat} ${x.requestedModel} -> ${x.provider ?? '-'}:${x.upstreamModel ?? '-'} [${x.accountLabel ?? '-'}] ${Math.round(x.latencyMs)}ms${x.errorMessage ? ` ${x.errorMessage}` : ''}`);
    const latest = engine.recentRequests[engine.recentRequests.length - 1];
    res.json({ lines, 'line-count': lines.length, 'latest-timestamp': latest ? Math.floor(latest.time / 1000) : 0 });
  });
  return r;
}
