import type { IrResponse } from '../../ir';
import type { ResponseContext } from '../protocol';
import { encodeStopReason } from './finish-reason';
import { argumentsToObject } from './json';
import { newClaudeToolId, newMessageId, sanitizeClaudeToolId } from './tool-ids';
import { encodeUsage } from './usage';

/** IR response → Claude non-stream message. Tool names are restored to the client's originals. */
export function encodeResponse(res: IrResponse, ctx: ResponseContext): Record<string, unknown> {
  const content: Array<Record<string, unknown>> = [];
  let n = 0;
  for (const p of res.parts) {
    const last = content[content.length - 1];
    switch (p.type) {
      case 'text':
        // Adjacent text pieces (Gemini sends many parts) read better as one block.
        if (last?.type === 'text') last.text = `${last.text as string}${p.text}`;
        else content.push({ type: 'text', text: p.text });
        break;
      case 'reasoning':
        if (p.redactedData) content.push({ type: 'redacted_thinking', data: p.redactedData });
        else if (last?.type === 'thinking' && !last.signature) {
          last.thinking = `${last.thinking as string}${p.text}`;
          if (p.signature) last.signature = p.signature;
        } else content.push({ type: 'thinking', thinking: p.text, signature: p.signature ?? '' });
        break;
      case 'tool-call':
        content.push({
          type: 'tool_use',
          id: p.id ? sanitizeClaudeToolId(p.id) : newClaudeToolId(n++),
          name: ctx.toolNames?.get(p.name) ?? p.name,
          input: argumentsToObject(p.arguments),
        });
        break;
      case 'image':
        // Claude messages cannot carry generated images; a markdown data URL keeps them visible.
        content.push({ type: 'text', text: `![image](data:${p.mediaType};base64,${p.data})` });
        break;
    }
  }
  return {
    id: res.id || newMessageId(),
    type: 'message',
    role: 'assistant',
    model: ctx.clientModel,
    content,
    stop_reason: encodeStopReason(res.finishReason, res.stopSequence),
    stop_sequence: res.stopSequence ?? null,
    usage: encodeUsage(res.usage),
  };
}
