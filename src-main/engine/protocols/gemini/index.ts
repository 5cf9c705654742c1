import type { Protocol } from '../protocol';
import { decodeRequest } from './decode-request';
import { decodeResponse, unwrapResponseEnvelope } from './decode-response';
import { GeminiStreamDecoder, sniffUsage } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { GeminiStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';
import { readUsageMetadata } from './usage';

/** Gemini `GenerateContent` (`/v1beta/models/{model}:generateContent|streamGenerateContent`). */
export const geminiProtocol: Protocol = {
  id: 'gemini',
  decodeRequest,
  encodeResponse,
  createStreamEncoder: (ctx) => new GeminiStreamEncoder(ctx),
  encodeError,
  encodeStreamError,
  streamContentType: 'text/event-stream',
  encodeRequest,
  decodeResponse,
  createStreamDecoder: () => new GeminiStreamDecoder(),
  decodeError,
  sniffUsage,
  readUsage: (json) => readUsageMetadata(unwrapResponseEnvelope(json)),
};

export { cleanSchemaForGemini, type CleanSchemaOptions } from './clean-schema';
export { sanitizeGeminiFunctionName, GeminiToolNames } from './tool-names';
export { wrapCodeAssist, unwrapCodeAssist, unwrapCodeAssistEvent, type CodeAssistOptions } from './code-assist';
export {
  decodeCountTokensRequest,
  decodeCountTokensResponse,
  encodeCountTokensRequest,
  encodeCountTokensResponse,
} from './count-tokens';
export { SKIP_THOUGHT_SIGNATURE, DEFAULT_SAFETY_SETTINGS, usesThinkingLevel } from './encode-request';
export { statusWord } from './errors';
export { GeminiStreamDecoder, GeminiStreamEncoder };
