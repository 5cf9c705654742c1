import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, type SwitchyardConfig } from '../../../../src-shared/config/schema';
import { mediaRoutes } from '../../../../src-main/engine/media';
import { runCountTokens } from '../../../../src-main/engine/pipeline/count-tokens';
import { runGenerate, type PipelineDeps } from '../../../../src-main/engine/pipeline/generate';
import { limitsFromConfig } from '../../../../src-main/engine/pipeline/limits';
import { ClientSink } from '../../../../src-main/engine/pipeline/sink';
import type { CredentialSource, RequestRecord } from '../../../../src-main/engine/pipeline/types';
import { protocols } from '../../../../src-main/engine/protocols';
import { providerFor } from '../../../../src-main/engine/providers';
import type { Account, ProviderDescriptor, ProviderId } from '../../../../src-main/engine/providers/provider';
import { Routing } from '../../../../src-main/engine/routing';
import { DispatcherPool } from '../../../../src-main/engine/upstream/dispatchers';
import { claudeEvents, claudeMessage, sendJson, startFake, writeFramed, type FakeUpstream, type Scenario } from '../../../fakes/upstreams/claude-upstream';
import { startGeminiUpstream } from '../../../fakes/upstreams/gemini-upstream';
import { startMediaUpstream, type MediaUpstream } from '../../../fakes/upstreams/media-upstream';

/**
 * The one failover runner, for chat, token counts, embeddings and images alike (issue 15): every
 * failure is reported to routing the same way (cooldowns, a refreshed token after a 401), a media
 * request moves the rotation once, session affinity holds for media, and
 * `streaming.bootstrap-retries` retries a stream that broke before its first byte on the same account.
 */

/** The credential an account presents; a 401 makes the token cache mint the next version. */
class TokenCache implements CredentialSource {
  readonly version = new Map<string, number>();
  refreshes = 0;
  async get(a: Account): Promise<string> {
    return `${a.id}.v${this.version.get(a.id) ?? 1}`;
  }
  async refreshAfterUnauthorized(a: Account): Promise<boolean> {
    this.refreshes++;
    this.version.set(a.id, (this.version.get(a.id) ?? 1) + 1);
    return true;
  }
}

function tokenOf(headers: http.IncomingHttpHeaders): string {
  const bearer = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''))?.[1];
  return bearer ?? String(headers['x-api-key'] ?? headers['x-goog-api-key'] ?? '');
}

/** What the Claude-format upstream does to the next call made with a token. */
type Fault = 'reset' | '401' | '429';
const faults = new Map<string, Fault[]>();
const revoked = new Set<string>();
const claudeCalls: Array<{ path: string; token: string }> = [];
let claude: FakeUpstream;

/** Gemini generate calls (gemini fake) and embedding calls (media fake) behind one host, as Google serves them. */
let gemini: FakeUpstream;
let media: MediaUpstream;
let googleFront: http.Server;
let googleUrl = '';

let server: http.Server;
let url = '';
let accounts: Account[] = [];
let config: SwitchyardConfig;
let routing: Routing;
let tokens: TokenCache;
const records: RequestRecord[] = [];
const dispatchers = new DispatcherPool({ connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000 });

/** A subscription (OAuth) account on an upstream with a counting endpoint. */
const oauthClaude: ProviderDescriptor = { ...providerFor('claude-api'), id: 'claude', kind: 'oauth', countTokens: true };

function account(id: string, provider: ProviderId, baseUrl: string, models: string[], kind: Account['kind'] = 'api-key'): Account {
  return { id, provider, kind, label: id, order: 0, priority: 0, weight: 1, disabled: false, baseUrl, models: models.map((name) => ({ name })), meta: {} };
}

function setConfig(cfg: Record<string, unknown>): void {
  config = configSchema.parse({ 'request-retry': 0, 'max-retry-interval': 0, ...cfg });
  routing = new Routing({ accounts: () => accounts, config: () => config, defaultModels: () => [] });
}

const deps = (): PipelineDeps => ({
  routing,
  credentials: tokens,
  dispatchers,
  hostOverrides: () => ({}),
  protocols,
  providers: (id) => (id === 'claude' ? oauthClaude : providerFor(id)),
  observer: { onRequestDone: (r) => records.push(r) },
  limits: () => limitsFromConfig(config),
});

