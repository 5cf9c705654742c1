import { startEngine, type RunningEngine } from '../integration/harness';
import { startOpenAIChatUpstream, type Scenario as OpenAIScenario } from '../fakes/upstreams/openai-chat-upstream';
import { startOpenAIResponsesUpstream } from '../fakes/upstreams/openai-responses-upstream';
import { startClaudeUpstream, type Scenario as StepScenario } from '../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../fakes/upstreams/gemini-upstream';
import { startGatedUpstream, type GatedUpstream } from './gated-upstream';
import { claudeScript, geminiScript, openaiScript, type UpstreamKind } from './fake-scripts';
import { SCENARIOS, tagIn } from './scenarios';

/**
 * One real engine and the four fake upstreams, wired so that one client model reaches one upstream
 * kind. Fakes pick their answer from the scenario tag inside the request; tests can register
 * custom answers for their own scenario ids (regression tests).
 */

export const MODEL_OF: Record<UpstreamKind, string> = {
  'openai-chat': 'm-chat',
  'openai-responses': 'm-responses',
  claude: 'm-claude',
  gemini: 'm-gemini',
};

/** What the upstream model is called on each upstream (the engine rewrites the alias to this). */
export const UPSTREAM_MODEL: Record<UpstreamKind, string> = {
  'openai-chat': 'up-chat-model',
  'openai-responses': 'gpt-5',
  claude: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
};

/** A recorded upstream request, the same shape for every fake. */
export interface SeenRequest {
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  raw: string;
}

export interface CustomScripts {
  chat?: (req: SeenRequest) => OpenAIScenario;
  responses?: (req: SeenRequest) => OpenAIScenario;
  claude?: (req: SeenRequest) => StepScenario;
  gemini?: (req: SeenRequest) => StepScenario;
}

export interface World {
  sy: RunningEngine;
  url: string;
  /** Register answers for a scenario id the shared list does not have. */
  custom: Map<string, CustomScripts>;
  /** Upstream requests of one kind whose body carries `tag`. */
  seen(kind: UpstreamKind, tag: string): SeenRequest[];
  /** OpenAI Chat (`m-chat-gated`) and Responses (`m-responses-gated`) upstream that holds after its first delta. */
  gated: GatedUpstream;
  close(): Promise<void>;
}

function unknownScenario(raw: string): never {
  throw new Error(`contract fake: no scenario tag in request ${raw.slice(0, 200)}`);
}

export async function startWorld(): Promise<World> {
  const custom = new Map<string, CustomScripts>();
  const logs: Record<UpstreamKind, SeenRequest[]> = { 'openai-chat': [], 'openai-responses': [], claude: [], gemini: [] };
  const record = (kind: UpstreamKind, r: { path: string; headers: SeenRequest['headers']; body: unknown; raw: string; query?: URLSearchParams }): SeenRequest => {
    const seen: SeenRequest = {
      path: r.path,
      query: r.query?.toString() ?? '',
      headers: r.headers,
      body: (r.body ?? {}) as Record<string, unknown>,
      raw: r.raw,
    };
    logs[kind].push(seen);
    return seen;
  };
  const find = (raw: string) => {
    const t = tagIn(raw);
    if (!t) return unknownScenario(raw);
    return { custom: custom.get(t.id), scenario: SCENARIOS.find((s) => s.id === t.id) };
  };

  const chat = await startOpenAIChatUpstream({
    script: (rec) => {
      const seen = record('openai-chat', rec);
      const f = find(rec.raw);
      if (f.custom?.chat) return f.custom.chat(seen);
      return f.scenario ? openaiScript('openai-chat', f.scenario.reply) : unknownScenario(rec.raw);
    },
  });
  const responses = await startOpenAIResponsesUpstream({
    script: (rec) => {
      const seen = record('openai-responses', rec);
      const f = find(rec.raw);
      if (f.custom?.responses) return f.custom.responses(seen);
      return f.scenario ? openaiScript('openai-responses', f.scenario.reply) : unknownScenario(rec.raw);
    },
  });
  const claude = await startClaudeUpstream({
    script: (rec) => {
      const seen = record('claude', { ...rec, raw: rec.rawBody });
      const f = find(rec.rawBody);
      if (f.custom?.claude) return f.custom.claude(seen);
      return f.scenario ? claudeScript(f.scenario.reply) : unknownScenario(rec.rawBody);
    },
  });
  const gemini = await startGeminiUpstream({
    script: (rec) => {
      const seen = record('gemini', { ...rec, raw: rec.rawBody });
      const f = find(rec.rawBody);
      if (f.custom?.gemini) return f.custom.gemini(seen);
      return f.scenario ? geminiScript(f.scenario.reply) : unknownScenario(rec.rawBody);
    },
  });

  const gated = await startGatedUpstream();

  const config = [
    'request-retry: 0',
    'max-retry-interval: 0',
    // A 429 must come back to the caller each time, not turn the only key into a cooling one.
    'disable-cooling: true',
    'openai-compatibility:',
    '  - name: fake-chat',
    `    base-url: ${chat.url}/v1`,
    '    api-key: sk-up-chat',
    `    models: [{name: ${UPSTREAM_MODEL['openai-chat']}, alias: ${MODEL_OF['openai-chat']}}]`,
    '  - name: gated-chat',
    `    base-url: ${gated.url}/v1`,
    '    api-key: sk-up-gated',
    '    models: [{name: gated-chat, alias: m-chat-gated}]',
    'codex-api-key:',
    '  - api-key: sk-up-codex',
    `    base-url: ${responses.url}/v1`,
    `    models: [{name: ${UPSTREAM_MODEL['openai-responses']}, alias: ${MODEL_OF['openai-responses']}}]`,
    '  - api-key: sk-up-codex-gated',
    `    base-url: ${gated.url}/v1`,
    '    models: [{name: gpt-5-gated, alias: m-responses-gated}]',
    'claude-api-key:',
    '  - api-key: sk-up-claude',
    `    base-url: ${claude.url}`,
    `    models: [{name: ${UPSTREAM_MODEL.claude}, alias: ${MODEL_OF.claude}}]`,
    'gemini-api-key:',
    '  - api-key: up-gemini-key',
    `    base-url: ${gemini.url}`,
    `    models: [{name: ${UPSTREAM_MODEL.gemini}, alias: ${MODEL_OF.gemini}}]`,
  ].join('\n');
  const sy = await startEngine(config);

  return {
    sy,
    url: sy.url,
    custom,
    gated,
    seen: (kind, tag) => logs[kind].filter((r) => r.raw.includes(tag)),
    close: async () => {
      await sy.close();
      await Promise.all([gated.close(), chat.close(), responses.close(), claude.close(), gemini.close()]);
    },
  };
}
