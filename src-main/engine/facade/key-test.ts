import type { Engine } from '../engine';
import type { KeySection, KeyTestResult } from '../../../src-shared/domain';
import { protocols } from '../protocols';
import { providerFor } from '../providers';
import { accountsFromConfig } from '../providers/config-accounts';
import type { UpstreamCall } from '../providers/provider';
import { buildUpstreamRequest } from '../pipeline/upstream-request';
import { readUpstreamFailure } from '../providers/read-failure';
import { readBodyText, sendUpstream, toNetworkError } from '../pipeline/send-upstream';
import { upstreamMessageOf } from '../pipeline/upstream-message';

/** A key test waits at most this long for the answer (the whole point is a quick yes or no). */
const TEST_TIMEOUT_MS = 30_000;

/** Where it went, without a query string (a key in `?key=` must never reach the UI). */
function shownUrl(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/**
 * "Test" on the Keys page: one tiny request ("ping", one output token; 16 for the Responses
 * format, its minimum) through the first key of ONE config entry, built by the entry's own
 * provider and protocol code, with its base URL, headers, proxy and the host overrides — but
 * not through routing: no other account is tried, no cooldown is set, nothing is recorded as
 * client usage. Never throws; a failure carries the upstream's own message.
 */
export async function testKeyEntry(engine: Engine, at: { section: KeySection; index: number }, model: string | null): Promise<KeyTestResult> {
  const cfg = engine.config.current;
  const keyed = accountsFromConfig(cfg).find((k) => k.configPath[0] === at.section && k.configPath[1] === at.index);
  const base = { ok: false, status: 0, latencyMs: 0, model: model ?? '', url: '' };
  if (!keyed) return { ...base, error: 'This entry has no key to test.' };
  const { account, apiKey } = keyed;
  const provider = providerFor(account.provider);
  const upstreamModel = model ?? account.models?.[0]?.name ?? provider.defaultModels[0];
  if (!upstreamModel) return { ...base, error: 'This entry lists no models: name one to test with.' };
  const proto = protocols[provider.protocol];
  const stream = provider.forceStream ?? false;
  const maxTokens = provider.protocol === 'openai-responses' ? 16 : 1;
  const ir = protocols['openai-chat'].decodeRequest({ model: upstreamModel, max_tokens: maxTokens, messages: [{ role: 'user', content: 'ping' }] }, { model: upstreamModel, stream: false });
  const body = proto.encodeRequest(ir, { upstreamModel, stream }).body as Record<string, unknown>;
  const call: UpstreamCall = { account, credential: apiKey, upstreamModel, stream, operation: 'generate', body };
  const req = buildUpstreamRequest(provider, call, cfg['host-overrides']);
  const url = shownUrl(req.url);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TEST_TIMEOUT_MS);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await sendUpstream(req, engine.dispatchers.get(account.proxyUrl), abort.signal, { headersTimeoutMs: TEST_TIMEOUT_MS, bodyTimeoutMs: TEST_TIMEOUT_MS });
    const text = await readBodyText(res.body, 64 * 1024);
    const latencyMs = elapsed();
    if (res.status < 400) return { ok: true, status: res.status, latencyMs, model: upstreamModel, url, error: null };
    const failure = readUpstreamFailure(provider, { status: res.status, headers: res.headers, body: text, now: Date.now() });
    const message = upstreamMessageOf(proto.decodeError(failure), failure.text);
    return { ok: false, status: res.status, latencyMs, model: upstreamModel, url, error: message ?? `HTTP ${res.status}` };
  } catch (err) {
    const net = toNetworkError(err);
    const why = abort.signal.aborted ? `no answer within ${TEST_TIMEOUT_MS / 1000} s` : net.message;
    return { ...base, latencyMs: elapsed(), model: upstreamModel, url, error: why };
  } finally {
    clearTimeout(timer);
  }
}
