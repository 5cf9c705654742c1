import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { NeutralRequest } from '../scenarios';
import { emptyResult, parseJson, sdkError, type CallOptions, type ClientAdapter, type ClientOutcome, type ClientResult } from './types';

/** OpenAI Chat Completions through the `openai` SDK: `create()` and the `.stream()` helper. */

export function chatMessages(req: NeutralRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (req.system) out.push({ role: 'system', content: req.system });
  for (const t of req.turns) {
    if (t.role === 'user') {
      out.push(
        t.image
          ? { role: 'user', content: [{ type: 'text', text: t.text }, { type: 'image_url', image_url: { url: `data:${t.image.mime};base64,${t.image.base64}` } }] }
          : { role: 'user', content: t.text },
      );
    } else if (t.role === 'assistant') {
      out.push({
        role: 'assistant',
        content: t.text ?? null,
        ...(t.toolCalls?.length
          ? { tool_calls: t.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.args) } })) }
          : {}),
      });
    } else {
      for (const r of t.results) out.push({ role: 'tool', tool_call_id: r.id, content: r.content });
    }
  }
  return out;
}

export function chatParams(model: string, req: NeutralRequest): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: chatMessages(req),
    max_tokens: req.maxTokens,
    ...(req.tools ? { tools: req.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
    ...(req.sampling ? { temperature: req.sampling.temperature, top_p: req.sampling.topP, stop: req.sampling.stop } : {}),
    ...(req.jsonSchema ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } } } : {}),
    ...(req.toolChoice ? { tool_choice: 'required' as const } : {}),
    ...(req.reasoning ? { reasoning_effort: 'medium' as const } : {}),
  };
}

function readUsage(u: CompletionUsage, out: ClientResult): void {
  out.usage = { input: u.prompt_tokens, output: u.completion_tokens };
  out.usageDetails = { cached: u.prompt_tokens_details?.cached_tokens, reasoning: u.completion_tokens_details?.reasoning_tokens };
}

const normFinish = (f: string | null | undefined): string => f ?? '';

/** `reasoning_content` (DeepSeek) and `reasoning` (OpenRouter, vLLM): de-facto fields the SDK types do not know. */
const reasoningOf = (v: object | null | undefined): string => {
  const m = v as { reasoning_content?: unknown; reasoning?: unknown } | null | undefined;
  const r = m?.reasoning_content ?? m?.reasoning;
  return typeof r === 'string' ? r : '';
};

async function call(baseUrl: string, model: string, req: NeutralRequest, stream: boolean, opts: CallOptions = {}): Promise<ClientOutcome> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const params = chatParams(model, req);
  const out = emptyResult();
  if (!stream) {
    try {
      const res = await client.chat.completions.create(params);
      const choice = res.choices[0];
      out.text = choice.message.content ?? '';
      out.reasoning = reasoningOf(choice.message);
      out.toolCalls = (choice.message.tool_calls ?? []).map((c) =>
        c.type === 'function' ? { id: c.id, name: c.function.name, args: parseJson(c.function.arguments) } : { id: c.id, name: '', args: undefined },
      );
      out.rawFinish = normFinish(choice.finish_reason);
      out.finish = out.rawFinish;
      if (res.usage) readUsage(res.usage, out);
      return out;
    } catch (err) {
      return sdkError(err, '', false);
    }
  }
  let started = false;
  try {
    const runner = client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } }, { signal: opts.signal });
    // Ids per tool-call index as they arrive: a stream must not change an id once sent.
    const idsByIndex = new Map<number, string>();
    for await (const chunk of runner) {
      started = true;
      out.events.push(chunk.choices.length ? 'chunk' : 'chunk:no-choices');
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        out.text += delta.content;
        opts.onText?.(delta.content);
      }
      out.reasoning += reasoningOf(delta);
      for (const tc of delta?.tool_calls ?? []) {
        if (tc.id) {
          const prev = idsByIndex.get(tc.index);
          if (prev && prev !== tc.id) out.events.push(`tool-id-changed:${prev}->${tc.id}`);
          idsByIndex.set(tc.index, tc.id);
        }
      }
      if (chunk.usage) readUsage(chunk.usage, out);
    }
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    // The SDK helper invents `call_<uuid>` for calls streamed without an id: look at the deltas.
    (choice.message.tool_calls ?? []).forEach((_, i) => {
      if (!idsByIndex.has(i)) out.events.push(`tool-id-missing:${i}`);
    });
    out.toolCalls = (choice.message.tool_calls ?? []).map((c) =>
      c.type === 'function' ? { id: c.id, name: c.function.name, args: parseJson(c.function.arguments) } : { id: c.id, name: '', args: undefined },
    );
    out.rawFinish = normFinish(choice.finish_reason);
    out.finish = out.rawFinish;
    return out;
  } catch (err) {
    return sdkError(err, out.text, started);
  }
}

export const openaiChatClient: ClientAdapter = { format: 'openai-chat', label: 'openai chat.completions', call };
