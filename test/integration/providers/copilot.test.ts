import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../src-main/engine/accounts/sign-in';
import { parseCopilotUser } from '../../../src-main/engine/providers/copilot/quota';
import { fetchCopilotModels } from '../../../src-main/engine/providers/copilot/models';
import { copilotProvider } from '../../../src-main/engine/providers/copilot';
import { createServer } from 'node:http';
import { startGitHubFake, type GitHubFake } from '../../fakes/oauth/github-copilot';
import { TestBrowser } from '../../fakes/oauth/browser';
import { waitForLine } from '../../fakes/oauth/lines';
import { startOpenAIChatUpstream, type FakeUpstream, type RecordedRequest, type Scenario } from '../../fakes/upstreams/openai-chat-upstream';
import { startEngine, type RunningEngine } from '../harness';
import { engineConfig, tokenCacheFor, workspace, type Workspace } from '../accounts/helpers';

/**
 * GitHub Copilot as a provider, end to end on loopback: GitHub's device flow (with its 200
 * "pending" answers), the Copilot token exchange (`Authorization: token gho_…`) and its renewal
 * before `expires_at`, then chat and tool calls through the Copilot API (OpenAI Chat) reached by
 * the official OpenAI SDK and by the Claude Messages format, translated.
 */

const DEVICE_LINE = /^Open (\S+) and enter code (\S+)$/;
/** The seat's `GET /models` (one id no catalog knows, so the engine can only have it from the list). */
const SEAT_MODELS = ['gpt-4.1', 'claude-sonnet-4.5', 'seat-only-model-1'];
const COPILOT_HEADERS = ['editor-version', 'editor-plugin-version', 'copilot-integration-id', 'user-agent', 'openai-intent'];

let gh: GitHubFake;
let api: FakeUpstream;
let ws: Workspace;
let overrides: Record<string, string>;
let accountId = '';
const scripts: Array<(r: RecordedRequest) => Scenario | undefined> = [];

beforeAll(async () => {
  gh = await startGitHubFake();
  api = await startOpenAIChatUpstream({
    script: (r) => scripts.map((s) => s(r)).find(Boolean) ?? { text: ['hello from copilot'], usage: { input: 3, output: 3 } },
    models: SEAT_MODELS,
  });
  overrides = { 'https://github.com': gh.url, 'https://api.github.com': gh.url, 'https://api.githubcopilot.com': api.url };
  ws = await workspace();
});
afterAll(async () => {
  await ws?.cleanup();
  await gh?.close();
  await api?.close();
});

