import { request } from 'undici';
import type { Engine } from '../engine';
import type { TestPromptResult } from '../../../src-shared/domain';

/**
 * The mapping wizard's "try it": one small chat request through the engine's own HTTP endpoint,
 * so it takes exactly the path a client's request takes (routing, failover, usage).
 */
export async function runTestPrompt(engine: Engine, model: string, prompt: string, maxTokens: number): Promise<TestPromptResult> {
  const addr = engine.listening;
  const empty = { provider: null, accountLabel: null, upstreamModel: null, inputTokens: 0, outputTokens: 0 };
  if (!addr) return { ok: false, status: 0, text: '', latencyMs: 0, ...empty, error: 'The proxy is stopped; start it to send a test prompt.' };
  const key = engine.config.current['api-keys'][0];
  const started = performance.now();
  let seen: import('../pipeline/types').RequestRecord | undefined;
  const grab = (r: import('../pipeline/types').RequestRecord) => {
    if (r.requestedModel === model) seen = r;
  };
  engine.events.on('request', grab);
  try {
    const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host === '0.0.0.0' ? '127.0.0.1' : addr.host;
    const res = await request(`http://${host}:${addr.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-ui-test', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] }),
    });
    const body = (await res.body.json()) as { choices?: Array<{ message?: { content?: string } }>; usage?: { prompt_tokens?: number; completion_tokens?: number }; error?: { message?: string } };
    const ok = res.statusCode < 400;
    return {
      ok,
      status: res.statusCode,
      text: ok ? (body.choices?.[0]?.message?.content ?? '') : '',
      latencyMs: Math.round(performance.now() - started),
      provider: seen?.provider ?? null,
      accountLabel: seen?.accountLabel ?? null,
      upstreamModel: seen?.upstreamModel ?? null,
      inputTokens: body.usage?.prompt_tokens ?? 0,
      outputTokens: body.usage?.completion_tokens ?? 0,
      error: ok ? null : (body.error?.message ?? `HTTP ${res.statusCode}`),
    };
  } catch (err) {
    return { ok: false, status: 0, text: '', latencyMs: Math.round(performance.now() - started), ...empty, error: (err as Error).message };
  } finally {
    engine.events.off('request', grab);
  }
}
