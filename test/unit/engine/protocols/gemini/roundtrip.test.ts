import { describe, expect, it } from 'vitest';
import type { IrRequest, IrResponse, IrStreamPart } from '../../../../../src-main/engine/ir';
import { StreamAccumulator } from '../../../../../src-main/engine/ir/accumulate';
import { DEFAULT_SAFETY_SETTINGS, geminiProtocol as gemini } from '../../../../../src-main/engine/protocols/gemini';
import { decodeSseText, fixtureNames, normalise, readJson, readText } from '../claude-messages/golden';

/**
 * Round trips over every Gemini fixture: Gemini → IR → Gemini → IR is a fixed point, except
 * for what the encoder drops on purpose (thought parts in history, function-call ids, which
 * Gemini pairs by order) and the default safety settings it adds.
 */
const DIR = 'gemini';

/** Tool-call ids replaced by their order of appearance, results mapped alike. */
function canonical(ir: IrRequest): IrRequest {
  const ids = new Map<string, string>();
  const idOf = (id: string) => ids.get(id) ?? (ids.set(id, `#${ids.size}`), `#${ids.size - 1}`);
  const copy = structuredClone(ir);
  for (const m of copy.messages) {
    m.parts = m.parts.filter((p) => p.type !== 'reasoning');
    for (const p of m.parts) {
      if (p.type === 'tool-call') p.id = idOf(p.id);
      if (p.type === 'tool-result') p.callId = idOf(p.callId);
    }
  }
  copy.messages = copy.messages.filter((m) => m.parts.length);
  const ext = copy.extensions?.gemini;
  if (ext && JSON.stringify(ext.safetySettings) === JSON.stringify(DEFAULT_SAFETY_SETTINGS)) delete ext.safetySettings;
  if (ext && !Object.keys(ext).length) delete copy.extensions;
  return copy;
}

function mergeText(res: IrResponse): IrResponse {
  const parts: IrResponse['parts'] = [];
  for (const p of res.parts) {
    const last = parts[parts.length - 1];
    if (p.type === 'text' && last?.type === 'text') last.text += p.text;
    else parts.push({ ...p });
  }
  return { ...res, parts };
}

function fold(parts: IrStreamPart[]): IrResponse {
  const acc = new StreamAccumulator();
  parts.forEach((p) => acc.push(p));
  return acc.result();
}

describe('Gemini round trips', () => {
  for (const name of fixtureNames(`${DIR}/requests`, '.json')) {
    it(`request ${name}: decode ∘ encode ∘ decode = decode`, () => {
      // Levels are a Gemini 3 notion, budgets a 2.5 one: each fixture goes to its own family.
      const where = { model: name.includes('level') ? 'gemini-3-pro-preview' : 'gemini-2.5-flash', stream: true };
      const ir = gemini.decodeRequest(readJson(`${DIR}/requests/${name}.json`), where);
      const again = gemini.decodeRequest(gemini.encodeRequest(ir, { upstreamModel: ir.model, stream: true }).body, where);
      expect(canonical(again)).toEqual(canonical(ir));
    });
  }

  for (const name of fixtureNames(`${DIR}/responses`, '.json')) {
    it(`response ${name}: decode ∘ encode ∘ decode = decode`, () => {
      const ir = gemini.decodeResponse(readJson(`${DIR}/responses/${name}.json`));
      const again = gemini.decodeResponse(gemini.encodeResponse(ir, { clientModel: ir.model }));
      // Adjacent text parts are sent as one, as Gemini itself answers.
      expect(normalise(again)).toEqual(normalise(mergeText(ir)));
    });
  }

  for (const name of fixtureNames(`${DIR}/streams`, '.sse')) {
    it(`stream ${name}: decode ∘ encode ∘ decode folds to the same response`, () => {
      const parts = decodeSseText(readText(`${DIR}/streams/${name}.sse`), gemini.createStreamDecoder());
      const start = parts.find((p) => p.type === 'start');
      const enc = gemini.createStreamEncoder({ clientModel: start?.type === 'start' ? start.model : '' });
      const again = decodeSseText(parts.map((p) => enc.push(p)).join('') + enc.end(), gemini.createStreamDecoder());
      const before = fold(parts);
      const after = fold(again);
      if (!before.rawFinishReason) delete after.rawFinishReason;
      expect(normalise(after)).toEqual(normalise(before));
      expect(again.at(-1)?.type).toBe(parts.at(-1)?.type);
    });
  }
});
