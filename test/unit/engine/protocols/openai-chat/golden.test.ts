import { afterAll, beforeAll, describe, vi } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { openaiChatProtocol as chat } from '../../../../../src-main/engine/protocols/openai-chat';
import type { EncodeContext, ResponseContext } from '../../../../../src-main/engine/protocols/protocol';
import { decodeSseText, golden, parseSseText } from './golden';

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

describe('openai-chat decode-request (client body → IR)', () => {
  golden('openai-chat/decode-request', (body: unknown) => chat.decodeRequest(body, {}));
});

describe('openai-chat encode-request (IR → upstream body)', () => {
  golden('openai-chat/encode-request', (ir: IrRequest, f) => {
    const { body, toolNames } = chat.encodeRequest(ir, f.ctx as EncodeContext);
    return toolNames ? { body, toolNames: Object.fromEntries(toolNames) } : { body };
  });
});

describe('openai-chat decode-response (upstream JSON → IR)', () => {
  golden('openai-chat/decode-response', (body: unknown) => chat.decodeResponse(body));
});

describe('openai-chat encode-response (IR → client JSON)', () => {
  golden('openai-chat/encode-response', (ir: IrResponse, f) => chat.encodeResponse(ir, responseCtx(f)));
});

describe('openai-chat decode-stream (upstream SSE → IR parts, fed 7 bytes at a time)', () => {
  golden('openai-chat/decode-stream', (sse: string) => decodeSseText(sse, chat.createStreamDecoder()));
});

describe('openai-chat encode-stream (IR parts → client SSE)', () => {
  golden('openai-chat/encode-stream', (parts: IrStreamPart[], f) => {
    const enc = chat.createStreamEncoder(responseCtx(f));
    let text = '';
    for (const p of parts) text += enc.push(p);
    text += enc.end();
    return parseSseText(text);
  });
});
