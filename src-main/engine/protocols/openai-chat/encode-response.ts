import type { IrResponse } from '../../ir';
import type { ResponseContext } from '../protocol';
import { encodeFinishReason } from './finish-reason';
import { newCompletionId } from './ids';
import { toDataUrl } from './json';
import { encodeUsage } from './usage';

/** IR → `chat.completion` JSON for the client. Tool names renamed for the upstream come back. */
export function encodeResponse(res: IrResponse, ctx: ResponseContext): Record<string, unknown> {
  let text = '';
  let reasoning = '';
  const toolCalls: unknown[] = [];
  const images: unknown[] = [];
  for (const p of res.parts) {
    if (p.type === 'text') text += p.text;
    else if (p.type === 'reasoning') reasoning += p.text;
    else if (p.type === 'tool-call') {
      toolCalls.push({
        id: p.id,
        type: 'function',
        function: { name: ctx.toolNames?.get(p.name) ?? p.name, arguments: p.arguments || '{}' },
      });
    } else if (p.type === 'image') {
      images.push({ type: 'image_url', image_url: { url: toDataUrl(p.mediaType, p.data) }, index: images.length });
    }
  }
  const message: Record<string, unknown> = { role: 'assistant', content: text || (toolCalls.length ? null : '') };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  if (images.length) message.images = images;
  message.refusal = null;
  return {
    id: res.id || newCompletionId(),
    object: 'chat.completion',
    created: res.created,
    model: ctx.clientModel,
    choices: [{ index: 0, message, logprobs: null, finish_reason: encodeFinishReason(res.finishReason) }],
    usage: encodeUsage(res.usage),
  };
}
