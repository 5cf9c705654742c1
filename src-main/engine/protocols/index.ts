import { openaiChatModule } from './openai-chat/module';
import { openaiResponsesModule } from './openai-responses/module';
import { claudeMessagesModule } from './claude-messages/module';
import { geminiModule } from './gemini/module';
import { ollamaModule } from './ollama/module';

/**
 * Every wire format: codecs, routes, passthrough rule and token counting come from its
 * folder's one module. Adding a format = its folder + one line here (and its import); the
 * keys are `ProtocolId`, the server's route table is built from the modules' routes.
 */
export const protocols = {
  'openai-chat': openaiChatModule,
  'openai-responses': openaiResponsesModule,
  'claude-messages': claudeMessagesModule,
  gemini: geminiModule,
  ollama: ollamaModule,
};

// The vocabulary the server and the pipeline use, reached through this registry file.
export { InvalidRequestError } from './protocol';
export type { CountTokensCodec, Protocol, ProtocolId, WireError } from './protocol';
export type { EndpointAnswer, ListedModel, ProtocolRoute, RequestHeaders, RouteAccess, RouteHandlerSpec } from './routes';
export { isRecord, safeJsonParse } from './shared/json';
// Responses WebSocket mode (server/responses-websocket) writes its warm-up events with these.
export { responseObject } from './openai-responses/encode-response';
export { newItemId } from './openai-responses/ids';
