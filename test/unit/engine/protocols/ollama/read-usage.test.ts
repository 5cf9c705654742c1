import { describe, expect, it } from 'vitest';
import { protocols } from '../../../../../src-main/engine/protocols';
import { strangeBodies } from '../read-usage';

const ollama = protocols.ollama;

/** The closing object of `POST /api/chat` with `"stream": false`, as Ollama's API documentation shows it. */
const closing = {
  model: 'llama3.2',
  created_at: '2023-12-12T14:13:43.416799Z',
  message: { role: 'assistant', content: 'Hello! How are you today?' },
  done: true,
  total_duration: 5191566416,
  load_duration: 2154458,
  prompt_eval_count: 26,
  prompt_eval_duration: 383809000,
  eval_count: 298,
  eval_duration: 4799921000,
};

describe('ollama readUsage', () => {
  it('reads prompt_eval_count as the prompt and eval_count as the answer', () => {
    expect(ollama.readUsage!(closing)).toEqual({ inputTokens: 26, outputTokens: 298, totalTokens: 324 });
  });

  it('drops a counter that is not a non-negative integer and has no usage without counters', () => {
    expect(ollama.readUsage!({ ...closing, eval_count: -5 })).toEqual({ inputTokens: 26, outputTokens: 0, totalTokens: 26 });
    expect(ollama.readUsage!({ model: 'llama3.2', done: false })).toBeUndefined();
  });

  it.each(strangeBodies('prompt_eval_count', ['eval_count']).map((b) => [String(JSON.stringify(b)), b] as const))('does not throw on %s', (_n, body) => {
    expect(() => ollama.readUsage!(body)).not.toThrow();
  });
});
