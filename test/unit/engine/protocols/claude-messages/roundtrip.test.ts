import { describe, expect, it } from 'vitest';
import type { IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { StreamAccumulator } from '../../../../../src-main/engine/ir/accumulate';
import { claudeMessagesProtocol as claude } from '../../../../../src-main/engine/protocols/claude-messages';
import { decodeSseText, fixtureNames, normalise, readJson, readText } from './golden';

/**
 * Round trips over every fixture: what Claude says survives Claude → IR → Claude → IR
 * unchanged (the IR is a fixed point), for requests, responses and streams.
 */
const DIR = 'claude-messages';

function fold(parts: IrStreamPart[]): IrResponse {
  const acc = new StreamAccumulator();
  parts.forEach((p) => acc.push(p));
  return acc.result();
}

describe('Claude round trips', () => {
  for (const name of fixtureNames(`${DIR}/requests`, '.json')) {
    it(`request ${name}: decode ∘ encode ∘ decode = decode`, () => {
      const ir = claude.decodeRequest(readJson(`${DIR}/requests/${name}.json`), {});
      const again = claude.decodeRequest(claude.encodeRequest(ir, { upstreamModel: ir.model, stream: ir.stream }).body, {});
      // Sampling knobs are dropped on purpose when thinking is on (Anthropic refuses them).
      if (again.reasoning?.enabled) {
        delete ir.temperature;
        delete ir.topK;
      }
      // Temperature and top_p together are refused by current models: temperature is kept.
      if (ir.temperature !== undefined) delete ir.topP;
      expect(again).toEqual(ir);
    });
  }

  for (const name of fixtureNames(`${DIR}/responses`, '.json')) {
    it(`response ${name}: decode ∘ encode ∘ decode = decode`, () => {
      const ir = claude.decodeResponse(readJson(`${DIR}/responses/${name}.json`));
      const again = claude.decodeResponse(claude.encodeResponse(ir, { clientModel: ir.model }));
      expect(normalise(again)).toEqual(normalise(ir));
    });
  }

  for (const name of fixtureNames(`${DIR}/streams`, '.sse')) {
    it(`stream ${name}: decode ∘ encode ∘ decode folds to the same message`, () => {
      const parts = decodeSseText(readText(`${DIR}/streams/${name}.sse`), claude.createStreamDecoder());
      const start = parts.find((p) => p.type === 'start');
      const enc = claude.createStreamEncoder({ clientModel: start?.type === 'start' ? start.model : '' });
      const sse = parts.map((p) => enc.push(p)).join('') + enc.end();
      const again = decodeSseText(sse, claude.createStreamDecoder());
      const before = fold(parts);
      const after = fold(again);
      // A stream cut before message_stop gets an explicit end_turn on the way out.
      if (!before.rawFinishReason) delete after.rawFinishReason;
      expect(normalise(after)).toEqual(normalise(before));
      expect(again.at(-1)?.type).toBe(parts.at(-1)?.type);
    });
  }
});
