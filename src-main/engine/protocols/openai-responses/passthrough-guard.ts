import type { SseEvent } from '../../sse/types';
import { isRecord, safeJsonParse } from '../openai-chat/json';
import { streamErrorCode } from './errors';
import { responseObject } from './encode-response';

/**
 * Same-format passthrough of a Responses stream forwards the upstream's bytes untouched. When
 * that upstream (Codex, typically) closes without `response.completed`, the client's SDK is left
 * with an in-progress response. This guard watches the forwarded events on the side and, at the
 * end, says what to append: nothing when a terminal event went out; a `response.completed` built
 * from the items seen when every item was closed; an `error` + `response.failed` when the stream
 * was cut inside an item. Sequence numbers continue the upstream's.
 */
export class ResponsesPassthroughGuard {
  private terminal = false;
  private nextSeq = 0;
  private id = '';
  private model = '';
  private createdAt = Math.floor(Date.now() / 1000);
  private readonly open = new Set<number>();
  private readonly items: Array<Record<string, unknown>> = [];

  push(ev: SseEvent): void {
    if (this.terminal) return;
    const data = safeJsonParse(ev.data);
    if (!isRecord(data)) return;
    if (typeof data.sequence_number === 'number') this.nextSeq = Math.max(this.nextSeq, data.sequence_number + 1);
    const type = typeof data.type === 'string' ? data.type : ev.event;
    const index = typeof data.output_index === 'number' ? data.output_index : undefined;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        if (isRecord(data.response)) {
          if (typeof data.response.id === 'string') this.id = data.response.id;
          if (typeof data.response.model === 'string') this.model = data.response.model;
          if (typeof data.response.created_at === 'number') this.createdAt = data.response.created_at;
        }
        break;
      case 'response.output_item.added':
        if (index !== undefined) this.open.add(index);
        break;
      case 'response.output_item.done':
        if (index !== undefined) this.open.delete(index);
        if (isRecord(data.item)) this.items[index ?? this.items.length] = data.item;
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
      case 'response.done':
      case 'error':
        this.terminal = true;
        break;
      default:
        if (type?.endsWith('.delta') && index !== undefined && !this.items[index]) this.open.add(index);
        break;
    }
  }

  /** SSE text to write after the upstream's last byte ('' when the stream ended properly). */
  end(): string {
    if (this.terminal) return '';
    this.terminal = true;
    const base = { id: this.id || 'resp_passthrough', createdAt: this.createdAt, model: this.model, output: this.items.filter(Boolean) };
    const event = (type: string, fields: Record<string, unknown>) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.nextSeq++, ...fields })}\n\n`;
    if (!this.open.size) return event('response.completed', { response: responseObject({ ...base, status: 'completed' }) });
    const message = 'stream disconnected before completion';
    const code = streamErrorCode({ status: 408, code: 'stream_disconnected' });
    return (
      event('error', { code, message, param: null }) +
      event('response.failed', { response: responseObject({ ...base, status: 'failed', error: { code, message } }) })
    );
  }
}
