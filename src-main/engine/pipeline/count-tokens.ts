import { randomUUID } from 'node:crypto';
import { estimateInputTokens } from '../ir/estimate-tokens';
import { InvalidRequestError, type CountTokensCodec, type Protocol } from '../protocols/protocol';
import type { Candidate } from '../routing/types';
import { AttemptClock } from './attempt-clock';
import { brokenAnswer, networkFailure, upstreamFailure, type AttemptResult } from './attempt-result';
import { runWithFailover } from './failover';
import type { PipelineDeps } from './generate';
import { DEFAULT_LIMITS } from './limits';
import { readBodyBuffer, readBodyText, sendUpstream, toNetworkError } from './send-upstream';
import type { ClientSink } from './sink';
import { buildUpstreamRequest } from './upstream-request';
import { bodyPreview } from './upstream-message';

type CountInput = { inbound: Protocol; codec: CountTokensCodec; body: unknown; model: string; sink: ClientSink; requestId?: string; clientKeyLabel?: string };

/**
 * Count prompt tokens: ask the upstreams that have a counting endpoint (Claude, Gemini) through
 * the failover runner — a 429 cools the account, a 401 refreshes its token once — and when none
 * can (OpenAI-compatible, Codex) or all failed, answer with a local estimate.
 */
export async function runCountTokens(input: CountInput, deps: PipelineDeps): Promise<void> {
  let ir;
  try {
    ir = input.codec.decodeRequest(input.body, { model: input.model });
  } catch (err) {
    if (err instanceof InvalidRequestError) return input.sink.sendError({ status: 400, kind: 'invalid_request', message: err.message });
    throw err;
  }
  const counter = (c: Candidate) => {
    const provider = deps.providers(c.account.provider);
    const codec = deps.protocols[provider.protocol].countTokens;
    return provider.countTokens && codec ? { provider, codec } : undefined;
  };
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;

  const attempt = async (c: Candidate, credential: string): Promise<AttemptResult> => {
    const { provider, codec } = counter(c)!;
    const body = codec.encodeRequest(ir, { upstreamModel: c.upstreamModel });
    const req = buildUpstreamRequest(provider, { account: c.account, credential, upstreamModel: c.upstreamModel, stream: false, operation: 'count-tokens', body }, deps.hostOverrides());
    // A count is small and quick: the whole answer within request-timeout-seconds, bounded in size.
    const clock = new AttemptClock(input.sink.signal, limits.requestTimeoutMs);
    try {
      const res = await sendUpstream(req, deps.dispatchers.get(c.account.proxyUrl), input.sink.signal, { clock });
      deps.observer.onUpstreamHeaders?.(c.account, res.status, res.headers);
      if (res.status >= 400) {
        const text = await readBodyText(res.body);
        return upstreamFailure(provider, deps.protocols[provider.protocol], res, text, (f) => deps.observer.onUpstreamError?.(c.account, f));
      }
      const bytes = await readBodyBuffer(res.body, limits.upstreamBodyBytes, { signal: input.sink.signal, clock });
      let n: number;
      try {
        const parsed: unknown = JSON.parse(bytes.toString('utf8'));
        n = codec.decodeResponse(provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed);
      } catch {
        return brokenAnswer(res.status, { status: 502, message: `upstream answered ${res.status} with ${bodyPreview(bytes)}, not a token count`, code: 'upstream_bad_body' });
      }
      input.sink.sendJson(200, input.codec.encodeResponse(n));
      return { served: true, status: 200, outcome: { ok: true } };
    } catch (err) {
      return networkFailure(toNetworkError(err, input.sink.signal, clock));
    } finally {
      clock.dispose();
    }
  };

  await runWithFailover(
    {
      record: { requestId: input.requestId ?? randomUUID(), clientKeyLabel: input.clientKeyLabel, inboundFormat: input.inbound.id, operation: 'count-tokens', requestedModel: input.model, stream: false },
      client: input.sink,
      route: { capable: (c) => counter(c) !== undefined, capability: 'count-tokens' },
      // Token counts are not requests in the usage book.
      recorded: false,
      fallback: async () => {
        if (input.sink.signal.aborted) return;
        input.sink.sendJson(200, input.codec.encodeResponse(await estimateInputTokens(ir)));
      },
    },
    attempt,
    deps,
  );
}
