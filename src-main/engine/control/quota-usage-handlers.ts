import { ContractError, type Handlers } from '../../../src-shared/contract';
import type { QuotaSnapshot, UsageTotals } from '../../../src-shared/domain';
import type { ControlDeps } from './context';
import { toAccountQuota, toLogEntry } from './mappers';

type QuotaUsageHandlers = Pick<
  Handlers,
  'app:quota:get' | 'app:quota:refresh' | 'app:quota:set-thresholds' | 'app:usage:series' | 'app:usage:totals' | 'app:usage:recent'
>;

const zeroTotals: UsageTotals = {
  requests: 0,
  successes: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cachedTokens: 0,
  totalTokens: 0,
  avgLatencyMs: 0,
  avgTtftMs: 0,
};

/** Every account (including those with no windows yet) joined with its quota windows. */
export function quotaAccounts(d: ControlDeps, only?: ReadonlySet<string>): QuotaSnapshot['accounts'] {
  const windows = new Map(d.facade.quota.snapshot().map((s) => [s.accountId, s.windows]));
  return d.facade.accounts
    .list()
    .filter((v) => !only || only.has(v.account.id))
    .map((v) => toAccountQuota(v, windows.get(v.account.id) ?? []));
}

export function quotaSnapshot(d: ControlDeps): QuotaSnapshot {
  return { accounts: quotaAccounts(d), thresholds: d.facade.quota.thresholds(), at: d.now() };
}

export function quotaUsageHandlers(d: ControlDeps): QuotaUsageHandlers {
  const f = d.facade;
  return {
    'app:quota:get': async () => quotaSnapshot(d),
    'app:quota:refresh': async ({ accountId }) => {
      if (accountId && !f.accounts.list().some((v) => v.account.id === accountId)) {
        throw new ContractError('not-found', `no account ${accountId}`);
      }
      await f.quota.refresh(accountId);
      return quotaSnapshot(d);
    },
    'app:quota:set-thresholds': async (t) => {
      await f.quota.setThresholds(t);
      return f.quota.thresholds();
    },
    'app:usage:series': async (q) => {
      if (q.to <= q.from) throw new ContractError('bad-request', '`to` must be after `from`');
      return { points: f.usage?.series(q) ?? [] };
    },
    'app:usage:totals': async (range) => f.usage?.totals(range) ?? zeroTotals,
    'app:usage:recent': async ({ limit, filters }) => {
      const { onlyErrors, ...rest } = filters;
      // Error-only views read deeper so a quiet error among many successes still shows up.
      const rows = f.usage?.recent(onlyErrors ? Math.min(limit * 10, 5000) : limit, rest) ?? [];
      const picked = onlyErrors ? rows.filter((r) => !!r.errorClass || r.status >= 400 || r.status === 0).slice(0, limit) : rows;
      return { entries: picked.map(toLogEntry) };
    },
  };
}
