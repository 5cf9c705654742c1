import { estimateInputTokens } from '../ir/estimate-tokens';
import { InvalidRequestError, type CountTokensCodec, type Protocol } from '../protocols/protocol';
import { applyHostOverrides } from '../upstream/host-overrides';
import { AttemptClock } from './attempt-clock';
import type { PipelineDeps } from './generate';
import { DEFAULT_LIMITS } from './limits';
import { readBodyText, sendUpstream } from './send-upstream';
import type { ClientSink } from './sink';

/**
 * Count prompt tokens: ask the first upstream that has a counting endpoint (Claude, Gemini);
 * when none can (OpenAI-compatible, Codex) or it fails, answer with a local estimate.
 */
export async function runCountTokens(
  input: { inbound: Protocol; codec: CountTokensCodec; body: unknown; model: string; sink: ClientSink },
  deps: PipelineDeps,
): Promise<void> {
  let ir;
  try {
    ir = input.codec.decodeRequest(input.body, { model: input.model });
  } catch (err) {
    if (err instanceof InvalidRequestError) return input.sink.sendError({ status: 400, kind: 'invalid_request', message: err.message });
    throw err;
  }
  const resolution = deps.routing.resolve(input.model);
  if (!resolution) {
    return input.sink.sendError({ status: 404, kind: 'not_found', code: 'model_not_found', message: deps.routing.unservedMessage?.(input.model) ?? `The model "${input.model}" is not served by any configured account.` });
  }
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  for (const c of deps.routing.order(resolution)) {
    const provider = deps.providers(c.account.provider);
    const upstreamCodec = deps.protocols[provider.protocol].countTokens;
    if (!provider.countTokens || !upstreamCodec) continue;
    // A count is small and quick: the whole answer within request-timeout-seconds, bounded in size.
    const clock = new AttemptClock(input.sink.signal, limits.requestTimeoutMs);
    try {
      const credential = await deps.credentials.get(c.account);
      let body = upstreamCodec.encodeRequest(ir, { upstreamModel: c.upstreamModel });
      const call = { account: c.account, credential, upstreamModel: c.upstreamModel, stream: false, operation: 'count-tokens' as const, body };
      if (provider.wrapRequest) body = provider.wrapRequest(body, call);
      const req = provider.buildRequest({ ...call, body });
      req.url = applyHostOverrides(req.url, deps.hostOverrides());
      const res = await sendUpstream(req, deps.dispatchers.get(c.account.proxyUrl), input.sink.signal, { clock });
      const text = await readBodyText(res.body);
      if (clock.timedOut) continue;
      if (res.status >= 400) continue;
      const parsed: unknown = JSON.parse(text);
      const n = upstreamCodec.decodeResponse(provider.unwrapResponse ? provider.unwrapResponse(parsed) : parsed);
      return input.sink.sendJson(200, input.codec.encodeResponse(n));
    } catch {
      if (input.sink.signal.aborted) return;
      // Fall through to the next candidate, and finally to the local estimate.
    } finally {
      clock.dispose();
    }
  }
  input.sink.sendJson(200, input.codec.encodeResponse(await estimateInputTokens(ir)));
}
