import type { Protocol } from '../protocol';
import { decodeChatRequest, decodeGenerateRequest } from './decode-request';
import { encodeResponse, type OllamaEndpoint } from './encode-response';
import { OllamaStreamEncoder } from './encode-stream';
import { decodeError, encodeError, encodeStreamError } from './errors';
import { hrtimeNs, RequestTiming, type NanoClock } from './timing';
import { readUsage } from './usage';

function notAnUpstream(): never {
  // No provider speaks Ollama upstream; the pipeline never picks this side (allowPassthrough is off).
  throw new Error('the Ollama API is an inbound format only');
}

/**
 * Ollama's native API as the client's format. One instance per request: the instance starts the
 * clock the closing object's nanosecond durations are measured with. `endpoint` picks the shape
 * (`/api/chat` answers `message`, `/api/generate` answers `response`).
 */
export function createOllamaProtocol(endpoint: OllamaEndpoint, clock: NanoClock = hrtimeNs): Protocol {
  const timing = new RequestTiming(clock);
  return {
    id: 'ollama',
    decodeRequest: endpoint === 'chat' ? decodeChatRequest : decodeGenerateRequest,
    encodeResponse: (res, ctx) => encodeResponse(endpoint, timing, res, ctx),
    createStreamEncoder: (ctx) => new OllamaStreamEncoder(endpoint, timing, ctx),
    encodeError,
    encodeStreamError,
    streamContentType: 'application/x-ndjson',
    encodeRequest: notAnUpstream,
    decodeResponse: notAnUpstream,
    createStreamDecoder: notAnUpstream,
    decodeError,
    readUsage,
  };
}

/** The registry's instance: errors and 404s of `/api/*` paths are written with it. */
export const ollamaProtocol: Protocol = createOllamaProtocol('chat');
