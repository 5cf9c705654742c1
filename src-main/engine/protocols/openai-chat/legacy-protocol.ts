import type { Protocol, StreamEncoder } from '../protocol';
import { openaiChatProtocol as chat } from './chat-protocol';
import { chatResponseToCompletion, chatSseEventToCompletionSse, completionsRequestToChat } from './legacy-completions';

/**
 * `/v1/completions` as an inbound Protocol: the chat codec with the request adapted on the way
 * in and answers re-shaped on the way out. Use it with `allowPassthrough: false` (its bytes are
 * not chat bytes). The upstream-side methods are chat's; it is never an upstream format.
 */
export const legacyCompletionsProtocol: Protocol = {
  ...chat,
  decodeRequest: (body, where) => chat.decodeRequest(completionsRequestToChat(body), where),
  encodeResponse: (res, ctx) => chatResponseToCompletion(chat.encodeResponse(res, ctx)),
  createStreamEncoder: (ctx) => reshape(chat.createStreamEncoder(ctx)),
  encodeStreamError: (err) => reshapeText(chat.encodeStreamError(err)),
};

/** The chat encoder writes whole events, so its text splits cleanly on blank lines. */
function reshapeText(text: string): string {
  let out = '';
  for (const block of text.split('\n\n')) {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data) out += chatSseEventToCompletionSse({ data });
  }
  return out;
}

function reshape(inner: StreamEncoder): StreamEncoder {
  return {
    push: (part) => reshapeText(inner.push(part)),
    end: () => reshapeText(inner.end()),
  };
}
