import { describe, expect, it } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { geminiProtocol as gemini } from '../../../../../src-main/engine/protocols/gemini';
import type { EncodeContext } from '../../../../../src-main/engine/protocols/protocol';
import { decodeSseText, expectGoldenJson, expectGoldenText, fixtureNames, normalise, readJson, readText } from '../claude-messages/golden';

/** Every fixture under test/fixtures/gemini/<kind>/ against its expected/ twin. */
const DIR = 'gemini';

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

describe('gemini decode-request (Gemini body → IR)', () => {
  for (const name of fixtureNames(`${DIR}/requests`, '.json')) {
    it(name, () => {
      const ir = gemini.decodeRequest(readJson(`${DIR}/requests/${name}.json`), { model: 'gemini-from-url', stream: true });
      expectGoldenJson(ir, `${DIR}/expected/decode-request/${name}.ir.json`);
    });
  }
});

describe('gemini encode-request (IR → Gemini body)', () => {
  for (const name of fixtureNames(`${DIR}/ir-requests`, '.json')) {
    it(name, () => {
      const f = readJson<EncodeFixture>(`${DIR}/ir-requests/${name}.json`);
      const { body, toolNames } = gemini.encodeRequest(f.request, f.ctx);
      expectGoldenJson({ body, toolNames: toolNames ? [...toolNames] : undefined }, `${DIR}/expected/encode-request/${name}.gemini.json`);
    });
  }
});

describe('gemini decode-response (GenerateContentResponse → IR)', () => {
  for (const name of fixtureNames(`${DIR}/responses`, '.json')) {
    it(name, () => {
      expectGoldenJson(gemini.decodeResponse(readJson(`${DIR}/responses/${name}.json`)), `${DIR}/expected/decode-response/${name}.ir.json`);
    });
  }
});

describe('gemini encode-response (IR → GenerateContentResponse)', () => {
  for (const name of fixtureNames(`${DIR}/ir-responses`, '.json')) {
    it(name, () => {
      const f = readJson<ResponseFixture>(`${DIR}/ir-responses/${name}.json`);
      expectGoldenJson(gemini.encodeResponse(f.response, responseCtx(f.ctx)), `${DIR}/expected/encode-response/${name}.gemini.json`);
    });
  }
});

describe('gemini decode-stream (Gemini SSE → IR parts)', () => {
  for (const name of fixtureNames(`${DIR}/streams`, '.sse')) {
    it(`${name}: same parts whole, byte by byte (split UTF-8) and with CRLF`, () => {
      const text = readText(`${DIR}/streams/${name}.sse`);
      const whole = decodeSseText(text, gemini.createStreamDecoder(), 'whole');
      expectGoldenJson(whole, `${DIR}/expected/decode-stream/${name}.parts.json`);
      const strip = (parts: IrStreamPart[]) => normalise(parts);
      expect(strip(decodeSseText(text, gemini.createStreamDecoder(), 'bytes'))).toEqual(strip(whole));
      expect(strip(decodeSseText(text, gemini.createStreamDecoder(), 'crlf-bytes'))).toEqual(strip(whole));
    });
  }
});

describe('gemini encode-stream (IR parts → Gemini SSE)', () => {
  for (const name of fixtureNames(`${DIR}/ir-streams`, '.json')) {
    it(name, () => {
      const f = readJson<StreamFixture>(`${DIR}/ir-streams/${name}.json`);
      const enc = gemini.createStreamEncoder(responseCtx(f.ctx));
      const text = f.parts.map((p) => enc.push(p)).join('') + enc.end();
      expectGoldenText(text, `${DIR}/expected/encode-stream/${name}.sse`);
    });
  }
});