describe('sign-in and tokens', () => {
  it('prints the device code, rides out GitHub\'s 200 "pending"/"slow_down" answers and stores the exchanged token', async () => {
    gh.control.slowDownOnce = true;
    const prompts: unknown[] = [];
    const run = signIn('copilot', { registry: ws.registry, hostOverrides: overrides, say: ws.say, noBrowser: true, pollIntervalMs: 20, onPrompt: (p) => prompts.push(p) });
    const [, uri, code] = DEVICE_LINE.exec(await waitForLine(ws.lines, DEVICE_LINE))!;
    expect(uri).toBe(`${gh.url}/login/device`);
    expect(prompts).toEqual([expect.objectContaining({ kind: 'device', verificationUri: uri, userCode: code })]);
    expect((await new TestBrowser().approveDevice(uri, code)).status).toBe(200);
    const { account, label } = await run;
    accountId = account.id;
    expect(label).toBe('octocat');
    const rec = JSON.parse(await readFile(path.join(ws.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
    expect(rec).toMatchObject({ type: 'copilot', access_token: gh.issued[0], refresh_token: expect.stringMatching(/^gho_/) });
    expect(account.meta.copilot_api).toBe('https://api.githubcopilot.com');
    expect(gh.exchangeAuth[0]).toBe(`token ${rec.refresh_token as string}`);
    // Renewal is due at refresh_in (+1 min), well before the token's expires_at.
    const due = Date.parse(rec.expired as string) - Date.now();
    expect(due).toBeGreaterThan(1500_000);
    expect(due).toBeLessThanOrEqual(1560_000);
  });

  it('renews the Copilot token through a new exchange once it is due, and saves it', async () => {
    let offset = 0;
    const cache = tokenCacheFor(ws, overrides, {}, () => Date.now() + offset);
    expect(await cache.getCredential(accountId)).toBe(gh.issued[0]);
    offset = 1600_000; // past the renewal time
    const next = await cache.getCredential(accountId);
    expect(next).toBe(gh.issued[1]);
    expect(next).not.toBe(gh.issued[0]);
    expect(gh.exchangeAuth[1]).toMatch(/^token gho_/);
    const rec = JSON.parse(await readFile(path.join(ws.authDir, `${accountId}.json`), 'utf8')) as Record<string, unknown>;
    expect(rec.access_token).toBe(gh.issued[1]);
  });

  it('a revoked GitHub token ends the renewal: the account needs a new sign-in, nothing else is lost', async () => {
    const other = await workspace();
    try {
      const run = signIn('copilot', { registry: other.registry, hostOverrides: overrides, say: other.say, noBrowser: true, pollIntervalMs: 20 });
      const [, uri, code] = DEVICE_LINE.exec(await waitForLine(other.lines, DEVICE_LINE))!;
      await new TestBrowser().approveDevice(uri, code);
      const { account } = await run;
      gh.control.revoked = true;
      const cache = tokenCacheFor(other, overrides, {}, () => Date.now() + 1600_000);
      await expect(cache.getCredential(account.id)).rejects.toThrow(/401/);
      const rec = JSON.parse(await readFile(path.join(other.authDir, `${account.id}.json`), 'utf8')) as Record<string, unknown>;
      expect(rec.refresh_token).toMatch(/^gho_/);
      expect(other.registry.status(account.id)).toBe('needs-login');
    } finally {
      gh.control.revoked = false;
      await other.cleanup();
    }
  });

  it('reads the premium-request allowance from copilot_internal/user', async () => {
    const ghToken = /^token (.+)$/.exec(gh.exchangeAuth[0])![1];
    const body = await (await fetch(`${gh.url}/copilot_internal/user`, { headers: { authorization: `token ${ghToken}` } })).json();
    const { windows, plan } = parseCopilotUser(body, Date.UTC(2025, 11, 4));
    expect(plan).toBe('individual');
    expect(windows).toEqual([expect.objectContaining({ id: 'premium', kind: 'monthly', usedPercent: 25, resetAt: Date.UTC(2026, 0, 1) })]);
  });
});

describe('request shaping', () => {
  const acc = (meta: Record<string, unknown>) => ({ id: 'c', provider: 'copilot' as const, kind: 'oauth' as const, label: 'c', order: 0, priority: 0, weight: 1, disabled: false, meta });
  const build = (meta: Record<string, unknown>) => copilotProvider.buildRequest({ account: acc(meta), credential: 'tid=9', upstreamModel: 'gpt-4.1', stream: true, operation: 'generate', body: { model: 'gpt-4.1' } });

  it('sends a business seat to the API host its token exchange named, and the token to no other host', () => {
    expect(build({ copilot_api: 'https://api.business.githubcopilot.com' }).url).toBe('https://api.business.githubcopilot.com/chat/completions');
    expect(build({ copilot_api: 'https://api.evil.example' }).url).toBe('https://api.githubcopilot.com/chat/completions');
    expect(build({}).headers.accept).toBe('text/event-stream');
  });
});

describe('model list', () => {
  it('keeps the seat\'s enabled chat models from GET api.githubcopilot.com/models, asked with the Copilot identity', async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          data: [
            { id: 'gpt-4.1', name: 'GPT-4.1', object: 'model', vendor: 'Azure OpenAI', model_picker_enabled: true, capabilities: { type: 'chat', family: 'gpt-4.1', limits: { max_context_window_tokens: 128000, max_output_tokens: 16384 }, supports: { tool_calls: true, vision: true, streaming: true } }, policy: { state: 'enabled' } },
            { id: 'claude-opus-4.1', name: 'Claude Opus 4.1', capabilities: { type: 'chat', supports: { tool_calls: true } }, policy: { state: 'disabled' } },
            { id: 'text-embedding-3-small', name: 'Embedding V3 small', capabilities: { type: 'embeddings' } },
          ],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const models = await fetchCopilotModels('tid=1;exp=2', { 'https://api.githubcopilot.com': url });
      expect(models).toEqual([{ id: 'gpt-4.1', name: 'GPT-4.1', contextWindow: 128000, maxOutputTokens: 16384, tools: true, vision: true }]);
      expect(seen[0].authorization).toBe('Bearer tid=1;exp=2');
      expect(seen[0]['copilot-integration-id']).toBe('vscode-chat');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('requests through the engine', () => {
  let sy: RunningEngine;
  beforeAll(async () => {
    sy = await startEngine(engineConfig(ws.authDir, overrides));
  });
  afterAll(async () => {
    await sy?.close();
  });

  const copilotCalls = () => api.requests.filter((r) => r.path === '/chat/completions');

  it('OpenAI SDK: chat reaches api.githubcopilot.com with the Copilot token and the editor identity', async () => {
    const client = new OpenAI({ baseURL: `${sy.url}/v1`, apiKey: 'unused' });
    const res = await client.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
    expect(res.choices[0].message.content).toBe('hello from copilot');
    const call = copilotCalls().at(-1)!;
    expect(call.headers.authorization).toMatch(/^Bearer tid=/);
    for (const h of COPILOT_HEADERS) expect(call.headers[h], h).toBeTruthy();
    expect(call.headers['copilot-integration-id']).toBe('vscode-chat');
    expect((call.body as { model: string }).model).toBe('gpt-4.1');
  });

  it('OpenAI SDK: a tool round trip', async () => {
    scripts.push((r) => (JSON.stringify(r.body).includes('tool-trip-1') && !JSON.stringify(r.body).includes('"role":"tool"') ? { toolCalls: [{ id: 'call_c1', name: 'lookup', arguments: '{"q":"switchyard"}' }], finishReason: 'tool_calls', usage: { input: 9, output: 4 } } : undefined));
    const client = new OpenAI({ baseURL: `${sy.url}/v1`, apiKey: 'unused' });
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const first = await client.chat.completions.create({ model: 'gpt-4.1', tools, messages: [{ role: 'user', content: 'find tool-trip-1' }] });
    const call = first.choices[0].message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
    expect(call.function).toEqual({ name: 'lookup', arguments: '{"q":"switchyard"}' });
    const second = await client.chat.completions.create({
      model: 'gpt-4.1',
      tools,
      messages: [{ role: 'user', content: 'find tool-trip-1' }, first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'a proxy' }],
    });
    expect(second.choices[0].message.content).toBe('hello from copilot');
    const sent = copilotCalls().at(-1)!.body as { messages: Array<{ role: string; tool_call_id?: string }> };
    expect(sent.messages.find((m) => m.role === 'tool')!.tool_call_id).toBe(call.id);
  });

  it('Claude Messages format: text and a tool round trip, translated to Copilot\'s OpenAI Chat', async () => {
    scripts.push((r) => (JSON.stringify(r.body).includes('tool-trip-2') && !JSON.stringify(r.body).includes('"role":"tool"') ? { toolCalls: [{ id: 'call_c2', name: 'lookup', arguments: '{"q":"claude"}' }], finishReason: 'tool_calls', usage: { input: 9, output: 4 } } : undefined));
    const client = new Anthropic({ baseURL: sy.url, apiKey: 'unused' });
    const tools = [{ name: 'lookup', description: 'search', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } } }];
    const first = await client.messages.create({ model: 'claude-sonnet-4.5', max_tokens: 256, tools, messages: [{ role: 'user', content: 'find tool-trip-2' }] });
    expect(first.stop_reason).toBe('tool_use');
    const use = first.content.find((b) => b.type === 'tool_use')!;
    expect(use).toMatchObject({ name: 'lookup', input: { q: 'claude' } });
    const upstreamFirst = copilotCalls().at(-1)!;
    expect((upstreamFirst.body as { tools: Array<{ type: string }> }).tools[0].type).toBe('function');
    expect(upstreamFirst.headers.authorization).toMatch(/^Bearer tid=/);
    const second = await client.messages.create({
      model: 'claude-sonnet-4.5',
      max_tokens: 256,
      tools,
      messages: [
        { role: 'user', content: 'find tool-trip-2' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.type === 'tool_use' ? use.id : '', content: 'found' }] },
      ],
    });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'hello from copilot' })]);
    const sent = copilotCalls().at(-1)!.body as { messages: Array<{ role: string; tool_call_id?: string; tool_calls?: Array<{ id: string }> }> };
    const asked = sent.messages.find((m) => m.role === 'assistant')!.tool_calls![0].id;
    expect(sent.messages.find((m) => m.role === 'tool')!.tool_call_id).toBe(asked);
  });

  it('quota: the premium-request allowance is polled with the GitHub token (the auth flow\'s account-API credential) and shows in the meters', async () => {
    // The allowance resets on the first of next month, seen from the engine's (real) clock.
    const now = new Date();
    const reset = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    gh.control.quotaResetDate = new Date(reset).toISOString().slice(0, 10);
    const out = await sy.engine.quota.scheduler.pollNow(accountId);
    expect(out).toMatchObject({ ok: true });
    // GitHub's user endpoint refuses the Copilot token (401): a window here means the GitHub token went.
    const seen = gh.headersSeen.filter((h) => h.path === '/copilot_internal/user').at(-1)!;
    expect(seen.headers.authorization).toMatch(/^token gho_/);
    expect(sy.engine.quota.book.get(accountId)?.windows).toEqual([
      expect.objectContaining({ id: 'premium', label: 'Premium requests', kind: 'monthly', usedPercent: 25, resetAt: reset }),
    ]);
  });

  it('model list: the seat\'s models come from the Copilot API\'s GET /models through the model-list hook', async () => {
    await sy.engine.models.refresh(accountId);
    expect(sy.engine.models.listFor(accountId)?.models.map((m) => m.id)).toEqual(SEAT_MODELS);
    const asked = api.listRequests.filter((r) => r.path === '/models').at(-1)!;
    expect(asked.headers.authorization).toMatch(/^Bearer tid=/);
    expect(asked.headers['copilot-integration-id']).toBe('vscode-chat');
    const listed = await new OpenAI({ baseURL: `${sy.url}/v1`, apiKey: 'unused' }).models.list();
    expect(listed.data).toContainEqual(expect.objectContaining({ id: 'seat-only-model-1', owned_by: 'github-copilot' }));
  });
});
