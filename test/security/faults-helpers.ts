import type { RequestRecord } from '../../src-main/engine/pipeline/types';
import { startEngine, type RunningEngine } from '../integration/harness';
import { startFaultUpstream, type FaultUpstream } from './faults-upstream';

/** Every route kind the fault suite drives, with what a served answer looks like. */
export interface RouteKind {
  name: string;
  path: string;
  body: Record<string, unknown>;
  stream: boolean;
  /** Text proving which key served it, or undefined when the answer cannot show it. */
  served(text: string): string | undefined;
}

const chatMessages = [{ role: 'user', content: 'hi' }];

export const ROUTES: RouteKind[] = [
  { name: 'passthrough stream', path: '/v1/chat/completions', stream: true, body: { model: 'm', stream: true, messages: chatMessages }, served: (t) => /hi from (\w+)/.exec(t)?.[1] },
  { name: 'passthrough non-stream', path: '/v1/chat/completions', stream: false, body: { model: 'm', messages: chatMessages }, served: (t) => /hi from (\w+)/.exec(t)?.[1] },
  { name: 'translated stream', path: '/v1/messages', stream: true, body: { model: 'm', max_tokens: 50, stream: true, messages: chatMessages }, served: (t) => /hi from (\w+)/.exec(t)?.[1] },
  { name: 'translated non-stream', path: '/v1/messages', stream: false, body: { model: 'm', max_tokens: 50, messages: chatMessages }, served: (t) => /hi from (\w+)/.exec(t)?.[1] },
  { name: 'embeddings', path: '/v1/embeddings', stream: false, body: { model: 'e', input: 'hello' }, served: (t) => (t.includes('"embedding"') ? 'some key' : undefined) },
];

export const COUNT_TOKENS: RouteKind = {
  name: 'count-tokens',
  path: '/v1/messages/count_tokens',
  stream: false,
  body: { model: 'c', messages: chatMessages },
  served: (t) => (/"input_tokens":42\b/.test(t) ? 'upstream' : undefined),
};

export function faultConfig(upstream: string, keys: string[], extra = ''): string {
  return `host: 127.0.0.1
port: 0
usage-sqlite:
  enable: false
request-retry: 0
max-retry-interval: 0
request-timeout-seconds: 0.6
stream-idle-timeout-seconds: 0.6
limits:
  upstream-body-mb: 1
  sse-line-kb: 256
routing:
  strategy: fill-first
${extra}
openai-compatibility:
  - name: fake
    base-url: ${upstream}/v1
    api-key-entries:
${keys.map((k) => `      - api-key: ${k}`).join('\n')}
    models:
      - name: m
      - name: e
claude-api-key:
${keys.map((k) => `  - api-key: ${k}\n    base-url: ${upstream}\n    models:\n      - name: c`).join('\n')}
`;
}

export interface FaultWorld {
  up: FaultUpstream;
  engine: RunningEngine;
  records: RequestRecord[];
  close(): Promise<void>;
}

export async function faultWorld(keys: string[], extra = ''): Promise<FaultWorld> {
  const up = await startFaultUpstream();
  const engine = await startEngine(faultConfig(up.url, keys, extra));
  const records: RequestRecord[] = [];
  engine.engine.events.on('request', (r) => records.push(r));
  return {
    up,
    engine,
    records,
    close: async () => {
      await engine.close();
      await up.close();
    },
  };
}

export async function call(base: string, route: RouteKind): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${base}${route.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(route.body),
  });
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    text = `<<body cut: ${(err as Error).message}>>`;
  }
  return { status: res.status, text, headers: res.headers };
}

/** The record of the request just made (records are emitted when a request is done). */
export async function lastRecord(records: RequestRecord[], before: number): Promise<RequestRecord> {
  for (let i = 0; i < 200 && records.length <= before; i++) await new Promise((r) => setImmediate(r));
  if (records.length <= before) throw new Error('no request record was emitted');
  return records[records.length - 1];
}
