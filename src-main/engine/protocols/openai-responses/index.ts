import type { Protocol } from '../protocol';
import { decodeRequest } from './decode-request';
import { decodeResponse } from './decode-response';
import { OpenAIResponsesStreamDecoder, sniffUsage } from './decode-stream';
import { encodeRequest } from './encode-request';
import { encodeResponse } from './encode-response';
import { OpenAIResponsesStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';
import { readUsage } from './usage';

/** OpenAI Responses API (`POST /v1/responses`; also Codex and xAI upstreams), both directions. */
export const openaiResponsesProtocol: Protocol = {
  id: 'openai-responses',
  decodeRequest,
  encodeResponse,
  createStreamEncoder: (ctx) => new OpenAIResponsesStreamEncoder(ctx),
  encodeError,
  encodeStreamError,
  streamContentType: 'text/event-stream',
  encodeRequest,
  decodeResponse,
  createStreamDecoder: () => new OpenAIResponsesStreamDecoder(),
  decodeError,
  sniffUsage,
  readUsage,
};

export { ResponsesPassthroughGuard } from './passthrough-guard';
export { shortenToolNames, openaiToolNames, reverseRenames, MAX_TOOL_NAME } from './tool-names';
export { isOpenAIEncryptedReasoning, encodeReasoning as encodeResponsesReasoning } from './encode-request';
export { decodeUsage as decodeResponsesUsage, encodeUsage as encodeResponsesUsage } from './usage';
export { OpenAIResponsesStreamDecoder, OpenAIResponsesStreamEncoder };
