import type { SseEvent } from '../../sse/types';

/**
 * Same-format passthrough of a chat stream: OpenAI clients wait for `data: [DONE]`, which some
 * upstreams never send. Watch the forwarded events and append the terminator when it is missing.
 */
export class ChatPassthroughGuard {
  private done = false;

  push(ev: SseEvent): void {
    if (ev.data.trim() === '[DONE]') this.done = true;
  }

  /** SSE text to write after the upstream's last byte ('' when `[DONE]` already went out). */
  end(): string {
    if (this.done) return '';
    this.done = true;
    return 'data: [DONE]\n\n';
  }
}
