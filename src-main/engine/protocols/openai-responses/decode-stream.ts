import type { IrStreamPart, IrUsage } from '../../ir';
import type { SseEvent } from '../../sse/types';
import type { StreamDecoder } from '../protocol';
import { isRecord, safeJsonParse } from '../openai-chat/json';
import { decodeOutputItem, finishOf } from './decode-response';
import { statusForStreamError } from './errors';
import { callIdFor } from './ids';
import { errorObjectSchema, responseObjectSchema } from './schema';
import { decodeUsage } from './usage';

interface Call {
  irIndex: number;
  argsSeen: boolean;
  /** Arguments arrived whole with the item; later deltas would repeat them. */
  whole?: boolean;
}

/**
 * Responses API events → IR parts, one event at a time. Deltas are used when present; the
 * `.done` events fill in whatever an upstream did not stream (some send whole items only).
 * A stream that ends inside an item (no `output_item.done`) is an error, as the reference system
 * found with Codex ("stream disconnected before completion"); one that only lacks the terminal
 * `response.completed` after closing every item finishes normally.
 */
export class OpenAIResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private readonly calls = new Map<string, Call>();
  private toolCount = 0;
  /** Items whose text / reasoning arrived as deltas (their `.done` must not repeat it). */
  private readonly streamed = new Set<string>();
  private readonly summaryIndex = new Map<string, number>();
  /** Items that started (added or first delta) and have not seen output_item.done. */
  private readonly openItems = new Set<string>();

  push(ev: SseEvent): IrStreamPart[] {
    if (this.done) return [];
    const data = safeJsonParse(ev.data);
    if (!isRecord(data)) return [];
    const type = typeof data.type === 'string' ? data.type : ev.event;
    const out: IrStreamPart[] = [];
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        this.ensureStart(out, data.response);
        break;
      case 'response.output_item.added': {
        this.ensureStart(out);
        const item = isRecord(data.item) ? data.item : {};
        this.openItems.add(keyOf(data));
        if (item.type === 'function_call') this.callFor(keyOf(data), item, out);
        // Custom tool input is streamed as raw text; it is sent whole, JSON-wrapped, when done.
        if (item.type === 'custom_tool_call') this.callFor(keyOf(data), { ...item, arguments: undefined }, out);
        break;
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.ensureStart(out);
        if (typeof data.delta === 'string' && data.delta) {
          this.streamed.add(keyOf(data));
          this.openItems.add(keyOf(data));
          out.push({ type: 'text-delta', text: data.delta });
        }
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta': {
        this.ensureStart(out);
        if (typeof data.delta !== 'string' || !data.delta) break;
        const key = keyOf(data);
        const index = typeof data.summary_index === 'number' ? data.summary_index : 0;
        const last = this.summaryIndex.get(key);
        // Several summary parts read as paragraphs once joined into one reasoning block.
        const sep = last !== undefined && index !== last ? '\n\n' : '';
        this.summaryIndex.set(key, index);
        this.streamed.add(key);
        this.openItems.add(key);
        out.push({ type: 'reasoning-delta', text: sep + data.delta });
        break;
      }
      case 'response.function_call_arguments.delta': {
        this.ensureStart(out);
        const call = this.callFor(keyOf(data), {}, out);
        this.openItems.add(keyOf(data));
        if (!call.whole && typeof data.delta === 'string' && data.delta) {
          call.argsSeen = true;
          out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: data.delta });
        }
        break;
      }
      case 'response.function_call_arguments.done': {
        const call = this.calls.get(keyOf(data));
        if (call && !call.argsSeen && typeof data.arguments === 'string' && data.arguments) {
          call.argsSeen = true;
          out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: data.arguments });
        }
        break;
      }
      case 'response.output_item.done':
        this.ensureStart(out);
        this.openItems.delete(keyOf(data));
        if (isRecord(data.item)) this.itemDone(keyOf(data), data.item, out);
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.done':
        this.ensureStart(out, data.response);
        this.finish(data.response, out);
        break;
      case 'response.failed': {
        const r = responseObjectSchema.safeParse(data.response);
        const e = r.success ? r.data.error : undefined;
        this.fail(e?.message || 'upstream response failed', e?.code ?? undefined, e?.type ?? undefined, out);
        break;
      }
      case 'error': {
        const e = errorObjectSchema.safeParse(isRecord(data.error) ? data.error : data);
        const err = e.success ? e.data : {};
        this.fail(err.message || 'upstream stream error', err.code ?? undefined, err.type ?? undefined, out);
        break;
      }
      default:
        break; // content_part.*, output_text.done, annotations, built-in tool progress
    }
    return out;
  }

  end(): IrStreamPart[] {
    if (this.done) return [];
    const out: IrStreamPart[] = [];
    // An item still open means the answer was cut (the reference system's "stream disconnected
    // before completion", Codex). When every item was closed only the terminal event is missing:
    // the answer is whole, so it finishes normally (usage unknown).
    if (this.openItems.size) this.fail('stream disconnected before completion', 'stream_disconnected', undefined, out, 408);
    else {
      this.ensureStart(out);
      this.finish({ status: 'completed' }, out);
    }
    return out;
  }

  private ensureStart(out: IrStreamPart[], response?: unknown): void {
    if (this.started) return;
    this.started = true;
    const r = isRecord(response) ? response : {};
    out.push({
      type: 'start',
      id: typeof r.id === 'string' ? r.id : '',
      model: typeof r.model === 'string' ? r.model : '',
      created: typeof r.created_at === 'number' ? r.created_at : Math.floor(Date.now() / 1000),
    });
  }

  private callFor(key: string, item: Record<string, unknown>, out: IrStreamPart[]): Call {
    let call = this.calls.get(key);
    if (call) return call;
    call = { irIndex: this.toolCount++, argsSeen: false };
    this.calls.set(key, call);
    const id = typeof item.call_id === 'string' && item.call_id ? item.call_id : callIdFor(typeof item.id === 'string' ? item.id : key, call.irIndex);
    out.push({ type: 'tool-call-start', index: call.irIndex, id, name: typeof item.name === 'string' ? item.name : '' });
    if (typeof item.arguments === 'string' && item.arguments) {
      call.argsSeen = true;
      call.whole = true;
      out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: item.arguments });
    }
    return call;
  }

  private itemDone(key: string, item: Record<string, unknown>, out: IrStreamPart[]): void {
    switch (item.type) {
      case 'function_call': {
        const known = this.calls.has(key);
        const call = this.callFor(key, item, out);
        if (known && !call.argsSeen && typeof item.arguments === 'string' && item.arguments) {
          call.argsSeen = true;
          out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: item.arguments });
        }
        break;
      }
      case 'custom_tool_call': {
        const call = this.callFor(key, { ...item, arguments: undefined }, out);
        if (!call.argsSeen) {
          call.argsSeen = true;
          out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: JSON.stringify({ input: typeof item.input === 'string' ? item.input : '' }) });
        }
        break;
      }
      case 'message':
        if (!this.streamed.has(key)) for (const p of decodeOutputItem(item, 0)) if (p.type === 'text') out.push({ type: 'text-delta', text: p.text });
        break;
      case 'reasoning':
        for (const p of decodeOutputItem(item, 0)) {
          if (p.type !== 'reasoning') continue;
          if (!this.streamed.has(key) && p.text) out.push({ type: 'reasoning-delta', text: p.text });
          if (p.signature) out.push({ type: 'reasoning-signature', signature: p.signature });
        }
        break;
      case 'image_generation_call':
        for (const p of decodeOutputItem(item, 0)) if (p.type === 'image') out.push({ type: 'image', mediaType: p.mediaType, data: p.data });
        break;
      default:
        break;
    }
  }

  private finish(response: unknown, out: IrStreamPart[]): void {
    this.done = true;
    const r = responseObjectSchema.safeParse(response);
    const obj = r.success ? r.data : {};
    const { reason, raw } = finishOf(obj, this.toolCount > 0);
    const part: Extract<IrStreamPart, { type: 'finish' }> = { type: 'finish', reason };
    if (raw) part.rawReason = raw;
    const usage = decodeUsage(obj.usage);
    if (usage) part.usage = usage;
    out.push(part);
  }

  private fail(message: string, code: string | number | undefined, type: string | undefined, out: IrStreamPart[], status?: number): void {
    this.done = true;
    this.ensureStart(out);
    const error: Extract<IrStreamPart, { type: 'error' }>['error'] = { status: status ?? statusForStreamError(type, code), message };
    if (code !== undefined) error.code = String(code);
    out.push({ type: 'error', error });
  }
}

/** Deltas and item events name their item by output_index (always sent) and item_id. */
function keyOf(data: Record<string, unknown>): string {
  if (typeof data.output_index === 'number') return `o${data.output_index}`;
  if (typeof data.item_id === 'string') return data.item_id;
  if (isRecord(data.item) && typeof data.item.id === 'string') return data.item.id;
  return 'o0';
}

/** Usage from the terminal event, for the passthrough side channel. */
export function sniffUsage(ev: SseEvent): IrUsage | undefined {
  if (!ev.data.includes('"usage"')) return undefined;
  const data = safeJsonParse(ev.data);
  if (!isRecord(data) || !isRecord(data.response)) return undefined;
  const r = responseObjectSchema.safeParse(data.response);
  return r.success ? decodeUsage(r.data.usage) : undefined;
}
