import type { IrStreamPart, IrUsage } from '../../ir';
import { sseNamed } from '../../sse/encoder';
import type { ResponseContext, StreamEncoder } from '../protocol';
import { encodeStreamError } from './errors';
import { encodeStopReason } from './finish-reason';
import { newClaudeToolId, newMessageId, sanitizeClaudeToolId } from './tool-ids';
import { encodeUsage } from './usage';

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number; signed: boolean }
  | { kind: 'tool'; index: number; toolIndex: number };

/**
 * IR parts → Claude SSE. Invariants the Anthropic SDK relies on (and the reference system once
 * broke, issue #561): `message_start` precedes every content block, block indices count up from
 * 0 without gaps, each block is started, delta'd and stopped in order, and the stream ends with
 * `message_delta` (stop_reason + usage) then `message_stop`.
 */
export class ClaudeStreamEncoder implements StreamEncoder {
  private started = false;
  private finished = false;
  private open?: OpenBlock;
  private nextIndex = 0;
  /** IR tool index → Claude block index, so late deltas still land on their own block. */
  private readonly toolBlocks = new Map<number, number>();
  private usage?: IrUsage;
  private generatedIds = 0;
  private messageId = '';

  constructor(private readonly ctx: ResponseContext) {}

  push(part: IrStreamPart): string {
    if (this.finished) return '';
    switch (part.type) {
      case 'start':
        // Held back until the first content so usage known by then (Claude upstreams send input
        // tokens right after start) can ride in message_start, where Claude Code reads it.
        this.messageId = part.id;
        return '';
      case 'text-delta':
        if (!part.text) return '';
        return this.start() + this.ensureBlock('text') + this.textDelta(part.text);
      case 'reasoning-delta': {
        if (!part.text) return '';
        let out = this.start();
        if (this.open?.kind !== 'thinking' || this.open.signed) out += this.openBlock({ type: 'thinking', thinking: '', signature: '' }, 'thinking');
        return out + this.delta({ type: 'thinking_delta', thinking: part.text });
      }
      case 'reasoning-signature': {
        let out = this.start();
        if (this.open?.kind !== 'thinking' || this.open.signed) out += this.openBlock({ type: 'thinking', thinking: '', signature: '' }, 'thinking');
        (this.open as Extract<OpenBlock, { kind: 'thinking' }>).signed = true;
        return out + this.delta({ type: 'signature_delta', signature: part.signature });
      }
      case 'reasoning-redacted':
        return this.start() + this.openBlock({ type: 'redacted_thinking', data: part.data }, 'redacted') + this.closeBlock();
      case 'tool-call-start': {
        const id = part.id ? sanitizeClaudeToolId(part.id) : newClaudeToolId(this.generatedIds++);
        const name = this.ctx.toolNames?.get(part.name) ?? part.name;
        const out = this.start() + this.openBlock({ type: 'tool_use', id, name, input: {} }, 'tool', part.index);
        return out;
      }
      case 'tool-call-delta': {
        if (!part.argumentsDelta) return '';
        const index = this.toolBlocks.get(part.index);
        if (index === undefined) return '';
        return sseNamed('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: part.argumentsDelta },
        });
      }
      case 'image':
        // No image block exists in Claude responses; a markdown data URL keeps the output visible.
        return this.start() + this.ensureBlock('text') + this.delta({ type: 'text_delta', text: `![image](data:${part.mediaType};base64,${part.data})` });
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        return '';
      case 'finish':
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        return this.finish(encodeStopReason(part.reason, part.stopSequence), part.stopSequence);
      case 'error':
        this.finished = true;
        return encodeStreamError({ status: part.error.status, message: part.error.message, code: part.error.code });
    }
  }

  end(): string {
    if (this.finished) return '';
    return this.finish('end_turn');
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const usage = encodeUsage(this.usage);
    return sseNamed('message_start', {
      type: 'message_start',
      message: {
        id: this.messageId || newMessageId(),
        type: 'message',
        role: 'assistant',
        model: this.ctx.clientModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    });
  }

  private ensureBlock(kind: 'text'): string {
    if (this.open?.kind === kind) return '';
    return this.openBlock({ type: 'text', text: '' }, 'text');
  }

  private openBlock(contentBlock: Record<string, unknown>, kind: 'text' | 'thinking' | 'tool' | 'redacted', toolIndex = 0): string {
    const out = this.closeBlock();
    const index = this.nextIndex++;
    if (kind === 'text') this.open = { kind, index };
    else if (kind === 'thinking') this.open = { kind, index, signed: false };
    else if (kind === 'tool') {
      this.open = { kind, index, toolIndex };
      this.toolBlocks.set(toolIndex, index);
    } else this.open = { kind: 'text', index }; // closed right after by the caller
    return out + sseNamed('content_block_start', { type: 'content_block_start', index, content_block: contentBlock });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = undefined;
    return sseNamed('content_block_stop', { type: 'content_block_stop', index });
  }

  /** The event of nearly every chunk, written out: the same bytes as `delta()`'s JSON.stringify. */
  private textDelta(text: string): string {
    return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.open?.index ?? 0},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
  }

  private delta(delta: Record<string, unknown>): string {
    return sseNamed('content_block_delta', { type: 'content_block_delta', index: this.open?.index ?? 0, delta });
  }

  private finish(stopReason: string, stopSequence?: string): string {
    this.finished = true;
    const out = this.start() + this.closeBlock();
    return (
      out +
      sseNamed('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: stopSequence ?? null },
        usage: encodeUsage(this.usage),
      }) +
      sseNamed('message_stop', { type: 'message_stop' })
    );
  }
}
