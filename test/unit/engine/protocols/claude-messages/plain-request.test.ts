import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainClaudeRequest } from '../../../../../src-main/engine/protocols/claude-messages/plain-request';
import { requestSchema } from '../../../../../src-main/engine/protocols/claude-messages/schema';

/**
 * The hand check of everyday Messages requests may only skip the schema where the schema would
 * accept the body unchanged: whatever it accepts, the schema accepts too, with an equal result.
 */

const everyday = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', content: 'Say hello.' },
    { role: 'assistant', content: [{ type: 'text', text: 'Hello!' }, { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'x' }] },
  ],
  tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
  metadata: { user_id: 'u' },
  stream: false,
  temperature: 1,
};

function agrees(body: unknown): void {
  const fast = plainClaudeRequest(body);
  const zod = requestSchema.safeParse(body);
  if (fast !== undefined) {
    expect(zod.success).toBe(true);
    expect(fast).toEqual(zod.data);
  }
}

describe('plain Messages requests', () => {
  it('takes an everyday request (system blocks, tool use, tools, metadata) as it is', () => {
    expect(plainClaudeRequest(everyday)).toBe(everyday);
    agrees(everyday);
  });

  it('leaves unusual or invalid requests to the schema', () => {
    const odd = [
      { ...everyday, max_tokens: 0 },
      { ...everyday, max_tokens: 1.5 },
      { ...everyday, messages: [{ role: 'system', content: 'x' }] },
      { ...everyday, messages: [{ role: 'user', content: [{ text: 'no type' }] }] },
      { ...everyday, tool_choice: { type: 'auto' } },
      { ...everyday, thinking: { type: 'enabled', budget_tokens: 1024 } },
      { ...everyday, tools: [{ description: 'no name' }] },
      { ...everyday, stop_sequences: [1] },
      { ...everyday, stream: 'yes' },
      { model: 'm' },
      [],
      null,
    ];
    for (const body of odd) expect(plainClaudeRequest(body), JSON.stringify(body)).toBeUndefined();
  });

  it('never accepts what the schema refuses or would change (any JSON in the request fields)', () => {
    const value = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    fc.assert(
      fc.property(value, value, value, value, value, value, value, value, (model, maxTokens, role, content, system, stream, topK, schema) => {
        agrees({
          model,
          max_tokens: maxTokens,
          messages: [{ role, content }],
          system,
          stream,
          top_k: topK,
          tools: [{ name: 'f', input_schema: schema }],
        });
      }),
      { numRuns: 500 },
    );
  });
});
