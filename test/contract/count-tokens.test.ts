import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_KINDS, type UpstreamKind } from './fake-scripts';
import { newTag, WEATHER_TOOL } from './scenarios';
import { MODEL_OF, startWorld, type World } from './world';

/**
 * count_tokens from Claude and Gemini clients against every upstream kind (issue 3, PROTOCOLS.md
 * §2.2): the upstream counts where it can (Claude count_tokens, Gemini countTokens), a local
 * tokenizer estimate otherwise (OpenAI-compatible, Codex).
 */

let w: World;
beforeAll(async () => {
  w = await startWorld();
  // The fakes answer count requests with `usage.input`.
  w.custom.set('count', { claude: () => ({ usage: { input: 42 } }), gemini: () => ({ usage: { input: 42 } }) });
});
afterAll(async () => {
  await w?.close();
});

const upstreamCounts = (k: UpstreamKind) => k === 'claude' || k === 'gemini';
const TEXT = 'Count the tokens of this sentence, please, it has a dozen words or so.';

describe('Claude client: POST /v1/messages/count_tokens', () => {
  for (const kind of UPSTREAM_KINDS) {
    it(`${kind} upstream`, async () => {
      const tag = newTag('count');
      const client = new Anthropic({ baseURL: w.url, apiKey: 'k', maxRetries: 0 });
      const res = await client.messages.countTokens({
        model: MODEL_OF[kind],
        system: 'Be brief.',
        tools: [{ name: WEATHER_TOOL.name, description: WEATHER_TOOL.description, input_schema: WEATHER_TOOL.parameters as { type: 'object' } }],
        messages: [{ role: 'user', content: `${TEXT} ${tag}` }],
      });
      const seen = w.seen(kind, tag);
      if (upstreamCounts(kind)) {
        expect(res.input_tokens).toBe(42);
        expect(seen).toHaveLength(1);
        expect(seen[0].path).toMatch(kind === 'claude' ? /\/v1\/messages\/count_tokens$/ : /:countTokens$/);
      } else {
        // Local estimate: plausible for ~20 words plus a tool, and no upstream call.
        expect(res.input_tokens).toBeGreaterThan(10);
        expect(res.input_tokens).toBeLessThan(200);
        expect(seen).toHaveLength(0);
      }
    });
  }
});

describe('Gemini client: POST /v1beta/models/{model}:countTokens', () => {
  for (const kind of UPSTREAM_KINDS) {
    it(`${kind} upstream`, async () => {
      const tag = newTag('count');
      const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: w.url } });
      const res = await ai.models.countTokens({ model: MODEL_OF[kind], contents: [{ role: 'user', parts: [{ text: `${TEXT} ${tag}` }] }] });
      const seen = w.seen(kind, tag);
      if (upstreamCounts(kind)) {
        expect(res.totalTokens).toBe(42);
        expect(seen).toHaveLength(1);
      } else {
        expect(res.totalTokens).toBeGreaterThan(5);
        expect(res.totalTokens).toBeLessThan(100);
        expect(seen).toHaveLength(0);
      }
    });
  }
});
