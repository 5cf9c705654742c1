import type { IrStreamPart, IrUsage } from '../../ir';
import type { ResponseContext, StreamEncoder } from '../protocol';
import { responseObject } from './encode-response';
import { streamErrorCode } from './errors';
import { encodeStatus } from './finish-reason';
import { newItemId } from './ids';

type Json = Record<string, unknown>;

interface OpenItem {
  kind: 'message' | 'reasoning' | 'function_call';
  outputIndex: number;
  id: string;
  /** Text so far: output text, reasoning summary, or call arguments. */
  text: string;
  summaryOpen?: boolean;
  encrypted?: string;
  callId?: string;
  name?: string;
}

/**
 * IR parts → Responses API events with the full lifecycle the SDK stream helpers replay:
 * `response.created` → `response.in_progress` → per item `output_item.added` →
 * (`content_part.added` | `reasoning_summary_part.added`) → deltas → `.done` events →
 * `output_item.done` … → `response.completed` (or `response.incomplete` / `response.failed`).
 * Every event carries `sequence_number`; there is no `[DONE]`.
 */
export class OpenAIResponsesStreamEncoder implements StreamEncoder {
  private seq = 0;
  private id = '';
  private created = Math.floor(Date.now() / 1000);
  private started = false;
  private closed = false;
  private current?: OpenItem;
  private readonly calls = new Map<number, OpenItem>();
  private readonly output: Json[] = [];
  private usage?: IrUsage;

  constructor(private readonly ctx: ResponseContext) {}

  push(part: IrStreamPart): string {
    if (this.closed) return '';
    if (part.type === 'start') {
      this.id = part.id.startsWith('resp_') ? part.id : newItemId('resp');
      if (part.created) this.created = part.created;
      return this.begin();
    }
    let out = this.started ? '' : this.begin();
    switch (part.type) {
      case 'text-delta': {
        const item = this.current?.kind === 'message' ? this.current : ((out += this.closeCurrent()), this.open('message', (s) => (out += s)));
        item.text += part.text;
        out += this.event('response.output_text.delta', { item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: part.text, logprobs: [] });
        break;
      }
      case 'reasoning-delta': {
        const item = this.current?.kind === 'reasoning' ? this.current : ((out += this.closeCurrent()), this.open('reasoning', (s) => (out += s)));
        if (!item.summaryOpen) {
          item.summaryOpen = true;
          out += this.event('response.reasoning_summary_part.added', { item_id: item.id, output_index: item.outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
        }
        item.text += part.text;
        out += this.event('response.reasoning_summary_text.delta', { item_id: item.id, output_index: item.outputIndex, summary_index: 0, delta: part.text });
        break;
      }
      case 'reasoning-signature': {
        const item = this.current?.kind === 'reasoning' ? this.current : ((out += this.closeCurrent()), this.open('reasoning', (s) => (out += s)));
        item.encrypted = (item.encrypted ?? '') + part.signature;
        break;
      }
      case 'tool-call-start': {
        out += this.closeCurrent();
        const item = this.open('function_call', (s) => (out += s), { callId: part.id, name: this.ctx.toolNames?.get(part.name) ?? part.name });
        this.calls.set(part.index, item);
        break;
      }
      case 'tool-call-delta': {
        const item = this.calls.get(part.index);
        if (!item) break;
        item.text += part.argumentsDelta;
        out += this.event('response.function_call_arguments.delta', { item_id: item.id, output_index: item.outputIndex, delta: part.argumentsDelta });
        break;
      }
      case 'image': {
        out += this.closeCurrent();
        const item = { id: newItemId('ig'), type: 'image_generation_call', status: 'completed', result: part.data, output_format: part.mediaType.split('/')[1] ?? 'png' };
        const outputIndex = this.output.length;
        this.output.push(item);
        out += this.event('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', result: null } });
        out += this.event('response.output_item.done', { output_index: outputIndex, item });
        break;
      }
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        break;
      case 'finish': {
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        out += this.complete(part.reason);
        break;
      }
      case 'error': {
        out += this.closeCurrent();
        this.closed = true;
        const code = streamErrorCode(part.error);
        out += this.event('error', { code, message: part.error.message, param: null });
        const response = responseObject({ ...this.base(), status: 'failed', error: { code, message: part.error.message } });
        out += this.event('response.failed', { response });
        break;
      }
      default:
        break; // redacted reasoning has no Responses form
    }
    return out;
  }

  /** A stream cut without a finish still ends with a terminal event the SDK recognises. */
  end(): string {
    if (this.closed) return '';
    return (this.started ? '' : this.begin()) + this.complete('stop');
  }

  private complete(reason: Parameters<typeof encodeStatus>[0]): string {
    let out = this.closeCurrent();
    this.closed = true;
    const { status, incomplete } = encodeStatus(reason);
    const response = responseObject({ ...this.base(), status, usage: this.usage, incomplete });
    out += this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    return out;
  }

  private base() {
    return { id: this.id, createdAt: this.created, model: this.ctx.clientModel, output: this.output };
  }

  private begin(): string {
    this.started = true;
    this.id ||= newItemId('resp');
    const response = responseObject({ ...this.base(), output: [], status: 'in_progress' });
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private open(kind: OpenItem['kind'], write: (s: string) => void, call?: { callId: string; name: string }): OpenItem {
    const prefix = kind === 'message' ? 'msg' : kind === 'reasoning' ? 'rs' : 'fc';
    const item: OpenItem = { kind, outputIndex: this.output.length, id: newItemId(prefix), text: '', ...call };
    this.output.push({}); // placeholder keeps output_index stable; replaced when the item is done
    this.current = item;
    write(this.event('response.output_item.added', { output_index: item.outputIndex, item: this.snapshot(item, 'in_progress') }));
    if (kind === 'message') {
      write(this.event('response.content_part.added', { item_id: item.id, output_index: item.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } }));
    }
    return item;
  }

  private closeCurrent(): string {
    const item = this.current;
    if (!item) return '';
    this.current = undefined;
    const at = { item_id: item.id, output_index: item.outputIndex };
    let out = '';
    if (item.kind === 'message') {
      out += this.event('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] });
      out += this.event('response.content_part.done', { ...at, content_index: 0, part: { type: 'output_text', text: item.text, annotations: [], logprobs: [] } });
    } else if (item.kind === 'reasoning' && item.summaryOpen) {
      out += this.event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text });
      out += this.event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: item.text } });
    } else if (item.kind === 'function_call') {
      out += this.event('response.function_call_arguments.done', { ...at, name: item.name, arguments: item.text || '{}' });
    }
    const done = this.snapshot(item, 'completed');
    this.output[item.outputIndex] = done;
    out += this.event('response.output_item.done', { output_index: item.outputIndex, item: done });
    return out;
  }

  private snapshot(item: OpenItem, status: 'in_progress' | 'completed'): Json {
    const finished = status === 'completed';
    switch (item.kind) {
      case 'message':
        return {
          id: item.id,
          type: 'message',
          status,
          role: 'assistant',
          content: finished ? [{ type: 'output_text', text: item.text, annotations: [], logprobs: [] }] : [],
        };
      case 'reasoning': {
        const r: Json = { id: item.id, type: 'reasoning', summary: finished && item.summaryOpen ? [{ type: 'summary_text', text: item.text }] : [] };
        if (finished && item.encrypted) r.encrypted_content = item.encrypted;
        return r;
      }
      case 'function_call':
        return { id: item.id, type: 'function_call', status, arguments: finished ? item.text || '{}' : '', call_id: item.callId, name: item.name };
    }
  }

  private event(type: string, fields: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...fields })}\n\n`;
  }
}
