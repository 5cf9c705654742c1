import type { IrFinishReason, IrStreamPart, IrUsage } from '../../ir';
import { sseData } from '../../sse/encoder';
import type { ResponseContext, StreamEncoder } from '../protocol';
import { encodeOutputPart, newResponseId } from './encode-response';
import { encodeStreamError } from './errors';
import { encodeFinishReason } from './finish-reason';
import { encodeUsage } from './usage';

interface PendingCall {
  id: string;
  name: string;
  args: string;
  thoughtSignature?: string;
}

/**
 * IR parts → Gemini SSE (`data: {GenerateContentResponse}` per chunk, no terminator).
 * Text and thoughts go out as they come. Gemini sends function calls whole, so argument
 * deltas are collected and the calls flushed together (as one chunk, the way Gemini sends
 * parallel calls) as soon as anything else arrives.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private id = '';
  private finished = false;
  private readonly calls = new Map<number, PendingCall>();
  private usage?: IrUsage;

  constructor(private readonly ctx: ResponseContext) {}

  push(part: IrStreamPart): string {
    if (this.finished) return '';
    switch (part.type) {
      case 'start':
        this.id = part.id;
        return '';
      case 'text-delta':
        return part.text ? this.flushCalls() + this.chunk([{ text: part.text }]) : '';
      case 'reasoning-delta':
        return part.text ? this.flushCalls() + this.chunk([{ text: part.text, thought: true }]) : '';
      case 'reasoning-signature':
        return this.flushCalls() + this.chunk([{ text: '', thought: true, thoughtSignature: part.signature }]);
      case 'reasoning-redacted':
        return ''; // encrypted Claude thinking has no Gemini form
      case 'tool-call-start': {
        const call: PendingCall = { id: part.id, name: part.name, args: '' };
        if (part.thoughtSignature) call.thoughtSignature = part.thoughtSignature;
        this.calls.set(part.index, call);
        return '';
      }
      case 'tool-call-delta': {
        const call = this.calls.get(part.index);
        if (call) call.args += part.argumentsDelta;
        return '';
      }
      case 'image':
        return this.flushCalls() + this.chunk([{ inlineData: { mimeType: part.mediaType, data: part.data } }]);
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        return '';
      case 'finish':
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        return this.finish(part.reason);
      case 'error':
        this.finished = true;
        return this.flushCalls() + encodeStreamError({ status: part.error.status, message: part.error.message });
    }
  }

  end(): string {
    return this.finished ? '' : this.finish('stop');
  }

  private finish(reason: IrFinishReason): string {
    this.finished = true;
    const parts = this.takeCallParts();
    const extra: Record<string, unknown> = { finishReason: encodeFinishReason(reason) };
    return this.chunk(parts.length ? parts : [{ text: '' }], extra, true);
  }

  private flushCalls(): string {
    const parts = this.takeCallParts();
    return parts.length ? this.chunk(parts) : '';
  }

  private takeCallParts(): Array<Record<string, unknown>> {
    const parts = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, c]) => {
        const call = { type: 'tool-call' as const, id: c.id, name: c.name, arguments: c.args };
        return encodeOutputPart(c.thoughtSignature ? { ...call, thoughtSignature: c.thoughtSignature } : call, this.ctx);
      });
    this.calls.clear();
    return parts;
  }

  private chunk(parts: Array<Record<string, unknown>>, candidateExtra: Record<string, unknown> = {}, last = false): string {
    if (!this.id) this.id = newResponseId();
    const body: Record<string, unknown> = {
      candidates: [{ content: { role: 'model', parts }, ...candidateExtra, index: 0 }],
    };
    if (last && this.usage) body.usageMetadata = encodeUsage(this.usage);
    body.modelVersion = this.ctx.clientModel;
    body.responseId = this.id;
    return sseData(body);
  }
}
