import type { IrFinishReason, IrStreamPart, IrUsage } from '../../ir';
import type { SseEvent } from '../../sse/types';
import type { StreamDecoder } from '../protocol';
import { decodeStopReason } from './finish-reason';
import { safeJsonParse } from './json';
import { blockDeltaSchema, blockStartSchema, errorBodySchema, messageDeltaSchema, messageStartSchema, usageSchema } from './schema';
import { decodeUsage } from './usage';

/**
 * Claude SSE events → IR parts, one event at a time. `ping`, unknown events and unparsable data
 * are skipped; a stream that ends without `message_stop` still gets a `finish` from `end()`.
 */
export class ClaudeStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  /** Claude block index → IR tool-call index. */
  private readonly toolIndex = new Map<number, number>();
  private tools = 0;
  private stopReason?: string;
  private stopSequence?: string;
  /** Raw Claude usage merged across message_start and message_delta (later values win). */
  private usage: Record<string, number> = {};

  push(ev: SseEvent): IrStreamPart[] {
    if (this.done) return [];
    const data = safeJsonParse(ev.data);
    if (typeof data !== 'object' || data === null) return [];
    const type = ev.event ?? (data as { type?: string }).type;
    const out: IrStreamPart[] = [];
    switch (type) {
      case 'message_start': {
        const m = messageStartSchema.safeParse(data);
        if (!m.success) break;
        this.mergeUsage(m.data.message.usage);
        this.ensureStart(out, m.data.message.id, m.data.message.model);
        if (m.data.message.usage) out.push({ type: 'usage', usage: this.currentUsage() });
        break;
      }
      case 'content_block_start': {
        const b = blockStartSchema.safeParse(data);
        if (!b.success) break;
        this.ensureStart(out);
        this.blockStart(b.data.index, b.data.content_block as Record<string, unknown>, out);
        break;
      }
      case 'content_block_delta': {
        const d = blockDeltaSchema.safeParse(data);
        if (!d.success) break;
        this.ensureStart(out);
        this.blockDelta(d.data.index, d.data.delta, out);
        break;
      }
      case 'message_delta': {
        const d = messageDeltaSchema.safeParse(data);
        if (!d.success) break;
        this.ensureStart(out);
        if (d.data.delta?.stop_reason) this.stopReason = d.data.delta.stop_reason;
        if (d.data.delta?.stop_sequence) this.stopSequence = d.data.delta.stop_sequence;
        if (d.data.usage) {
          this.mergeUsage(d.data.usage);
          out.push({ type: 'usage', usage: this.currentUsage() });
        }
        break;
      }
      case 'message_stop':
        this.ensureStart(out);
        out.push(this.finish());
        break;
      case 'error': {
        const e = errorBodySchema.safeParse(data);
        const code = e.success ? e.data.error.type : undefined;
        const message = (e.success && e.data.error.message) || 'upstream stream error';
        const status = code === 'overloaded_error' || code === 'rate_limit_error' ? 429 : 500;
        this.done = true;
        out.push({ type: 'error', error: code ? { status, message, code } : { status, message } });
        break;
      }
      default:
        break; // ping, content_block_stop (blocks close implicitly in the IR), future events
    }
    return out;
  }

  end(): IrStreamPart[] {
    if (this.done) return [];
    const out: IrStreamPart[] = [];
    this.ensureStart(out);
    out.push(this.finish());
    return out;
  }

  private ensureStart(out: IrStreamPart[], id?: string, model?: string): void {
    if (this.started) return;
    this.started = true;
    out.push({ type: 'start', id: id ?? '', model: model ?? '', created: Math.floor(Date.now() / 1000) });
  }

  private blockStart(index: number, block: Record<string, unknown>, out: IrStreamPart[]): void {
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string' && block.text) out.push({ type: 'text-delta', text: block.text });
        break;
      case 'thinking':
        if (typeof block.thinking === 'string' && block.thinking) out.push({ type: 'reasoning-delta', text: block.thinking });
        if (typeof block.signature === 'string' && block.signature) out.push({ type: 'reasoning-signature', signature: block.signature });
        break;
      case 'redacted_thinking':
        if (typeof block.data === 'string') out.push({ type: 'reasoning-redacted', data: block.data });
        break;
      case 'tool_use': {
        const ti = this.tools++;
        this.toolIndex.set(index, ti);
        out.push({
          type: 'tool-call-start',
          index: ti,
          id: typeof block.id === 'string' ? block.id : '',
          name: typeof block.name === 'string' ? block.name : '',
        });
        // Some gateways put the whole input in the start block instead of streaming it.
        const input = block.input;
        if (input && typeof input === 'object' && Object.keys(input).length) {
          out.push({ type: 'tool-call-delta', index: ti, argumentsDelta: JSON.stringify(input) });
        }
        break;
      }
      default:
        break;
    }
  }

  private blockDelta(index: number, delta: { type: string; text?: string; thinking?: string; signature?: string; partial_json?: string }, out: IrStreamPart[]): void {
    switch (delta.type) {
      case 'text_delta':
        if (delta.text) out.push({ type: 'text-delta', text: delta.text });
        break;
      case 'thinking_delta':
        if (delta.thinking) out.push({ type: 'reasoning-delta', text: delta.thinking });
        break;
      case 'signature_delta':
        if (delta.signature) out.push({ type: 'reasoning-signature', signature: delta.signature });
        break;
      case 'input_json_delta': {
        const ti = this.toolIndex.get(index);
        if (ti !== undefined && delta.partial_json) out.push({ type: 'tool-call-delta', index: ti, argumentsDelta: delta.partial_json });
        break;
      }
      default:
        break; // citations_delta and future delta kinds
    }
  }

  private mergeUsage(u: unknown): void {
    const parsed = usageSchema.safeParse(u);
    if (!parsed.success) return;
    for (const [k, v] of Object.entries(parsed.data)) if (typeof v === 'number') this.usage[k] = v;
  }

  private currentUsage(): IrUsage {
    return decodeUsage(this.usage) ?? { inputTokens: 0, outputTokens: 0 };
  }

  private finish(): IrStreamPart {
    this.done = true;
    let reason: IrFinishReason = decodeStopReason(this.stopReason);
    if (!this.stopReason && this.tools > 0) reason = 'tool-calls';
    const part: Extract<IrStreamPart, { type: 'finish' }> = { type: 'finish', reason, usage: this.currentUsage() };
    if (this.stopReason) part.rawReason = this.stopReason;
    if (this.stopSequence) part.stopSequence = this.stopSequence;
    return part;
  }
}

