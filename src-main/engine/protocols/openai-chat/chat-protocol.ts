import type { Protocol } from '../protocol';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { OpenAIChatStreamDecoder, sniffUsage } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { OpenAIChatStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';
import { readUsage } from './usage';

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
  readUsage,
};
