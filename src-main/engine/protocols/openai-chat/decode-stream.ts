import { randomBytes } from 'node:crypto';
import type { IrStreamPart, IrUsage } from '../../ir';
import type { SseEvent } from '../../sse/types';
import type { StreamDecoder } from '../protocol';
import { statusForStreamError } from './errors';
import { decodeFinishReason } from './finish-reason';
import { newCallId } from './ids';
import { isRecord, parseDataUrl, safeJsonParse } from './json';
import { type ChatChunk, chunkSchema, errorBodySchema, usageSchema, type WireToolCall } from './schema';
import { hasUsageObject, isPlainChunk } from './plain-chunk';
import { decodeUsage } from './usage';

interface OpenCall {
  irIndex: number;
  id: string;
  /** The upstream gave this id (not synthesised), so a different id means a different call. */
  wireId: boolean;
}

/**
 * `chat.completion.chunk` events → IR parts, one event at a time. Robust to what real upstreams
 * do: usage only in a last chunk with empty `choices`, several tool calls in one chunk, tool
 * arguments split over many chunks, calls without `index` or `id`, and streams that end
 * without `finish_reason` or `[DONE]`. The finish is held back until the stream ends because
 * usage usually arrives after the chunk that carries `finish_reason`.
 */
export class OpenAIChatStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private streamId = '';
  /** Seeds synthesised call ids when the stream has no id; drawn on first use (most streams never need it). */
  private seedHex?: string;
  private readonly calls = new Map<number, OpenCall>();
  private readonly keyById = new Map<string, number>();
  private lastKey?: number;
  private syntheticKey = 1_000_000;
  private toolCount = 0;
  private finishRaw?: string;
  private usage?: IrUsage;

  push(ev: SseEvent): IrStreamPart[] {
    if (this.done) return [];
    const text = ev.data.trim();
    if (text === '[DONE]') return this.finish();
    const json = safeJsonParse(text);
    if (!isRecord(json)) return [];
    const out: IrStreamPart[] = [];
    if (json.error != null || ev.event === 'error') return this.fail(json, out);
    // Plain text chunks (nearly all of a stream) are checked by hand; anything else goes through zod.
    let c: ChatChunk;
    if (isPlainChunk(json)) c = json;
    else {
      const parsed = chunkSchema.safeParse(json);
      if (!parsed.success) return [];
      c = parsed.data;
    }
    // Azure's leading prompt_filter_results chunk (empty choices, no id) says nothing yet.
    if (!this.started && !c.choices?.length && !c.usage) return [];
    this.ensureStart(out, c);
    for (const choice of c.choices ?? []) {
      if ((choice.index ?? 0) !== 0) continue; // the IR carries one candidate
      const d = choice.delta;
      if (d) {
        const reasoning = d.reasoning_content ?? d.reasoning;
        if (reasoning) out.push({ type: 'reasoning-delta', text: reasoning });
        if (typeof d.content === 'string') {
          if (d.content) out.push({ type: 'text-delta', text: d.content });
        } else if (Array.isArray(d.content)) {
          for (const p of d.content) if (p.type === 'text' && typeof p.text === 'string' && p.text) out.push({ type: 'text-delta', text: p.text });
        }
        for (const img of d.images ?? []) {
          const data = img.image_url ? parseDataUrl(img.image_url.url) : undefined;
          if (data) out.push({ type: 'image', mediaType: data.mediaType, data: data.data });
        }
        (d.tool_calls ?? []).forEach((tc) => this.toolDelta(tc, out));
        if (d.function_call) this.toolDelta({ index: 0, id: null, function: d.function_call }, out);
      }
      if (choice.finish_reason) this.finishRaw = choice.finish_reason;
    }
    if (c.usage) {
      const u = decodeUsage(c.usage);
      if (u) {
        this.usage = u;
        out.push({ type: 'usage', usage: u });
      }
    }
    return out;
  }

  end(): IrStreamPart[] {
    return this.done ? [] : this.finish();
  }

  private seed(): string {
    this.seedHex ??= randomBytes(6).toString('hex');
    return this.seedHex;
  }

  private ensureStart(out: IrStreamPart[], c?: ChatChunk): void {
    if (this.started) return;
    this.started = true;
    this.streamId = c?.id ?? '';
    out.push({ type: 'start', id: this.streamId, model: c?.model ?? '', created: c?.created || Math.floor(Date.now() / 1000) });
  }

  /** Which call a wire tool-call delta belongs to: by index, else by id, else the last one. */
  private keyOf(tc: WireToolCall): number {
    if (tc.index != null) {
      const known = this.calls.get(tc.index);
      // Some gateways number every call 0 but give each its own id: a new id + name is a new call.
      if (known?.wireId && tc.id && tc.id !== known.id && tc.function?.name) return this.syntheticKey++;
      return tc.index;
    }
    if (tc.id && this.keyById.has(tc.id)) return this.keyById.get(tc.id)!;
    if (tc.id || tc.function?.name || this.lastKey === undefined) return this.syntheticKey++;
    return this.lastKey;
  }

  private toolDelta(tc: WireToolCall, out: IrStreamPart[]): void {
    const key = this.keyOf(tc);
    this.lastKey = key;
    let call = this.calls.get(key);
    if (!call) {
      const irIndex = this.toolCount++;
      call = { irIndex, id: tc.id || newCallId(this.streamId || this.seed(), irIndex), wireId: !!tc.id };
      this.calls.set(key, call);
      if (tc.id) this.keyById.set(tc.id, key);
      out.push({ type: 'tool-call-start', index: irIndex, id: call.id, name: tc.function?.name ?? '' });
    }
    const args = tc.function?.arguments;
    const delta = typeof args === 'string' ? args : args ? JSON.stringify(args) : '';
    if (delta) out.push({ type: 'tool-call-delta', index: call.irIndex, argumentsDelta: delta });
  }

  private fail(json: Record<string, unknown>, out: IrStreamPart[]): IrStreamPart[] {
    this.done = true;
    const e = errorBodySchema.safeParse(json);
    const err = e.success ? e.data.error : undefined;
    const message = err?.message || (typeof json.message === 'string' ? json.message : 'upstream stream error');
    const code = err?.code ?? err?.type;
    out.push({
      type: 'error',
      error: code != null ? { status: statusForStreamError(err?.type, err?.code), message, code: String(code) } : { status: 500, message },
    });
    return out;
  }

  private finish(): IrStreamPart[] {
    const out: IrStreamPart[] = [];
    this.ensureStart(out);
    this.done = true;
    let reason = decodeFinishReason(this.finishRaw);
    if (this.toolCount > 0 && reason === 'stop') reason = 'tool-calls';
    const part: Extract<IrStreamPart, { type: 'finish' }> = { type: 'finish', reason };
    if (this.finishRaw) part.rawReason = this.finishRaw;
    if (this.usage) part.usage = this.usage;
    out.push(part);
    return out;
  }
}

/** Usage of one chat stream event without a full decode (passthrough side channel). */
export function sniffUsage(ev: SseEvent): IrUsage | undefined {
  // Clients that ask for usage get `"usage":null` on every chunk: only an object is worth parsing.
  if (!hasUsageObject(ev.data)) return undefined;
  const json = safeJsonParse(ev.data);
  if (!isRecord(json) || !isRecord(json.usage)) return undefined;
  const u = usageSchema.safeParse(json.usage);
  return u.success ? decodeUsage(u.data) : undefined;
}
