import type { IrStreamPart, IrUsage } from '../../ir';
import type { ResponseContext, StreamEncoder } from '../protocol';
import { closingStats, doneReason, toolCall, type OllamaEndpoint } from './encode-response';
import { encodeStreamError } from './errors';
import { createdAt, type RequestTiming } from './timing';

/**
 * IR parts → Ollama's NDJSON stream: one JSON object per line, `done: false` while generating,
 * then one closing object with `done: true`, `done_reason`, counts and durations. Ollama sends
 * tool calls whole (arguments as an object), so argument deltas are collected and a call goes
 * out when its block closes.
 */
export class OllamaStreamEncoder implements StreamEncoder {
  private readonly calls = new Map<number, { id: string; name: string; args: string }>();
  private usage?: IrUsage;
  private closed = false;

  constructor(
    private readonly endpoint: OllamaEndpoint,
    private readonly timing: RequestTiming,
    private readonly ctx: ResponseContext,
  ) {}

  push(part: IrStreamPart): string {
    if (this.closed) return '';
    switch (part.type) {
      case 'start':
      case 'reasoning-signature':
      case 'reasoning-redacted':
      case 'image':
        return '';
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        return '';
      case 'text-delta':
        if (!part.text) return '';
        this.timing.markFirstToken();
        return this.flushCalls() + this.line(this.delta(part.text, undefined));
      case 'reasoning-delta':
        if (!part.text) return '';
        this.timing.markFirstToken();
        return this.flushCalls() + this.line(this.delta('', part.text));
      case 'tool-call-start':
        this.timing.markFirstToken();
        this.calls.set(part.index, { id: part.id, name: this.ctx.toolNames?.get(part.name) ?? part.name, args: '' });
        return '';
      case 'tool-call-delta': {
        const call = this.calls.get(part.index);
        if (call) call.args += part.argumentsDelta;
        return '';
      }
      case 'finish':
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        return this.flushCalls() + this.close(doneReason(part.reason));
      case 'error':
        this.closed = true;
        return this.flushCalls() + encodeStreamError({ status: part.error.status, message: part.error.message, code: part.error.code });
    }
  }

  end(): string {
    return this.closed ? '' : this.flushCalls() + this.close('stop');
  }

  private head(): Record<string, unknown> {
    return { model: this.ctx.clientModel, created_at: createdAt() };
  }

  private delta(content: string, thinking: string | undefined): Record<string, unknown> {
    if (this.endpoint === 'generate') return { ...this.head(), response: content, ...(thinking ? { thinking } : {}), done: false };
    return { ...this.head(), message: { role: 'assistant', content, ...(thinking ? { thinking } : {}) }, done: false };
  }

  private flushCalls(): string {
    if (!this.calls.size || this.endpoint === 'generate') return '';
    const tool_calls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([i, c]) => toolCall(i, c.id, c.name, c.args));
    this.calls.clear();
    return this.line({ ...this.head(), message: { role: 'assistant', content: '', tool_calls }, done: false });
  }

  private close(reason: string): string {
    this.closed = true;
    const empty = this.endpoint === 'generate' ? { response: '' } : { message: { role: 'assistant', content: '' } };
    return this.line({ ...this.head(), ...empty, done: true, done_reason: reason, ...closingStats(this.usage, this.timing) });
  }

  private line(obj: Record<string, unknown>): string {
    return `${JSON.stringify(obj)}\n`;
  }
}
