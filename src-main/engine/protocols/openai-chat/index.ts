import { OpenAIChatStreamDecoder } from './decode-stream';
import { OpenAIChatStreamEncoder } from './encode-stream';

export { openaiChatProtocol } from './chat-protocol';
export {
  chatChunkToCompletionChunk,
  chatResponseToCompletion,
  chatSseEventToCompletionSse,
  completionsRequestToChat,
} from './legacy-completions';
export { legacyCompletionsProtocol } from './legacy-protocol';
export { ChatPassthroughGuard } from './passthrough-guard';
export { encodeReasoningEffort } from './encode-request';
export { decodeReasoningEffort } from './decode-request';
export { decodeUsage as decodeChatUsage, encodeUsage as encodeChatUsage } from './usage';
export { decodeFinishReason as decodeChatFinishReason, encodeFinishReason as encodeChatFinishReason } from './finish-reason';
export { encodeError as encodeOpenAIError, decodeError as decodeOpenAIError, kindForStatus as openaiKindForStatus } from './errors';
export { OpenAIChatStreamDecoder, OpenAIChatStreamEncoder };
