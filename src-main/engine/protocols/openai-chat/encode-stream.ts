import type { IrStreamPart, IrUsage } from '../../ir';
import type { ResponseContext, StreamEncoder } from '../protocol';
import { encodeError, kindForStatus } from './errors';
import { encodeFinishReason } from './finish-reason';
import { newCompletionId } from './ids';
import { toDataUrl } from './json';
import { encodeUsage } from './usage';

/**
 * IR parts → `chat.completion.chunk` SSE. The first chunk carries the assistant role; usage is
 * put on the finish chunk (clients that asked `include_usage` and those that did not both read
 * it there); the stream always closes with `data: [DONE]`, also after an error.
 */
export class OpenAIChatStreamEncoder implements StreamEncoder {
  private id = '';
  private created = Math.floor(Date.now() / 1000);
  private started = false;
  private closed = false;
  private terminated = false;
  private usage?: IrUsage;

  constructor(private readonly ctx: ResponseContext) {}

  push(part: IrStreamPart): string {
    if (this.closed) return '';
    if (part.type === 'start') {
      this.id = part.id || newCompletionId();
      if (part.created) this.created = part.created;
      return this.begin();
    }
    let out = this.started ? '' : this.begin();
    switch (part.type) {
      case 'text-delta':
        out += this.chunk({ content: part.text });
        break;
      case 'reasoning-delta':
        out += this.chunk({ reasoning_content: part.text });
        break;
      case 'tool-call-start':
        out += this.chunk({
          tool_calls: [
            { index: part.index, id: part.id, type: 'function', function: { name: this.ctx.toolNames?.get(part.name) ?? part.name, arguments: '' } },
          ],
        });
        break;
      case 'tool-call-delta':
        out += this.chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
        break;
      case 'image':
        out += this.chunk({ images: [{ type: 'image_url', image_url: { url: toDataUrl(part.mediaType, part.data) }, index: 0 }] });
        break;
      case 'usage':
        this.usage = { ...this.usage, ...part.usage };
        break;
      case 'finish': {
        if (part.usage) this.usage = { ...this.usage, ...part.usage };
        this.closed = true;
        const chunk = this.base({}, encodeFinishReason(part.reason));
        if (this.usage) chunk.usage = encodeUsage(this.usage);
        out += `data: ${JSON.stringify(chunk)}\n\n`;
        break;
      }
      case 'error':
        this.closed = true;
        out += `data: ${JSON.stringify(
          encodeError({ status: part.error.status, message: part.error.message, code: part.error.code, kind: kindForStatus(part.error.status) }),
        )}\n\n`;
        break;
      default:
        break; // reasoning signatures and redacted thinking have no chat representation
    }
    return out;
  }

  end(): string {
    if (this.terminated) return '';
    this.terminated = true;
    this.closed = true;
    return 'data: [DONE]\n\n';
  }

  private begin(): string {
    this.started = true;
    this.id ||= newCompletionId();
    return this.chunk({ role: 'assistant', content: '' });
  }

  private base(delta: Record<string, unknown>, finish: string | null): Record<string, unknown> {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.ctx.clientModel,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
  }

  private chunk(delta: Record<string, unknown>): string {
    return `data: ${JSON.stringify(this.base(delta, null))}\n\n`;
  }
}
