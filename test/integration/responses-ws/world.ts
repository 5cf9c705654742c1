import { startEngine, type RunningEngine } from '../harness';
import { startOpenAIChatUpstream, type Scenario as OpenAIScenario } from '../../fakes/upstreams/openai-chat-upstream';
import { startOpenAIResponsesUpstream } from '../../fakes/upstreams/openai-responses-upstream';
import { startClaudeUpstream, type Scenario as StepScenario } from '../../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../../fakes/upstreams/gemini-upstream';
import type { RequestRecord } from '../../../src-main/engine/pipeline/types';

export type UpstreamKind = 'codex' | 'claude' | 'gemini' | 'openai-compatible';

/** Client model per upstream kind (aliases in the config below). */
export const MODEL: Record<UpstreamKind, string> = {
  codex: 'gpt-5.5',
  claude: 'ws-claude',
  gemini: 'ws-gemini',
  'openai-compatible': 'ws-compat',
};

export const CLIENT_KEY = 'sk-client-ws';

/** One recorded upstream request, whatever the fake. */
export interface UpstreamCall {
  body: Record<string, unknown>;
  raw: string;
  headers: Record<string, string | string[] | undefined>;
  aborted?: () => boolean;
}

/** Answers of the fakes: a tool call first, plain text once the tool result came back. */
export interface Scripts {
  openai(raw: string, kind: 'codex' | 'openai-compatible', headers: UpstreamCall['headers']): OpenAIScenario;
  steps(raw: string, kind: 'claude' | 'gemini'): StepScenario;
}

export interface WsWorld {
  sy: RunningEngine;
  /** ws://127.0.0.1:PORT/v1/responses */
  wsUrl: string;
  calls: Record<UpstreamKind, UpstreamCall[]>;
  records: RequestRecord[];
  scripts: { current: Scripts };
  close(): Promise<void>;
}

export async function startWsWorld(scripts: Scripts, extraConfig: string[] = []): Promise<WsWorld> {
  const calls: Record<UpstreamKind, UpstreamCall[]> = { codex: [], claude: [], gemini: [], 'openai-compatible': [] };
  const current = { current: scripts };
  const responses = await startOpenAIResponsesUpstream({
    script: (rec) => {
      calls.codex.push({ body: rec.body as Record<string, unknown>, raw: rec.raw, headers: rec.headers, aborted: () => rec.aborted });
      return current.current.openai(rec.raw, 'codex', rec.headers);
    },
  });
  const chat = await startOpenAIChatUpstream({
    script: (rec) => {
      calls['openai-compatible'].push({ body: rec.body as Record<string, unknown>, raw: rec.raw, headers: rec.headers, aborted: () => rec.aborted });
      return current.current.openai(rec.raw, 'openai-compatible', rec.headers);
    },
  });
  const claude = await startClaudeUpstream({
    script: (rec) => {
      calls.claude.push({ body: rec.body as Record<string, unknown>, raw: rec.rawBody, headers: rec.headers });
      return current.current.steps(rec.rawBody, 'claude');
    },
  });
  const gemini = await startGeminiUpstream({
    script: (rec) => {
      calls.gemini.push({ body: rec.body as Record<string, unknown>, raw: rec.rawBody, headers: rec.headers });
      return current.current.steps(rec.rawBody, 'gemini');
    },
  });
  const sy = await startEngine(
    [
      `api-keys: [${CLIENT_KEY}]`,
      'request-retry: 0',
      'max-retry-interval: 0',
      'routing:',
      '  strategy: fill-first',
      'codex-api-key:',
      // First in the file: the failover test makes this key fail before any event.
      '  - api-key: sk-up-codex-broken',
      `    base-url: ${responses.url}/v1`,
      '    models: [{name: gpt-5.5, alias: ws-failover}]',
      '  - api-key: sk-up-codex',
      `    base-url: ${responses.url}/v1`,
      '    models: [{name: gpt-5.5}, {name: gpt-5.5, alias: ws-failover}]',
      'claude-api-key:',
      '  - api-key: sk-up-claude',
      `    base-url: ${claude.url}`,
      `    models: [{name: claude-sonnet-4-5, alias: ${MODEL.claude}}]`,
      'gemini-api-key:',
      '  - api-key: up-gemini-key',
      `    base-url: ${gemini.url}`,
      `    models: [{name: gemini-2.5-flash, alias: ${MODEL.gemini}}]`,
      'openai-compatibility:',
      '  - name: compat',
      `    base-url: ${chat.url}/v1`,
      '    api-key: sk-up-compat',
      `    models: [{name: up-chat-model, alias: ${MODEL['openai-compatible']}}]`,
      ...extraConfig,
    ].join('\n'),
  );
  const records: RequestRecord[] = [];
  sy.engine.events.on('request', (r) => records.push(r));
  return {
    sy,
    wsUrl: `${sy.url.replace('http:', 'ws:')}/v1/responses`,
    calls,
    records,
    scripts: current,
    close: async () => {
      await sy.close();
      await Promise.all([responses.close(), chat.close(), claude.close(), gemini.close()]);
    },
  };
}