beforeAll(async () => {
  claude = await startFake(async (rec, res) => {
    const token = tokenOf(rec.headers);
    claudeCalls.push({ path: rec.path, token });
    const fault = faults.get(token)?.shift();
    if (fault === 'reset') return void res.socket?.destroy();
    if (fault === '429') return sendJson(res, 429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' } });
    if (fault === '401' || revoked.has(token)) return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'OAuth token has expired' } });
    if (rec.path === '/v1/messages/count_tokens') return sendJson(res, 200, { input_tokens: 42 });
    const body = rec.body as { model: string; stream?: boolean };
    const scenario: Scenario = { steps: [{ type: 'text', text: `hi from ${token.split('.')[0]}` }] };
    if (body.stream) return writeFramed(res, claudeEvents(scenario, body.model), scenario);
    sendJson(res, 200, claudeMessage(scenario, body.model));
  });
  gemini = await startGeminiUpstream();
  media = await startMediaUpstream();
  googleFront = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', /embed|\/models\/img:/i.test(req.url ?? '') ? media.url : gemini.url);
    const up = http.request(target, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => googleFront.listen(0, '127.0.0.1', r));
  googleUrl = `http://127.0.0.1:${(googleFront.address() as AddressInfo).port}`;

  const app = express();
  const generate = (protocol: 'claude-messages' | 'openai-chat') => async (req: express.Request, res: express.Response) => {
    const body = req.body as Record<string, unknown>;
    await runGenerate(
      {
        requestId: String(records.length),
        inbound: protocols[protocol],
        sink: new ClientSink(res, protocols[protocol]),
        rawBody: Buffer.from(JSON.stringify(body)),
        body,
        model: String(body.model),
        bodyModel: String(body.model),
        stream: body.stream === true,
        operation: 'generate',
        headers: req.headers,
        allowPassthrough: true,
      },
      deps(),
    );
  };
  app.post('/v1/messages/count_tokens', express.json(), (req, res, next) => {
    const p = protocols['claude-messages'];
    runCountTokens({ inbound: p, codec: p.countTokens!, body: req.body, model: String((req.body as { model: unknown }).model), sink: new ClientSink(res, p) }, deps()).catch(next);
  });
  app.post('/v1/messages', express.json(), (req, res, next) => void generate('claude-messages')(req, res).catch(next));
  app.post('/v1/chat/completions', express.json(), (req, res, next) => void generate('openai-chat')(req, res).catch(next));
  app.use(mediaRoutes({ pipeline: deps, uploadLimitBytes: () => 5 * 1024 * 1024 }));
  server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  googleFront.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => googleFront.close(r));
  await Promise.all([claude.close(), gemini.close(), media.close(), dispatchers.close()]);
});

beforeEach(() => {
  tokens = new TokenCache();
  faults.clear();
  revoked.clear();
  claudeCalls.length = 0;
  media.requests.length = 0;
  records.length = 0;
  setConfig({});
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, text: await r.text() };
}

const countBody = { model: 'c', messages: [{ role: 'user', content: 'count these words please' }] };
const accountsOf = (calls: Array<{ token: string }>) => calls.map((c) => c.token.split('.')[0]);

describe('count-tokens through the failover runner', () => {
  it('a 429 cools the account: the next count goes to another account at once', async () => {
    accounts = ['a', 'b'].map((id) => account(id, 'claude-api', claude.url, ['c']));
    setConfig({ routing: { strategy: 'fill-first' } });
    faults.set('a.v1', ['429']);
    const first = await post('/v1/messages/count_tokens', countBody);
    expect(first).toMatchObject({ status: 200 });
    expect(JSON.parse(first.text)).toEqual({ input_tokens: 42 });
    expect(routing.cooldowns().map((e) => e.accountId)).toEqual(['a']);

    const second = await post('/v1/messages/count_tokens', countBody);
    expect(JSON.parse(second.text)).toEqual({ input_tokens: 42 });
    // fill-first would pick a again, were it not cooling.
    expect(accountsOf(claudeCalls)).toEqual(['a', 'b', 'b']);
  });

  it('a 401 on an OAuth account refreshes its token once and retries the same account', async () => {
    accounts = [account('o', 'claude', claude.url, ['c'], 'oauth')];
    revoked.add('o.v1');
    const res = await post('/v1/messages/count_tokens', countBody);
    expect(JSON.parse(res.text)).toEqual({ input_tokens: 42 }); // the upstream's count, not an estimate
    expect(tokens.refreshes).toBe(1);
    expect(claudeCalls.map((c) => c.token)).toEqual(['o.v1', 'o.v2']);
  });

  it('when every counting account failed, the local estimate answers', async () => {
    accounts = [account('a', 'claude-api', claude.url, ['c'])];
    faults.set('a.v1', ['reset']);
    const res = await post('/v1/messages/count_tokens', countBody);
    expect(res.status).toBe(200);
    const n = (JSON.parse(res.text) as { input_tokens: number }).input_tokens;
    expect(n).toBeGreaterThan(0);
    expect(n).not.toBe(42);
    expect(routing.cooldowns().map((e) => e.accountId)).toEqual(['a']);
  });
});

