import type { IrOutputPart, IrResponse } from '../../ir';
import { isRecord, parseUpstream } from '../openai-chat/json';
import { decodeStatus } from './finish-reason';
import { callIdFor } from './ids';
import { type ResponseObject, responseObjectSchema } from './schema';
import { decodeUsage } from './usage';

/** One output item → IR parts (shared by the JSON decoder and the stream decoder's fallbacks). */
export function decodeOutputItem(item: Record<string, unknown>, index: number): IrOutputPart[] {
  switch (item.type) {
    case 'message': {
      const content = Array.isArray(item.content) ? item.content : [];
      const text = content
        .map((c) => (isRecord(c) ? (typeof c.text === 'string' ? c.text : typeof c.refusal === 'string' ? c.refusal : '') : ''))
        .join('');
      return text ? [{ type: 'text', text }] : [];
    }
    case 'reasoning': {
      const pick = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord).map((s) => (typeof s.text === 'string' ? s.text : '')) : []);
      const summary = pick(item.summary);
      const text = (summary.length ? summary : pick(item.content)).join('\n\n');
      const enc = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
      if (!text && !enc) return [];
      return [enc ? { type: 'reasoning', text, signature: enc } : { type: 'reasoning', text }];
    }
    case 'function_call': {
      const id = typeof item.call_id === 'string' && item.call_id ? item.call_id : callIdFor(typeof item.id === 'string' ? item.id : undefined, index);
      return [{ type: 'tool-call', id, name: typeof item.name === 'string' ? item.name : '', arguments: typeof item.arguments === 'string' ? item.arguments : '' }];
    }
    case 'custom_tool_call': {
      // Free-form tool input travels as {"input": …} so JSON-argument formats can carry it.
      const id = typeof item.call_id === 'string' && item.call_id ? item.call_id : callIdFor(typeof item.id === 'string' ? item.id : undefined, index);
      const input = typeof item.input === 'string' ? item.input : '';
      return [{ type: 'tool-call', id, name: typeof item.name === 'string' ? item.name : '', arguments: JSON.stringify({ input }) }];
    }
    case 'image_generation_call': {
      if (typeof item.result !== 'string' || !item.result) return [];
      const format = typeof item.output_format === 'string' ? item.output_format : 'png';
      return [{ type: 'image', mediaType: `image/${format}`, data: item.result }];
    }
    default:
      return []; // web_search_call and other built-in tool items have no neutral meaning
  }
}

/** The finish of a whole response object (JSON answer or the one in response.completed). */
export function finishOf(r: ResponseObject, hasCalls: boolean): { reason: IrResponse['finishReason']; raw?: string } {
  const reason = decodeStatus(r.status, r.incomplete_details?.reason, hasCalls);
  const raw = r.status === 'incomplete' ? (r.incomplete_details?.reason ?? 'incomplete') : (r.status ?? undefined);
  return raw ? { reason, raw } : { reason };
}

/** Upstream Responses JSON → IR. */
export function decodeResponse(body: unknown): IrResponse {
  const r = parseUpstream(responseObjectSchema, isRecord(body) && isRecord(body.response) && !('output' in body) ? body.response : body, 'response');
  const parts: IrOutputPart[] = [];
  (r.output ?? []).forEach((item, i) => parts.push(...decodeOutputItem(item, i)));
  const { reason, raw } = finishOf(r, parts.some((p) => p.type === 'tool-call'));
  const out: IrResponse = {
    id: r.id ?? '',
    model: r.model ?? '',
    created: r.created_at ?? Math.floor(Date.now() / 1000),
    parts,
    finishReason: reason,
  };
  if (raw) out.rawFinishReason = raw;
  const usage = decodeUsage(r.usage);
  if (usage) out.usage = usage;
  return out;
}
