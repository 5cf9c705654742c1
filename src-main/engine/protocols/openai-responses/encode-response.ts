import type { IrOutputPart, IrResponse, IrUsage } from '../../ir';
import type { ResponseContext } from '../protocol';
import { encodeStatus } from './finish-reason';
import { newItemId } from './ids';
import { encodeUsage } from './usage';

type Json = Record<string, unknown>;

/** One completed output item per IR part run, in the shapes the Responses API returns. */
export function encodeOutputItems(parts: IrOutputPart[], ctx: ResponseContext): Json[] {
  const items: Json[] = [];
  let message: { content: Json[] } | undefined;
  for (const p of parts) {
    if (p.type === 'text') {
      if (!message) {
        message = { content: [] };
        items.push({ id: newItemId('msg'), type: 'message', status: 'completed', role: 'assistant', content: message.content });
      }
      const last = message.content[message.content.length - 1];
      if (last) last.text = `${String(last.text)}${p.text}`;
      else message.content.push({ type: 'output_text', text: p.text, annotations: [], logprobs: [] });
      continue;
    }
    message = undefined;
    if (p.type === 'reasoning') {
      if (!p.text && !p.signature) continue;
      const item: Json = { id: newItemId('rs'), type: 'reasoning', summary: p.text ? [{ type: 'summary_text', text: p.text }] : [] };
      if (p.signature) item.encrypted_content = p.signature;
      items.push(item);
    } else if (p.type === 'tool-call') {
      items.push({
        id: newItemId('fc'),
        type: 'function_call',
        status: 'completed',
        arguments: p.arguments || '{}',
        call_id: p.id,
        name: ctx.toolNames?.get(p.name) ?? p.name,
      });
    } else if (p.type === 'image') {
      items.push({ id: newItemId('ig'), type: 'image_generation_call', status: 'completed', result: p.data, output_format: p.mediaType.split('/')[1] ?? 'png' });
    }
  }
  return items;
}

/** The `response` object; shared with the stream encoder's created/completed events. */
export function responseObject(fields: {
  id: string;
  createdAt: number;
  model: string;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: Json[];
  usage?: IrUsage;
  incomplete?: string;
  error?: { code: string; message: string };
}): Json {
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    background: false,
    error: fields.error ?? null,
    incomplete_details: fields.incomplete ? { reason: fields.incomplete } : null,
    instructions: null,
    max_output_tokens: null,
    model: fields.model,
    output: fields.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: fields.status === 'in_progress' ? null : encodeUsage(fields.usage),
    metadata: {},
  };
}

/** IR → Responses JSON for the client. */
export function encodeResponse(res: IrResponse, ctx: ResponseContext): Json {
  const { status, incomplete } = encodeStatus(res.finishReason);
  const out = responseObject({
    id: res.id.startsWith('resp_') ? res.id : newItemId('resp'),
    createdAt: res.created,
    model: ctx.clientModel,
    status,
    output: encodeOutputItems(res.parts, ctx),
    usage: res.usage,
    incomplete,
  });
  return out;
}