describe('embeddings and images through the failover runner', () => {
  it('an embeddings 401 on an OAuth account refreshes the token once and retries the same account', async () => {
    accounts = [account('g', 'gemini-api', googleUrl, ['e'], 'oauth'), account('h', 'gemini-api', googleUrl, ['e'], 'oauth')];
    media.failNext({ status: 401, times: 1, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } });
    const res = await post('/v1/embeddings', { model: 'e', input: 'hello' });
    expect(res.status).toBe(200);
    expect(tokens.refreshes).toBe(1);
    expect(media.requests.map((r) => tokenOf(r.headers))).toEqual(['g.v1', 'g.v2']);
    expect(records[0]).toMatchObject({ status: 200, accountId: 'g', attempts: 1, operation: 'embed' });
  });

  it('an image generation 401 on an OAuth account refreshes the token once and retries the same account', async () => {
    accounts = [account('g', 'gemini-api', googleUrl, ['img'], 'oauth')];
    media.failNext({ status: 401, times: 1, body: { error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } } });
    const res = await post('/v1/images/generations', { model: 'img', prompt: 'a red square' });
    expect(res.status).toBe(200);
    expect(tokens.refreshes).toBe(1);
    expect(media.requests.map((r) => tokenOf(r.headers))).toEqual(['g.v1', 'g.v2']);
    expect(records[0]).toMatchObject({ status: 200, accountId: 'g', operation: 'image' });
  });

  it('a failed media request moves the round-robin rotation once: the next chat goes where the rotation says', async () => {
    accounts = ['a', 'b', 'c'].map((id) => account(id, 'gemini-api', googleUrl, ['e']));
    setConfig({ routing: { strategy: 'round-robin' } });
    media.failNext({ status: 503, times: 1 });
    expect((await post('/v1/embeddings', { model: 'e', input: 'hello' })).status).toBe(200);
    expect(records[0], JSON.stringify(records[0].tried)).toMatchObject({ accountId: 'b', attempts: 2 });
    // The rotation served from a (which failed over to b): the next request starts after a.
    const chat = await post('/v1/chat/completions', { model: 'e', messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.status).toBe(200);
    expect(records[1]).toMatchObject({ operation: 'generate', accountId: 'b' });
  });

  it('session affinity keeps a conversation on its account for embeddings too', async () => {
    accounts = ['a', 'b', 'c'].map((id) => account(id, 'gemini-api', googleUrl, ['e']));
    setConfig({ routing: { strategy: 'round-robin', 'session-affinity': true } });
    const session = { 'session-id': 'conv-1' };
    await post('/v1/embeddings', { model: 'e', input: 'one' }, session);
    await post('/v1/embeddings', { model: 'e', input: 'two' });
    await post('/v1/embeddings', { model: 'e', input: 'three' }, session);
    expect(records.map((r) => r.accountId)).toEqual(['a', 'b', 'a']);
  });
});

describe('streaming.bootstrap-retries', () => {
  const streamBody = { model: 'c', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] };

  it('with 1: a stream reset before its first byte is retried on the same account', async () => {
    accounts = ['a', 'b'].map((id) => account(id, 'claude-api', claude.url, ['c']));
    setConfig({ routing: { strategy: 'fill-first' }, streaming: { 'bootstrap-retries': 1 } });
    faults.set('a.v1', ['reset']);
    const res = await post('/v1/messages', streamBody);
    expect(res.status).toBe(200);
    expect(res.text).toContain('hi from a');
    expect(accountsOf(claudeCalls)).toEqual(['a', 'a']);
    expect(routing.cooldowns()).toEqual([]);
    expect(records[0]).toMatchObject({ status: 200, accountId: 'a', attempts: 2 });
  });

  it('with 0 (default): the reset moves the request to the next account', async () => {
    accounts = ['a', 'b'].map((id) => account(id, 'claude-api', claude.url, ['c']));
    setConfig({ routing: { strategy: 'fill-first' } });
    faults.set('a.v1', ['reset']);
    const res = await post('/v1/messages', streamBody);
    expect(res.text).toContain('hi from b');
    expect(accountsOf(claudeCalls)).toEqual(['a', 'b']);
  });

  it('never applies to a request that does not stream', async () => {
    accounts = ['a', 'b'].map((id) => account(id, 'claude-api', claude.url, ['c']));
    setConfig({ routing: { strategy: 'fill-first' }, streaming: { 'bootstrap-retries': 1 } });
    faults.set('a.v1', ['reset']);
    const res = await post('/v1/messages', { ...streamBody, stream: false });
    expect(res.text).toContain('hi from b');
    expect(accountsOf(claudeCalls)).toEqual(['a', 'b']);
  });
});
