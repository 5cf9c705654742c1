import type { IrOutputPart, IrResponse } from '../../ir';
import { decodeStopReason } from './finish-reason';
import { responseSchema } from './schema';
import { decodeUsage } from './usage';

/** Claude non-stream message → IR response. */
export function decodeResponse(body: unknown): IrResponse {
  const r = responseSchema.parse(body);
  const parts: IrOutputPart[] = [];
  for (const block of r.content) {
    const b = block as Record<string, unknown>;
    switch (block.type) {
      case 'text':
        if (typeof b.text === 'string') parts.push({ type: 'text', text: b.text });
        break;
      case 'thinking': {
        const text = typeof b.thinking === 'string' ? b.thinking : '';
        parts.push(typeof b.signature === 'string' && b.signature ? { type: 'reasoning', text, signature: b.signature } : { type: 'reasoning', text });
        break;
      }
      case 'redacted_thinking':
        if (typeof b.data === 'string') parts.push({ type: 'reasoning', text: '', redactedData: b.data });
        break;
      case 'tool_use':
        parts.push({
          type: 'tool-call',
          id: typeof b.id === 'string' ? b.id : '',
          name: typeof b.name === 'string' ? b.name : '',
          arguments: JSON.stringify(b.input ?? {}),
        });
        break;
      default:
        break; // server tool traffic has no neutral form
    }
  }
  const res: IrResponse = {
    id: r.id ?? '',
    model: r.model ?? '',
    created: Math.floor(Date.now() / 1000),
    parts,
    finishReason: decodeStopReason(r.stop_reason),
  };
  if (r.stop_reason) res.rawFinishReason = r.stop_reason;
  if (r.stop_sequence) res.stopSequence = r.stop_sequence;
  const usage = decodeUsage(r.usage);
  if (usage) res.usage = usage;
  return res;
}
