import OpenAI from 'openai';
import type { Response, ResponseCreateParamsNonStreaming, ResponseInputItem } from 'openai/resources/responses/responses';
import type { NeutralRequest } from '../scenarios';
import { emptyResult, parseJson, sdkError, type CallOptions, type ClientAdapter, type ClientOutcome, type ClientResult } from './types';

/** OpenAI Responses API through the `openai` SDK: `responses.create()` with and without `stream`. */

export function responsesInput(req: NeutralRequest): ResponseInputItem[] {
  const out: ResponseInputItem[] = [];
  for (const t of req.turns) {
    if (t.role === 'user') {
      out.push({
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: t.text },
          ...(t.image ? [{ type: 'input_image' as const, image_url: `data:${t.image.mime};base64,${t.image.base64}`, detail: 'auto' as const }] : []),
        ],
      });
    } else if (t.role === 'assistant') {
      if (t.text) out.push({ type: 'message', role: 'assistant', content: t.text });
      for (const c of t.toolCalls ?? []) out.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: JSON.stringify(c.args) });
    } else {
      for (const r of t.results) out.push({ type: 'function_call_output', call_id: r.id, output: r.content });
    }
  }
  return out;
}

export function responsesParams(model: string, req: NeutralRequest): ResponseCreateParamsNonStreaming {
  return {
    model,
    input: responsesInput(req),
    max_output_tokens: req.maxTokens,
    ...(req.system ? { instructions: req.system } : {}),
    ...(req.tools ? { tools: req.tools.map((t) => ({ type: 'function' as const, name: t.name, description: t.description, parameters: t.parameters, strict: false })) } : {}),
    ...(req.sampling ? { temperature: req.sampling.temperature, top_p: req.sampling.topP } : {}),
    ...(req.jsonSchema ? { text: { format: { type: 'json_schema' as const, name: req.jsonSchema.name, schema: req.jsonSchema.schema, strict: true } } } : {}),
    ...(req.toolChoice ? { tool_choice: 'required' as const } : {}),
    ...(req.reasoning ? { reasoning: { effort: 'medium' as const, summary: 'auto' as const } } : {}),
  };
}

/** Fill a result from a final `response` object (non-stream body or completed/incomplete event). */
export function readResponse(res: Response, out: ClientResult, withText: boolean): void {
  for (const item of res.output) {
    if (item.type === 'message' && withText) {
      for (const c of item.content) if (c.type === 'output_text') out.text += c.text;
    } else if (item.type === 'reasoning') {
      if (withText) out.reasoning += item.summary.map((s) => s.text).join('');
      if (item.encrypted_content) out.signatures.push(item.encrypted_content);
    } else if (item.type === 'function_call') {
      out.toolCalls.push({ id: item.call_id, name: item.name, args: parseJson(item.arguments) });
    }
  }
  out.rawFinish = res.status ?? '';
  if (res.status === 'completed') out.finish = out.toolCalls.length ? 'tool_calls' : 'stop';
  else if (res.status === 'incomplete' && res.incomplete_details?.reason === 'max_output_tokens') out.finish = 'length';
  else out.finish = `${res.status}:${res.incomplete_details?.reason ?? ''}`;
  if (res.usage) {
    out.usage = { input: res.usage.input_tokens, output: res.usage.output_tokens };
    out.usageDetails = { cached: res.usage.input_tokens_details?.cached_tokens, reasoning: res.usage.output_tokens_details?.reasoning_tokens };
  }
}

async function call(baseUrl: string, model: string, req: NeutralRequest, stream: boolean, opts: CallOptions = {}): Promise<ClientOutcome> {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const params = responsesParams(model, req);
  const out = emptyResult();
  if (!stream) {
    try {
      readResponse(await client.responses.create(params), out, true);
      return out;
    } catch (err) {
      return sdkError(err, '', false);
    }
  }
  let started = false;
  try {
    const events = await client.responses.create({ ...params, stream: true }, { signal: opts.signal });
    let lastSeq = -1;
    for await (const ev of events) {
      started = true;
      out.events.push(ev.type);
      // Every event carries a strictly increasing sequence_number (§3.11).
      if (!(ev.sequence_number > lastSeq)) out.events.push(`sequence-out-of-order:${ev.sequence_number}`);
      lastSeq = ev.sequence_number;
      if (ev.type === 'response.output_text.delta') {
        out.text += ev.delta;
        opts.onText?.(ev.delta);
      } else if (ev.type === 'response.reasoning_summary_text.delta') out.reasoning += ev.delta;
      // Gateways that send whole items only leave the text to the final response.
      else if (ev.type === 'response.completed' || ev.type === 'response.incomplete') readResponse(ev.response, out, !out.text && !out.reasoning);
      else if (ev.type === 'error') return { ok: false, body: ev, message: ev.message, partialText: out.text, inStream: true };
      else if (ev.type === 'response.failed') {
        return { ok: false, body: ev.response.error, message: ev.response.error?.message ?? 'failed', partialText: out.text, inStream: true };
      }
    }
    if (!out.rawFinish) out.finish = 'no-terminal-event';
    return out;
  } catch (err) {
    return sdkError(err, out.text, started);
  }
}

export const openaiResponsesClient: ClientAdapter = { format: 'openai-responses', label: 'openai responses.create', call };
