import type { Scenario as OpenAIScenario } from '../fakes/upstreams/openai-chat-upstream';
import type { Scenario as StepScenario, ScenarioStep } from '../fakes/upstreams/claude-upstream';
import type { NeutralReply } from './scenarios';

/**
 * Neutral replies → each fake upstream's own script. The fakes then emit the real wire format
 * (event lifecycles, usage placement, finish words) of their kind.
 */

export type UpstreamKind = 'openai-chat' | 'openai-responses' | 'claude' | 'gemini';
export const UPSTREAM_KINDS: UpstreamKind[] = ['openai-chat', 'openai-responses', 'claude', 'gemini'];

/** How many content events of an OpenAI fake precede the mid-stream error (all text deltas). */
function openaiContentEvents(kind: UpstreamKind, r: NeutralReply): number {
  const texts = r.text?.length ?? 0;
  // Responses: output_item.added + content_part.added before the deltas.
  return kind === 'openai-responses' && texts ? texts + 2 : texts;
}

export function openaiScript(kind: 'openai-chat' | 'openai-responses', r: NeutralReply): OpenAIScenario {
  if (r.errorStatus) return { status: r.errorStatus };
  const finishReason = r.finish === 'length' ? 'length' : r.finish === 'tool_calls' ? 'tool_calls' : 'stop';
  const s: OpenAIScenario = {
    text: r.text,
    reasoning: r.reasoning,
    toolCalls: r.toolCalls?.map((c) => ({ id: c.id, name: c.name, argumentChunks: c.argChunks })),
    finishReason,
    usage: { input: r.usage.input, output: r.usage.output },
    quirks: {
      crlf: r.quirks?.crlf,
      splitUtf8: r.quirks?.splitUtf8,
      toolCallsInOneChunk: r.quirks?.oneChunkTools,
      emptyChoicesChunk: r.quirks?.emptyChoices,
      reasoningField: r.quirks?.reasoningField,
      itemsWithoutDeltas: r.quirks?.itemsWithoutDeltas,
    },
  };
  if (r.midStreamError) s.midStreamError = { afterEvents: openaiContentEvents(kind, r), message: r.midStreamError };
  return s;
}

function steps(r: NeutralReply, kind: 'claude' | 'gemini'): ScenarioStep[] {
  const out: ScenarioStep[] = [];
  if (r.reasoning?.length) {
    out.push({ type: 'thinking', text: r.reasoning.join(''), chunks: r.reasoning.length, signature: `sig-${kind}-reasoning-1` });
  }
  if (r.text?.length) out.push({ type: 'text', text: r.text.join(''), chunks: r.text.length });
  for (const c of r.toolCalls ?? []) {
    out.push({
      type: 'tool',
      name: c.name,
      // Gemini's API does not send call ids: the engine has to synthesise stable ones.
      ...(kind === 'claude' ? { id: c.id } : {}),
      args: c.argChunks.join(''),
      chunks: c.argChunks.length,
    });
  }
  return out;
}

export function claudeScript(r: NeutralReply): StepScenario {
  if (r.errorStatus) {
    const type = r.errorStatus === 429 ? 'rate_limit_error' : r.errorStatus === 400 ? 'invalid_request_error' : 'api_error';
    return { error: { status: r.errorStatus, body: { type: 'error', error: { type, message: `fake claude error ${r.errorStatus}` } } } };
  }
  const st = steps(r, 'claude');
  const s: StepScenario = {
    steps: st,
    stopReason: r.finish === 'length' ? 'max_tokens' : r.finish === 'tool_calls' ? 'tool_use' : 'end_turn',
    usage: { input: r.usage.input, output: r.usage.output },
    framing: { crlf: r.quirks?.crlf, splitUtf8: r.quirks?.splitUtf8, pings: r.quirks?.pings },
  };
  // After the whole text block: the client has seen its text before the error event.
  if (r.midStreamError) s.midStreamError = { afterStep: st.length, message: r.midStreamError };
  return s;
}

export function geminiScript(r: NeutralReply): StepScenario {
  if (r.errorStatus) {
    const status = r.errorStatus === 429 ? 'RESOURCE_EXHAUSTED' : r.errorStatus === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL';
    return { error: { status: r.errorStatus, body: { error: { code: r.errorStatus, message: `fake gemini error ${r.errorStatus}`, status } } } };
  }
  const s: StepScenario = {
    steps: steps(r, 'gemini'),
    stopReason: r.finish === 'length' ? 'MAX_TOKENS' : 'STOP',
    usage: { input: r.usage.input, output: r.usage.output },
    toolsInOneChunk: r.quirks?.oneChunkTools,
    usageInSeparateChunk: r.quirks?.usageSeparate,
    framing: { crlf: r.quirks?.crlf, splitUtf8: r.quirks?.splitUtf8, pings: r.quirks?.pings },
  };
  // Gemini counts chunks: one per text piece (and per reasoning piece).
  if (r.midStreamError) s.midStreamError = { afterStep: (r.text?.length ?? 0) + (r.reasoning?.length ?? 0), message: r.midStreamError };
  return s;
}
