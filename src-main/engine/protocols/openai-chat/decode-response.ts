import type { IrOutputPart, IrResponse } from '../../ir';
import { decodeFinishReason } from './finish-reason';
import { newCallId } from './ids';
import { parseDataUrl, parseUpstream } from './json';
import { plainChatCompletion } from './plain-response';
import { responseSchema } from './schema';
import { decodeUsage } from './usage';

/** Upstream `chat.completion` JSON → IR (first choice; the IR has one candidate). */
export function decodeResponse(body: unknown): IrResponse {
  const r = plainChatCompletion(body) ?? parseUpstream(responseSchema, body, 'chat completion');
  const choice = r.choices?.[0];
  const msg = choice?.message;
  const parts: IrOutputPart[] = [];
  const id = r.id ?? '';
  if (msg) {
    const reasoning = msg.reasoning_content ?? msg.reasoning;
    if (reasoning) parts.push({ type: 'reasoning', text: reasoning });
    if (typeof msg.content === 'string') {
      if (msg.content) parts.push({ type: 'text', text: msg.content });
    } else if (msg.content) {
      const text = msg.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? p.text : '')).join('');
      if (text) parts.push({ type: 'text', text });
    }
    if (msg.refusal && !msg.content) parts.push({ type: 'text', text: msg.refusal });
    for (const img of msg.images ?? []) {
      const data = img.image_url ? parseDataUrl(img.image_url.url) : undefined;
      if (data) parts.push({ type: 'image', mediaType: data.mediaType, data: data.data });
    }
    (msg.tool_calls ?? []).forEach((tc, i) => {
      const args = tc.function?.arguments;
      parts.push({
        type: 'tool-call',
        id: tc.id || newCallId(id, i),
        name: tc.function?.name ?? '',
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    });
    if (msg.function_call?.name) {
      parts.push({ type: 'tool-call', id: newCallId(id, 0), name: msg.function_call.name, arguments: msg.function_call.arguments ?? '{}' });
    }
  }
  const hasCalls = parts.some((p) => p.type === 'tool-call');
  const raw = choice?.finish_reason ?? undefined;
  let finishReason = decodeFinishReason(raw);
  // Some gateways say "stop" after a tool call; the calls are what the client must act on.
  if (hasCalls && finishReason === 'stop') finishReason = 'tool-calls';
  const out: IrResponse = {
    id,
    model: r.model ?? '',
    created: r.created ?? Math.floor(Date.now() / 1000),
    parts,
    finishReason,
  };
  if (raw) out.rawFinishReason = raw;
  const usage = decodeUsage(r.usage);
  if (usage) out.usage = usage;
  return out;
}
