import type { IrOutputPart, IrResponse, IrStreamError, IrStreamPart, IrUsage } from '.';

/**
 * Folds a stream of IR parts into one response. Used when an upstream only streams (Codex
 * backend) but the client asked for a plain JSON answer, and to read usage off translated streams.
 */
export class StreamAccumulator {
  private id = '';
  private model = '';
  private created = Math.floor(Date.now() / 1000);
  private readonly parts: IrOutputPart[] = [];
  private readonly calls = new Map<number, { id: string; name: string; arguments: string; thoughtSignature?: string }>();
  private finish?: Extract<IrStreamPart, { type: 'finish' }>;
  usage?: IrUsage;
  error?: IrStreamError;

  push(part: IrStreamPart): void {
    switch (part.type) {
      case 'start':
        this.id = part.id;
        this.model = part.model;
        this.created = part.created;
        break;
      case 'text-delta': {
        const last = this.parts[this.parts.length - 1];
        if (last?.type === 'text') last.text += part.text;
        else this.parts.push({ type: 'text', text: part.text });
        break;
      }
      case 'reasoning-delta': {
        const last = this.parts[this.parts.length - 1];
        if (last?.type === 'reasoning' && !last.signature) last.text += part.text;
        else this.parts.push({ type: 'reasoning', text: part.text });
        break;
      }
      case 'reasoning-signature': {
        const last = this.parts[this.parts.length - 1];
        if (last?.type === 'reasoning') last.signature = part.signature;
        else this.parts.push({ type: 'reasoning', text: '', signature: part.signature });
        break;
      }
      case 'reasoning-redacted':
        this.parts.push({ type: 'reasoning', text: '', redactedData: part.data });
        break;
      case 'tool-call-start': {
        const call = { type: 'tool-call' as const, id: part.id, name: part.name, arguments: '', thoughtSignature: part.thoughtSignature };
        this.calls.set(part.index, call);
        this.parts.push(call);
        break;
      }
      case 'tool-call-delta': {
        const call = this.calls.get(part.index);
        if (call) call.arguments += part.argumentsDelta;
        break;
      }
      case 'image':
        this.parts.push({ type: 'image', mediaType: part.mediaType, data: part.data });
        break;
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        break;
      case 'finish':
        this.finish = part;
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        break;
      case 'error':
        this.error = part.error;
        break;
    }
  }

  result(): IrResponse {
    for (const p of this.parts) {
      if (p.type === 'tool-call' && p.thoughtSignature === undefined) delete p.thoughtSignature;
    }
    return {
      id: this.id,
      model: this.model,
      created: this.created,
      parts: this.parts,
      finishReason: this.finish?.reason ?? (this.calls.size ? 'tool-calls' : 'stop'),
      rawFinishReason: this.finish?.rawReason,
      stopSequence: this.finish?.stopSequence,
      usage: this.usage,
    };
  }
}
