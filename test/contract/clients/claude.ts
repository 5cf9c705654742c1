import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { NeutralRequest } from '../scenarios';
import { emptyResult, sdkError, type CallOptions, type ClientAdapter, type ClientOutcome, type ClientResult } from './types';

/** Anthropic Messages through `@anthropic-ai/sdk`: `messages.create()` and the `messages.stream()` helper. */

export function claudeMessages(req: NeutralRequest): MessageParam[] {
  const out: MessageParam[] = [];
  for (const t of req.turns) {
    if (t.role === 'user') {
      out.push({
        role: 'user',
        content: t.image
          ? [
              { type: 'text', text: t.text },
              { type: 'image', source: { type: 'base64', media_type: t.image.mime as 'image/png', data: t.image.base64 } },
            ]
          : t.text,
      });
    } else if (t.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: [
          ...(t.text ? [{ type: 'text' as const, text: t.text }] : []),
          ...(t.toolCalls ?? []).map((c) => ({ type: 'tool_use' as const, id: c.id, name: c.name, input: c.args })),
        ],
      });
    } else {
      out.push({ role: 'user', content: t.results.map((r) => ({ type: 'tool_result' as const, tool_use_id: r.id, content: r.content })) });
    }
  }
  return out;
}

export function claudeParams(model: string, req: NeutralRequest): MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: req.maxTokens,
    messages: claudeMessages(req),
    ...(req.system ? { system: req.system } : {}),
    ...(req.tools
      ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as { type: 'object' } })) }
      : {}),
    ...(req.sampling ? { temperature: req.sampling.temperature, top_p: req.sampling.topP, stop_sequences: req.sampling.stop } : {}),
    ...(req.toolChoice ? { tool_choice: { type: 'any' as const } } : {}),
    ...(req.reasoning ? { thinking: { type: 'enabled' as const, budget_tokens: 2048 } } : {}),
  };
}

const FINISH: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls' };

export function readMessage(m: Message, out: ClientResult): void {
  for (const b of m.content) {
    if (b.type === 'text') out.text += b.text;
    else if (b.type === 'thinking') {
      out.reasoning += b.thinking;
      out.signatures.push(b.signature);
    } else if (b.type === 'tool_use') out.toolCalls.push({ id: b.id, name: b.name, args: b.input });
  }
  out.rawFinish = m.stop_reason ?? '';
  out.finish = FINISH[out.rawFinish] ?? out.rawFinish;
  out.usage = { input: m.usage.input_tokens, output: m.usage.output_tokens };
  out.usageDetails = { cached: m.usage.cache_read_input_tokens ?? undefined };
}

async function call(baseUrl: string, model: string, req: NeutralRequest, stream: boolean, opts: CallOptions = {}): Promise<ClientOutcome> {
  const client = new Anthropic({ baseURL: baseUrl, apiKey: 'sk-client', maxRetries: 0 });
  const params = claudeParams(model, req);
  const out = emptyResult();
  if (!stream) {
    try {
      readMessage(await client.messages.create(params), out);
      return out;
    } catch (err) {
      return sdkError(err, '', false);
    }
  }
  let started = false;
  let text = '';
  try {
    const s = client.messages.stream(params, { signal: opts.signal });
    for await (const ev of s) {
      started = true;
      out.events.push(ev.type === 'content_block_start' ? `content_block_start:${ev.content_block.type}` : ev.type);
      if (ev.type === 'content_block_delta' && ev.delta.type === 'text_delta') {
        text += ev.delta.text;
        opts.onText?.(ev.delta.text);
      }
    }
    readMessage(await s.finalMessage(), out);
    return out;
  } catch (err) {
    return sdkError(err, text, started);
  }
}

export const claudeClient: ClientAdapter = { format: 'claude', label: 'anthropic messages', call };
