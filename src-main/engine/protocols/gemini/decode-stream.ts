import type { IrStreamPart, IrUsage } from '../../ir';
import type { SseEvent } from '../../sse/types';
import type { StreamDecoder } from '../protocol';
import { createdSeconds, decodeOutputPart, newCallId, unwrapResponseEnvelope } from './decode-response';
import { newResponseId } from './encode-response';
import { decodeFinishReason } from './finish-reason';
import { isRecord, safeJsonParse } from './json';
import { readChunk } from './read-chunk';
import { errorBodySchema } from './schema';
import { decodeUsage } from './usage';

/**
 * Gemini `data: {GenerateContentResponse}` events → IR parts. Gemini streams have no
 * terminator and may send usage after the chunk that carries finishReason, so `finish` is only
 * emitted from `end()`. Function calls arrive whole (args as an object): each becomes a
 * tool-call-start plus one delta with the full JSON.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private calls = 0;
  private finishReason?: string;
  private usage?: IrUsage;

  push(ev: SseEvent): IrStreamPart[] {
    if (this.done) return [];
    const data = ev.data.trim();
    if (!data || data === '[DONE]') return [];
    const value = unwrapResponseEnvelope(safeJsonParse(data));
    if (!isRecord(value)) return [];
    const out: IrStreamPart[] = [];
    if (value.error !== undefined) {
      const e = errorBodySchema.safeParse(value);
      const err = e.success ? e.data.error : {};
      const status = typeof err.code === 'number' ? err.code : 500;
      this.done = true;
      out.push({
        type: 'error',
        error: err.status ? { status, message: err.message ?? 'upstream stream error', code: err.status } : { status, message: err.message ?? 'upstream stream error' },
      });
      return out;
    }
    const r = readChunk(value);
    if (!this.started) {
      this.started = true;
      out.push({ type: 'start', id: r.responseId ?? newResponseId(), model: r.modelVersion ?? '', created: createdSeconds(r) });
    }
    // Usage goes before the chunk's content: Gemini reports the prompt count from the first
    // chunk on, and a Claude client reads input tokens from message_start.
    const usage = decodeUsage(r.usageMetadata);
    if (usage) {
      this.usage = usage;
      out.push({ type: 'usage', usage });
    }
    const cand = r.candidates?.find((c) => (c.index ?? 0) === 0);
    for (const p of cand?.content?.parts ?? []) {
      const part = decodeOutputPart(p, () => newCallId(this.calls));
      if (!part) continue;
      switch (part.type) {
        case 'text':
          out.push({ type: 'text-delta', text: part.text });
          break;
        case 'reasoning':
          out.push({ type: 'reasoning-delta', text: part.text });
          break;
        case 'image':
          out.push({ type: 'image', mediaType: part.mediaType, data: part.data });
          break;
        case 'tool-call': {
          const index = this.calls++;
          const start: IrStreamPart = { type: 'tool-call-start', index, id: part.id, name: part.name };
          if (part.thoughtSignature) start.thoughtSignature = part.thoughtSignature;
          out.push(start, { type: 'tool-call-delta', index, argumentsDelta: part.arguments });
          break;
        }
      }
    }
    if (cand?.finishReason) this.finishReason = cand.finishReason;
    else if (!cand && r.promptFeedback?.blockReason) this.finishReason = 'SAFETY';
    return out;
  }

  end(): IrStreamPart[] {
    if (this.done) return [];
    this.done = true;
    const out: IrStreamPart[] = [];
    if (!this.started) out.push({ type: 'start', id: newResponseId(), model: '', created: Math.floor(Date.now() / 1000) });
    const finish: Extract<IrStreamPart, { type: 'finish' }> = {
      type: 'finish',
      reason: decodeFinishReason(this.finishReason, this.calls > 0),
    };
    if (this.finishReason) finish.rawReason = this.finishReason;
    if (this.usage) finish.usage = this.usage;
    out.push(finish);
    return out;
  }
}

/** usageMetadata of one stream event (passthrough side channel); Code Assist envelopes accepted. */
export function sniffUsage(ev: SseEvent): IrUsage | undefined {
  if (!ev.data.includes('usageMetadata')) return undefined;
  const value = unwrapResponseEnvelope(safeJsonParse(ev.data));
  return isRecord(value) ? decodeUsage(readChunk(value).usageMetadata) : undefined;
}
