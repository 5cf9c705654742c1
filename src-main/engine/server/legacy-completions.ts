import type { Protocol, StreamEncoder } from '../protocols/protocol';
import { chatResponseToCompletion, chatSseEventToCompletionSse, completionsRequestToChat } from '../protocols/openai-chat';
import { SseDecoder } from '../sse/decoder';

/**
 * `/v1/completions` served as a chat request: the request is re-shaped on the way in, and the
 * chat encoder's output is re-shaped as `text_completion` on the way out (so it never takes the
 * byte passthrough path).
 */
export function legacyCompletionsProtocol(chat: Protocol): Protocol {
  return {
    ...chat,
    decodeRequest: (body, where) => chat.decodeRequest(completionsRequestToChat(body), where),
    encodeResponse: (res, ctx) => chatResponseToCompletion(chat.encodeResponse(res, ctx)),
    createStreamEncoder(ctx): StreamEncoder {
      const inner = chat.createStreamEncoder(ctx);
      const sse = new SseDecoder();
      const reshape = (text: string) =>
        text ? sse.push(Buffer.from(text)).map(chatSseEventToCompletionSse).join('') : '';
      return {
        push: (part) => reshape(inner.push(part)),
        end: () => reshape(inner.end()) + sse.end().map(chatSseEventToCompletionSse).join(''),
      };
    },
  };
}
