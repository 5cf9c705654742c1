import type { Protocol, ProtocolId } from './protocol';
import { ChatPassthroughGuard, openaiChatProtocol } from './openai-chat';
import { openaiResponsesProtocol, ResponsesPassthroughGuard } from './openai-responses';
import * as claude from './claude-messages';
import * as gemini from './gemini';
import { ollamaProtocol } from './ollama';

/** Every wire format; adding one = its folder + one line here. */
export const protocols: Record<ProtocolId, Protocol> = {
  'openai-chat': { ...openaiChatProtocol, createPassthroughGuard: () => new ChatPassthroughGuard() },
  'openai-responses': { ...openaiResponsesProtocol, createPassthroughGuard: () => new ResponsesPassthroughGuard() },
  'claude-messages': {
    ...claude.claudeMessagesProtocol,
    countTokens: {
      decodeRequest: claude.decodeCountTokensRequest,
      encodeResponse: claude.encodeCountTokensResponse,
      encodeRequest: claude.encodeCountTokensRequest,
      decodeResponse: claude.decodeCountTokensResponse,
    },
  },
  gemini: {
    ...gemini.geminiProtocol,
    countTokens: {
      decodeRequest: gemini.decodeCountTokensRequest,
      encodeResponse: gemini.encodeCountTokensResponse,
      encodeRequest: gemini.encodeCountTokensRequest,
      decodeResponse: gemini.decodeCountTokensResponse,
    },
  },
  ollama: ollamaProtocol,
};
