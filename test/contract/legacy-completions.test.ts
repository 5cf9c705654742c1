import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_KINDS } from './fake-scripts';
import { newTag, scenarioById } from './scenarios';
import { viewOf } from './upstream-view';
import { MODEL_OF, startWorld, type World } from './world';

/**
 * Legacy `POST /v1/completions` (PROTOCOLS.md §2.2): one user message through the chat path to
 * every upstream kind, answered as `text_completion`, streaming and not.
 */

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const plain = scenarioById('plain');
const expectedText = (plain.reply.text ?? []).join('');

for (const kind of UPSTREAM_KINDS) {
  describe(`openai completions → ${kind} upstream`, () => {
    it('non-stream', async () => {
      const tag = newTag('plain');
      const client = new OpenAI({ baseURL: `${w.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const res = await client.completions.create({ model: MODEL_OF[kind], prompt: `Say hello ${tag}`, max_tokens: 64 });
      expect(res.object).toBe('text_completion');
      expect(res.choices[0].text).toBe(expectedText);
      expect(res.choices[0].finish_reason).toBe('stop');
      expect(res.usage).toMatchObject({ prompt_tokens: plain.reply.usage.input, completion_tokens: plain.reply.usage.output });
      const v = viewOf(kind, w.seen(kind, tag)[0]);
      expect(v.roles).toEqual(['user']);
      expect(v.texts.join('')).toContain(`Say hello ${tag}`);
    });
    it('stream', async () => {
      const tag = newTag('plain');
      const client = new OpenAI({ baseURL: `${w.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const stream = await client.completions.create({ model: MODEL_OF[kind], prompt: `Say hello ${tag}`, max_tokens: 64, stream: true });
      let text = '';
      let finish: string | null = null;
      for await (const c of stream) {
        expect(c.object).toBe('text_completion');
        text += c.choices[0]?.text ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
      }
      expect(text).toBe(expectedText);
      expect(finish).toBe('stop');
      expect(w.seen(kind, tag)).toHaveLength(1);
    });
  });
}
