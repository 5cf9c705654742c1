import { startClaudeUpstream, type FakeUpstream as ClaudeFake, type RecordedRequest as ClaudeRecorded, type Scenario as ClaudeScenario } from '../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../fakes/upstreams/gemini-upstream';
import { startOpenAIChatUpstream, type FakeUpstream as OpenAIFake, type RecordedRequest as OpenAIRecorded, type Scenario as OpenAIScenario } from '../fakes/upstreams/openai-chat-upstream';
import { startOpenAIResponsesUpstream } from '../fakes/upstreams/openai-responses-upstream';
import { ROUND_TRIP_DONE } from './clients';

/**
 * Loopback upstreams scripted for a real CLI's turns: "PONG" for the text turn; for the tool turn
 * one call of the CLI's own read tool on marker.txt, then ROUNDTRIP-OK once the tool result came
 * back. Each upstream lists its models (`GET …/models`), as the real APIs do.
 */
type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const mentionsToolTest = (v: unknown) => JSON.stringify(v ?? null).includes('TOOLTEST');

export const CLAUDE_LISTED = ['claude-sonnet-4-6', 'claude-opus-4-6', 'claude-haiku-4-5'];
export const OPENAI_LISTED = ['gpt-5.5', 'gpt-5.5-codex'];
export const GEMINI_LISTED = ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-2.5-flash'];
export const GATEWAY_LISTED = ['llama-4-maverick', 'qwen3-coder'];

/** Anthropic Messages upstream for Claude Code (Bash tool). */
export function claudeUpstream(): Promise<ClaudeFake> {
  return startClaudeUpstream({
    models: CLAUDE_LISTED,
    script: (rec: ClaudeRecorded): ClaudeScenario => {
      const messages = asArray((rec.body as Json | undefined)?.messages);
      const last = messages.at(-1);
      if (asArray(last?.content).some((b) => b.type === 'tool_result')) return { steps: [{ type: 'text', text: ROUND_TRIP_DONE }], stopReason: 'end_turn' };
      if (mentionsToolTest(messages)) {
        return { steps: [{ type: 'tool', id: 'toolu_real_1', name: 'Bash', args: JSON.stringify({ command: 'cat marker.txt' }), chunks: 2 }], stopReason: 'tool_use' };
      }
      return { steps: [{ type: 'text', text: 'PONG' }], stopReason: 'end_turn' };
    },
  });
}

/** OpenAI Responses upstream for Codex (exec_command tool). */
export function responsesUpstream(): Promise<OpenAIFake> {
  return startOpenAIResponsesUpstream({
    models: OPENAI_LISTED,
    script: (rec: OpenAIRecorded): OpenAIScenario => {
      const input = asArray((rec.body as Json | undefined)?.input);
      if (input.some((i) => i.type === 'function_call_output')) return { text: [ROUND_TRIP_DONE], usage: { input: 50, output: 3 } };
      if (mentionsToolTest(input)) return { toolCalls: [{ id: 'call_real_1', name: 'exec_command', arguments: JSON.stringify({ cmd: 'cat marker.txt' }) }], usage: { input: 50, output: 9 } };
      return { text: ['PONG'], usage: { input: 50, output: 1 } };
    },
  });
}

/** Gemini upstream for Gemini CLI (read_file tool with the absolute path). */
export function geminiUpstream(markerPath: () => string): Promise<ClaudeFake> {
  return startGeminiUpstream({
    models: GEMINI_LISTED,
    script: (rec: ClaudeRecorded): ClaudeScenario => {
      const contents = asArray((rec.body as Json | undefined)?.contents);
      const last = contents.at(-1);
      if (asArray(last?.parts).some((p) => p.functionResponse)) return { steps: [{ type: 'text', text: ROUND_TRIP_DONE }], stopReason: 'STOP' };
      if (mentionsToolTest(contents)) return { steps: [{ type: 'tool', name: 'read_file', args: JSON.stringify({ file_path: markerPath() }) }], stopReason: 'STOP' };
      return { steps: [{ type: 'text', text: 'PONG' }], stopReason: 'STOP' };
    },
  });
}

/**
 * An OpenAI-compatible Chat Completions gateway behind every CLI (Switchyard translates): calls
 * whichever read tool the client offered (Bash, exec_command or read_file).
 */
export function gatewayUpstream(markerPath: () => string): Promise<OpenAIFake> {
  return startOpenAIChatUpstream({
    models: GATEWAY_LISTED,
    script: (rec: OpenAIRecorded): OpenAIScenario => {
      const body = (rec.body ?? {}) as Json;
      const messages = asArray(body.messages);
      if (messages.at(-1)?.role === 'tool') return { text: [ROUND_TRIP_DONE], usage: { input: 50, output: 3 } };
      if (!mentionsToolTest(messages)) return { text: ['PONG'], usage: { input: 50, output: 1 } };
      const names = new Set(asArray(body.tools).map((t) => String((t.function as Json | undefined)?.name ?? '')));
      const call = names.has('Bash')
        ? { name: 'Bash', arguments: JSON.stringify({ command: 'cat marker.txt' }) }
        : names.has('exec_command')
          ? { name: 'exec_command', arguments: JSON.stringify({ cmd: 'cat marker.txt' }) }
          : { name: 'read_file', arguments: JSON.stringify({ file_path: markerPath() }) };
      return { toolCalls: [{ id: 'call_gw_1', ...call }], usage: { input: 50, output: 9 } };
    },
  });
}

/** The request bodies an upstream saw that carried the marker back (the tool result). */
export function sawMarker(requests: Array<{ body: unknown }>, marker: string): boolean {
  return requests.some((r) => JSON.stringify(r.body ?? null).includes(marker));
}
