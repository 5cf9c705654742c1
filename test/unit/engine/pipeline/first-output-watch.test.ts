import { describe, expect, it } from 'vitest';
import type { IrStreamPart } from '../../../../src-main/engine/ir';
import { protocols } from '../../../../src-main/engine/protocols';
import type { ProtocolId } from '../../../../src-main/engine/protocols/protocol';
import { FirstOutputWatch } from '../../../../src-main/engine/pipeline/stream/first-output';
import { SseDecoder } from '../../../../src-main/engine/sse/decoder';

/** Feed raw upstream bytes through the real SSE and protocol decoders, as the relays do. */
function answered(protocol: ProtocolId, body: string): boolean {
  const decoder = protocols[protocol].createStreamDecoder();
  const watch = new FirstOutputWatch(decoder);
  const sse = new SseDecoder();
  const parts: IrStreamPart[] = [];
  watch.push(sse.push(Buffer.from(body)), parts);
  watch.push(sse.end(), parts);
  parts.push(...decoder.end());
  return watch.answered(parts);
}

const chat = (choice: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, ...choice }] })}\n\n`;

describe('FirstOutputWatch: has the upstream really answered? (issue 12, D5)', () => {
  it('an HTML page, an empty body or a lone [DONE] is no answer, though every decoder closes with a finish', () => {
    for (const p of ['openai-chat', 'claude-messages', 'gemini', 'openai-responses'] as ProtocolId[]) {
      expect(answered(p, '<!DOCTYPE html><html><body>502 Bad Gateway</body></html>'), p).toBe(false);
      expect(answered(p, ''), p).toBe(false);
      expect(answered(p, 'data: [DONE]\n\n'), p).toBe(false);
    }
  });

  it('text is an answer', () => {
    expect(answered('openai-chat', chat({ delta: { content: 'hi' }, finish_reason: null }))).toBe(true);
  });

  it('an empty completion the upstream really sent (role chunk, stop, [DONE]) is an answer', () => {
    expect(answered('openai-chat', `${chat({ delta: { role: 'assistant' }, finish_reason: null })}${chat({ delta: {}, finish_reason: 'stop' })}data: [DONE]\n\n`)).toBe(true);
  });

  it('a Gemini chunk with only a finishReason (its finish comes from end()) is an answer', () => {
    const ev = `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [] }, finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: 3, totalTokenCount: 3 } })}\n\n`;
    expect(answered('gemini', ev)).toBe(true);
  });
});
