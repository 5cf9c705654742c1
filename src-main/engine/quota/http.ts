import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { applyHostOverrides, type HostOverrides } from '../upstream/host-overrides';
import type { QuotaFetch } from './source';

export interface QuotaHttpOptions {
  hostOverrides?: HostOverrides;
  /** Per-account proxy / keep-alive pool (e.g. `DispatcherPool.get(account.proxyUrl)`). */
  dispatcher?: Dispatcher;
  /** Whole-request timeout. Default 15 s: a quota read is small and never worth a long wait. */
  timeoutMs?: number;
}

/** The default poll transport: undici fetch, every URL through host-overrides, bounded in time. */
export function createQuotaFetch(opts: QuotaHttpOptions = {}): QuotaFetch {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return async (url, init) => {
    const target = applyHostOverrides(url, opts.hostOverrides ?? {});
    return undiciFetch(target, {
      method: init.method,
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
  };
}
