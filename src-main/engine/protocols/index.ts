import type { Protocol, ProtocolId } from './protocol';
import { openaiChatProtocol } from './openai-chat';
import { openaiResponsesProtocol } from './openai-responses';
import { claudeMessagesProtocol } from './claude-messages';
import { geminiProtocol } from './gemini';

/** Every wire format; adding one = its folder + one line here. */
export const protocols: Record<ProtocolId, Protocol> = {
  'openai-chat': openaiChatProtocol,
  'openai-responses': openaiResponsesProtocol,
  'claude-messages': claudeMessagesProtocol,
  gemini: geminiProtocol,
};
