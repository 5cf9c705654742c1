import { afterAll, beforeAll, describe, vi } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiResponsesProtocol as responses } from '../../../../../src-main/engine/protocols/openai-responses';
import type { EncodeContext, ResponseContext } from '../../../../../src-main/engine/protocols/protocol';
import { decodeSseText, golden, parseSseText } from '../openai-chat/golden';

/** Fixture contexts are JSON: `toolNames` arrives as an object and becomes the Map the API wants. */
function responseCtx(fixture: Record<string, unknown>): ResponseContext {
  const raw = (fixture.ctx ?? {}) as { clientModel?: string; toolNames?: Record<string, string> };
  const ctx: ResponseContext = { clientModel: raw.clientModel ?? 'client-model' };
  if (raw.toolNames) ctx.toolNames = new Map(Object.entries(raw.toolNames));
  return ctx;
}

// Decoders stamp "now" where the wire gives no time; pin it so golden files are stable.
beforeAll(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe('openai-responses decode-request (client body → IR)', () => {
  golden('openai-responses/decode-request', (body: unknown) => responses.decodeRequest(body, {}));
});

describe('openai-responses encode-request (IR → upstream body)', () => {
  golden('openai-responses/encode-request', (ir: IrRequest, f) => {
    const { body, toolNames } = responses.encodeRequest(ir, f.ctx as EncodeContext);
    return toolNames ? { body, toolNames: Object.fromEntries(toolNames) } : { body };
  });
});

describe('openai-responses decode-response (upstream JSON → IR)', () => {
  golden('openai-responses/decode-response', (body: unknown) => responses.decodeResponse(body));
});

describe('openai-responses encode-response (IR → client JSON)', () => {
  golden('openai-responses/encode-response', (ir: IrResponse, f) => responses.encodeResponse(ir, responseCtx(f)));
});

describe('openai-responses decode-stream (upstream SSE → IR parts, fed 7 bytes at a time)', () => {
  golden('openai-responses/decode-stream', (sse: string) => decodeSseText(sse, responses.createStreamDecoder()));
});

describe('openai-responses encode-stream (IR parts → client SSE)', () => {
  golden('openai-responses/encode-stream', (parts: IrStreamPart[], f) => {
    const enc = responses.createStreamEncoder(responseCtx(f));
    let text = '';
    for (const p of parts) text += enc.push(p);
    text += enc.end();
    return parseSseText(text);
  });
});
