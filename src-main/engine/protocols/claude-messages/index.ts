import type { Protocol } from '../protocol';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { ClaudeStreamDecoder, sniffUsage } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { ClaudeStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';
import { readUsage } from './usage';

/** Anthropic Messages (`POST /v1/messages`), both as the client's format and as an upstream's. */
export const claudeMessagesProtocol: Protocol = {
  id: 'claude-messages',
  decodeRequest,
  encodeResponse,
  createStreamEncoder: (ctx) => new ClaudeStreamEncoder(ctx),
  encodeError,
  encodeStreamError,
  streamContentType: 'text/event-stream',
  encodeRequest,
  decodeResponse,
  createStreamDecoder: () => new ClaudeStreamDecoder(),
  decodeError,
  sniffUsage,
  readUsage,
};

export {
  decodeCountTokensRequest,
  decodeCountTokensResponse,
  encodeCountTokensRequest,
  encodeCountTokensResponse,
} from './count-tokens';
export { sanitizeClaudeToolId } from './tool-ids';
export { hasForeignThinking, isClaudeSignature } from './signatures';
export { supportsAdaptiveThinking, DEFAULT_MAX_TOKENS, defaultMaxTokens } from './encode-request';
export { ClaudeStreamDecoder, ClaudeStreamEncoder };
