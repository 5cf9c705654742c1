import type { Protocol } from '../protocol';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { OpenAIChatStreamDecoder, sniffUsage } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { OpenAIChatStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';

/** OpenAI Chat Completions (`POST /v1/chat/completions`), as the client's format and an upstream's. */
export const openaiChatProtocol: Protocol = {
  id: 'openai-chat',
  decodeRequest,
  encodeResponse,
  createStreamEncoder: (ctx) => new OpenAIChatStreamEncoder(ctx),
  encodeError,
  encodeStreamError,
  streamContentType: 'text/event-stream',
  encodeRequest,
  decodeResponse,
  createStreamDecoder: () => new OpenAIChatStreamDecoder(),
  decodeError,
  sniffUsage,
};

export {
  chatChunkToCompletionChunk,
  chatResponseToCompletion,
  chatSseEventToCompletionSse,
  completionsRequestToChat,
} from './legacy-completions';
export { encodeReasoningEffort } from './encode-request';
export { decodeReasoningEffort } from './decode-request';
export { decodeUsage as decodeChatUsage, encodeUsage as encodeChatUsage } from './usage';
export { decodeFinishReason as decodeChatFinishReason, encodeFinishReason as encodeChatFinishReason } from './finish-reason';
export { encodeError as encodeOpenAIError, decodeError as decodeOpenAIError, kindForStatus as openaiKindForStatus } from './errors';
export { OpenAIChatStreamDecoder, OpenAIChatStreamEncoder };
