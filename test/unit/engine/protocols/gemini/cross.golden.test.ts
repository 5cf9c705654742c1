import { describe, it } from 'vitest';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { geminiProtocol as gemini } from '../../../../../src-main/engine/protocols/gemini';
import { decodeSseText, expectGoldenJson, expectGoldenText, fixtureNames, readJson, readText } from '../claude-messages/golden';

/**
 * Claude ⇄ Gemini through the IR, as golden files: every Claude fixture as a Gemini upstream
 * would receive it and every Gemini fixture as Claude would, and each upstream stream as the
 * other format's client would see it.
 */
describe('Claude request → Gemini upstream body', () => {
  for (const name of fixtureNames('claude-messages/requests', '.json')) {
    it(name, () => {
      const ir = claude.decodeRequest(readJson(`claude-messages/requests/${name}.json`), {});
      const { body, toolNames } = gemini.encodeRequest(ir, { upstreamModel: 'gemini-2.5-pro', stream: true });
      expectGoldenJson({ body, toolNames: toolNames ? [...toolNames] : undefined }, `gemini/expected/from-claude/${name}.gemini.json`);
    });
  }
});

describe('Gemini request → Claude upstream body', () => {
  for (const name of fixtureNames('gemini/requests', '.json')) {
    it(name, () => {
      const ir = gemini.decodeRequest(readJson(`gemini/requests/${name}.json`), { model: 'gemini-2.5-pro', stream: true });
      expectGoldenJson(claude.encodeRequest(ir, { upstreamModel: 'claude-sonnet-4-5', stream: true }).body, `gemini/expected/to-claude/${name}.claude.json`);
    });
  }
});

describe('Gemini upstream stream → Claude client SSE', () => {
  for (const name of fixtureNames('gemini/streams', '.sse')) {
    it(name, () => {
      const parts = decodeSseText(readText(`gemini/streams/${name}.sse`), gemini.createStreamDecoder());
      const enc = claude.createStreamEncoder({ clientModel: 'client-claude' });
      expectGoldenText(parts.map((p) => enc.push(p)).join('') + enc.end(), `gemini/expected/to-claude-stream/${name}.sse`);
    });
  }
});

describe('Claude upstream stream → Gemini client SSE', () => {
  for (const name of fixtureNames('claude-messages/streams', '.sse')) {
    it(name, () => {
      const parts = decodeSseText(readText(`claude-messages/streams/${name}.sse`), claude.createStreamDecoder());
      const enc = gemini.createStreamEncoder({ clientModel: 'client-gemini' });
      expectGoldenText(parts.map((p) => enc.push(p)).join('') + enc.end(), `gemini/expected/from-claude-stream/${name}.sse`);
    });
  }
});