/**
 * Usage carried by one Claude event, for the passthrough path, where callers merge successive
 * results with object spread. message_start carries the input side; message_delta the final
 * output and, on newer API versions only, the input again. Fields an event does not carry are
 * left out of the result (hence the cast) so a spread keeps the earlier values, and
 * totalTokens is never set because it would go stale between the two events.
 */
export function sniffUsage(ev: SseEvent): IrUsage | undefined {
  if (ev.event && ev.event !== 'message_start' && ev.event !== 'message_delta') return undefined;
  if (!ev.data.includes('usage')) return undefined;
  const data = safeJsonParse(ev.data) as { type?: string; usage?: unknown; message?: { usage?: unknown } } | undefined;
  if (!data || typeof data !== 'object') return undefined;
  const parsed = usageSchema.safeParse(data.type === 'message_start' ? data.message?.usage : data.usage);
  if (!parsed.success) return undefined;
  const u = parsed.data;
  const out: Partial<IrUsage> = {};
  if (u.output_tokens != null) out.outputTokens = u.output_tokens;
  if (u.input_tokens != null) {
    const read = u.cache_read_input_tokens ?? 0;
    const write = u.cache_creation_input_tokens ?? 0;
    out.inputTokens = u.input_tokens + read + write;
    if (u.cache_read_input_tokens != null) out.cachedInputTokens = read;
    if (u.cache_creation_input_tokens != null) out.cacheWriteTokens = write;
  }
  return Object.keys(out).length ? (out as IrUsage) : undefined;
}
