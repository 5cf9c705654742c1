import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeClient } from './clients/claude';
import { geminiClient } from './clients/gemini';
import { openaiChatClient } from './clients/openai-chat';
import { openaiResponsesClient } from './clients/openai-responses';
import type { ClientAdapter, ClientFormat } from './clients/types';
import { UPSTREAM_KINDS, type UpstreamKind } from './fake-scripts';
import { newTag, tagged } from './scenarios';
import { MODEL_OF, startWorld, type World } from './world';

/**
 * Usage with cached and reasoning tokens, every client × every upstream (PROTOCOLS.md §3.14).
 * One answer: 20 prompt tokens of which 4 cached, 9 output tokens of which 3 reasoning, told
 * in each upstream's own terms:
 *   Chat / Responses: prompt 20 (cached 4), completion 9 (reasoning 3)
 *   Claude: input_tokens 16 + cache_read_input_tokens 4, output_tokens 9 (no reasoning count)
 *   Gemini: promptTokenCount 20, cachedContentTokenCount 4, candidatesTokenCount 6 + thoughtsTokenCount 3
 */

let w: World;
beforeAll(async () => {
  w = await startWorld();
  w.custom.set('usage', {
    chat: () => ({ text: ['ok'], usage: { input: 20, output: 9, cached: 4, reasoning: 3 } }),
    responses: () => ({ text: ['ok'], usage: { input: 20, output: 9, cached: 4, reasoning: 3 } }),
    claude: () => ({ steps: [{ type: 'text', text: 'ok' }], usage: { input: 16, output: 9, cacheRead: 4 } }),
    gemini: () => ({ steps: [{ type: 'text', text: 'ok' }], usage: { input: 20, output: 6, thoughts: 3, cacheRead: 4 } }),
  });
});
afterAll(async () => {
  await w?.close();
});

interface Expected {
  input: number;
  output: number;
  cached: number;
  /** undefined: the upstream does not report it (Claude), so the client may show 0 or nothing. */
  reasoning?: number;
}

function expected(client: ClientFormat, kind: UpstreamKind): Expected {
  const reasoning = kind === 'claude' ? undefined : 3;
  // Claude's input_tokens excludes cache reads (§3.10: input − cached).
  if (client === 'claude') return { input: 16, output: 9, cached: 4 };
  return { input: 20, output: 9, cached: 4, reasoning };
}

const CLIENTS: ClientAdapter[] = [openaiChatClient, openaiResponsesClient, claudeClient, geminiClient];

for (const client of CLIENTS) {
  describe(`${client.format} client usage`, () => {
    for (const kind of UPSTREAM_KINDS) {
      for (const stream of [false, true]) {
        it(`${kind} upstream (${stream ? 'stream' : 'non-stream'})`, async () => {
          const out = await client.call(w.url, MODEL_OF[kind], tagged({ turns: [{ role: 'user', text: 'hi' }], maxTokens: 16 }, newTag('usage')), stream);
          if (!out.ok) throw new Error(out.message);
          const e = expected(client.format, kind);
          expect(out.usage).toEqual({ input: e.input, output: e.output });
          expect(out.usageDetails.cached).toBe(e.cached);
          if (client.format !== 'claude') {
            if (e.reasoning === undefined) expect(out.usageDetails.reasoning ?? 0).toBe(0);
            else expect(out.usageDetails.reasoning).toBe(e.reasoning);
          }
        });
      }
    }
  });
}
