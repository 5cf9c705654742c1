import type { LocalUsageCounter } from '../usage/recorder';
import type { QuotaSource } from './source';
import { classifyWindow, makeWindow, type QuotaWindow } from './window';

/**
 * The meter for providers without a quota API (Qwen, iFlow): our own count of the account's
 * requests over a rolling window, labelled as a local count so nobody mistakes it for the provider's.
 */
export function localWindow(
  local: NonNullable<QuotaSource['local']>,
  counter: LocalUsageCounter,
  accountId: string,
  now: number,
): QuotaWindow {
  const c = counter.accountCounts(accountId, now - local.windowSeconds * 1000);
  const limit = local.requestLimit;
  return makeWindow({
    id: 'local',
    label: local.label,
    kind: classifyWindow(local.windowSeconds),
    usedPercent: limit ? (c.requests / limit) * 100 : 0,
    // Rolling window: it never resets all at once.
    resetAt: null,
    windowSeconds: local.windowSeconds,
    source: 'local',
    observedAt: now,
    count: { requests: c.requests, tokens: c.tokens, ...(limit ? { limit } : {}) },
  });
}
