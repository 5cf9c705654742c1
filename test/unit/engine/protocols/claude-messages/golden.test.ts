import { describe, expect, it } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import type { EncodeContext } from '../../../../../src-main/engine/protocols/protocol';
import { decodeSseText, expectGoldenJson, expectGoldenText, fixtureNames, readJson, readText } from './golden';

/** Every fixture under test/fixtures/claude-messages/<kind>/ against its expected/ twin. */
const DIR = 'claude-messages';

interface EncodeFixture {
  ctx: EncodeContext;
  request: IrRequest;
}
interface ResponseFixture {
  ctx: { clientModel: string; toolNames?: Array<[string, string]> };
  response: IrResponse;
}
interface StreamFixture {
  ctx: { clientModel: string; toolNames?: Array<[string, string]> };
  parts: IrStreamPart[];
}

const responseCtx = (ctx: ResponseFixture['ctx']) => ({ clientModel: ctx.clientModel, toolNames: ctx.toolNames ? new Map(ctx.toolNames) : undefined });

describe('claude-messages decode-request (Claude body → IR)', () => {
  for (const name of fixtureNames(`${DIR}/requests`, '.json')) {
    it(name, () => {
      const ir = claude.decodeRequest(readJson(`${DIR}/requests/${name}.json`), {});
      expectGoldenJson(ir, `${DIR}/expected/decode-request/${name}.ir.json`);
    });
  }
});

describe('claude-messages encode-request (IR → Claude body)', () => {
  for (const name of fixtureNames(`${DIR}/ir-requests`, '.json')) {
    it(name, () => {
      const f = readJson<EncodeFixture>(`${DIR}/ir-requests/${name}.json`);
      expectGoldenJson(claude.encodeRequest(f.request, f.ctx).body, `${DIR}/expected/encode-request/${name}.claude.json`);
    });
  }
});

describe('claude-messages decode-response (Claude message → IR)', () => {
  for (const name of fixtureNames(`${DIR}/responses`, '.json')) {
    it(name, () => {
      expectGoldenJson(claude.decodeResponse(readJson(`${DIR}/responses/${name}.json`)), `${DIR}/expected/decode-response/${name}.ir.json`);
    });
  }
});

describe('claude-messages encode-response (IR → Claude message)', () => {
  for (const name of fixtureNames(`${DIR}/ir-responses`, '.json')) {
    it(name, () => {
      const f = readJson<ResponseFixture>(`${DIR}/ir-responses/${name}.json`);
      expectGoldenJson(claude.encodeResponse(f.response, responseCtx(f.ctx)), `${DIR}/expected/encode-response/${name}.claude.json`);
    });
  }
});

describe('claude-messages decode-stream (Claude SSE → IR parts)', () => {
  for (const name of fixtureNames(`${DIR}/streams`, '.sse')) {
    it(`${name}: same parts whole, byte by byte (split UTF-8) and with CRLF`, () => {
      const text = readText(`${DIR}/streams/${name}.sse`);
      const whole = decodeSseText(text, claude.createStreamDecoder(), 'whole');
      expectGoldenJson(whole, `${DIR}/expected/decode-stream/${name}.parts.json`);
      const strip = (parts: IrStreamPart[]) => parts.map((p) => (p.type === 'start' ? { ...p, created: 0 } : p));
      expect(strip(decodeSseText(text, claude.createStreamDecoder(), 'bytes'))).toEqual(strip(whole));
      expect(strip(decodeSseText(text, claude.createStreamDecoder(), 'crlf-bytes'))).toEqual(strip(whole));
    });
  }
});

describe('claude-messages encode-stream (IR parts → Claude SSE)', () => {
  for (const name of fixtureNames(`${DIR}/ir-streams`, '.json')) {
    it(name, () => {
      const f = readJson<StreamFixture>(`${DIR}/ir-streams/${name}.json`);
      const enc = claude.createStreamEncoder(responseCtx(f.ctx));
      const text = f.parts.map((p) => enc.push(p)).join('') + enc.end();
      expectGoldenText(text, `${DIR}/expected/encode-stream/${name}.sse`);
    });
  }
});
