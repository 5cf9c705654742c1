import express, { type Router } from 'express';
import { z } from 'zod';
import type { Account } from '../providers/provider';
import type { QuotaService } from '../quota';
import type { Routing } from '../routing';

export interface QuotaRouteDeps {
  accounts: () => readonly Account[];
  status: (a: Account) => string;
  quota: QuotaService;
  routing: Routing;
}

/**
 * `GET /quota`: every account with its live windows. `POST /reset-quota`: clear the cooldowns
 * of one account (CLIProxyAPI's `auth_index`, or our `id`), of one model, or of all.
 */
export function quotaRoutes(deps: QuotaRouteDeps): Router {
  const r = express.Router();
  r.get('/quota', (_req, res) => {
    const byId = new Map(deps.quota.book.snapshot().map((q) => [q.accountId, q]));
    res.json({
      accounts: deps.accounts().map((a) => {
        const q = byId.get(a.id);
        return {
          id: a.id,
          provider: a.provider,
          label: a.label,
          status: deps.status(a),
          plan: q?.plan ?? null,
          cooldown_until: deps.routing.accountCooldownUntil(a.id) ?? deps.routing.cooldownsFor(a.id)[0]?.until ?? null,
          cooldowns: deps.routing.cooldownsFor(a.id).map((c) => ({ model: c.model || null, until: c.until, reason: c.reason })),
          windows: q?.windows ?? [],
          updated_at: q?.updatedAt ?? null,
        };
      }),
    });
  });
  const resetBody = z.object({
    auth_index: z.union([z.string(), z.number()]).optional(),
    id: z.string().optional(),
    model: z.string().optional(),
    all: z.boolean().optional(),
  });
  r.post('/reset-quota', express.json(), (req, res) => {
    const body = resetBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: 'body must be {id|auth_index, model?} or {all: true}' });
    const ref = body.data.id ?? (body.data.auth_index !== undefined ? String(body.data.auth_index) : undefined);
    if (!ref && !body.data.all && !body.data.model) return void res.status(400).json({ error: 'say which account (id or auth_index), which model, or all: true' });
    const account = ref ? deps.accounts().find((a) => a.id === ref || String(a.order) === ref) : undefined;
    if (ref && !account) return void res.status(404).json({ error: `no account ${ref}` });
    const cleared = deps.routing.resetCooldowns({ accountId: account?.id, model: body.data.model });
    res.json({ status: 'ok', auth_index: ref ?? null, cleared });
  });
  return r;
}
