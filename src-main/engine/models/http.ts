import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { Account } from '../providers/provider';
import { applyHostOverrides, type HostOverrides } from '../upstream/host-overrides';
import type { ModelListFetch } from './discovery';

/**
 * The model-list transport: undici with the account's proxy/keep-alive pool, every URL through
 * host-overrides (read per call, so a reload applies), no redirects (a token never follows one),
 * bounded in time.
 */
export function createModelListFetch(o: {
  hostOverrides: () => HostOverrides;
  dispatcherFor?: (account: Account) => Dispatcher | undefined;
  timeoutMs?: number;
}): ModelListFetch {
  return async (account, req) => {
    const dispatcher = o.dispatcherFor?.(account);
    return undiciFetch(applyHostOverrides(req.url, o.hostOverrides()), {
      method: req.method,
      headers: req.headers,
      body: req.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs ?? 20_000),
      ...(dispatcher ? { dispatcher } : {}),
    });
  };
}
