import { createHmac } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { TestBrowser } from './browser';
import type http from 'node:http';
import { sendJson, startFakeOAuth, type FakeOAuth, type RouteHandler } from './server';
import { ANTIGRAVITY_CLIENT_SECRET } from '../../../src-main/engine/providers/antigravity/auth';
import { GEMINI_CLI_CLIENT_SECRET } from '../../../src-main/engine/providers/gemini-cli/auth';
import { IFLOW_CLIENT_SECRET } from '../../../src-main/engine/providers/iflow/auth';

/**
 * Fake sign-in servers and upstream APIs per provider family, wired with each provider's real
 * issuer, paths, client ids and redirect URIs. `overrides` is the host-overrides map to use.
 */
export interface ProviderFake {
  fake: FakeOAuth;
  overrides: Record<string, string>;
  /** Upstream API calls seen (headers lower-cased), for identity-header checks. */
  apiCalls: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }>;
  /** Secret of the confidential client the fake registers (the public one Switchyard ships). */
  clientSecret?: string;
}

const native = (id: string, redirect: string, extra: Record<string, unknown> = {}) => ({
  client_id: id,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: [redirect],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  ...extra,
});

const deviceClient = (id: string) => ({
  client_id: id,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: [],
  grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
  response_types: [],
});

/** An upstream route that answers 200 only to a live access token from this fake. */
function api(pf: () => ProviderFake, check: (req: http.IncomingMessage) => string | undefined, reply: unknown): RouteHandler {
  return async (req, res, body, url) => {
    const me = pf();
    me.apiCalls.push({ path: url.pathname, headers: req.headers, body });
    const token = await me.fake.verifyAccessToken(req.headers.authorization);
    if (!token) return sendJson(res, 401, { error: { message: 'invalid bearer token' } });
    const problem = check(req);
    if (problem) return sendJson(res, 400, { error: { message: problem } });
    sendJson(res, 200, reply);
  };
}

function need(req: http.IncomingMessage, name: string, pattern?: RegExp): string | undefined {
  const v = req.headers[name];
  if (typeof v !== 'string' || !v) return `missing header ${name}`;
  if (pattern && !pattern.test(v)) return `header ${name} has unexpected value ${v}`;
  return undefined;
}

export async function startClaudeFake(opts: { accountInTokenResponse?: boolean } = {}): Promise<ProviderFake> {
  let me!: ProviderFake;
  const fake = await startFakeOAuth({
    issuer: 'https://claude.ai',
    routes: { authorization: '/oauth/authorize', token: '/v1/oauth/token' },
    clients: [native('9d1c250a-e61b-44d9-88ed-5944d1962f5e', 'http://localhost:54545/callback')],
    scopes: ['user:profile', 'user:inference', 'user:sessions:claude_code', 'user:mcp_servers', 'user:file_upload'],
    users: { alice: { email: 'alice@example.com' }, bob: { email: 'bob@example.com' } },
    tokenExtras:
      opts.accountInTokenResponse === false
        ? undefined
        : { account: { uuid: '11111111-2222-4333-8444-555555555555', email_address: 'alice@example.com' }, organization: { uuid: 'org-1', name: 'Alice Org' } },
    extraRoutes: {
      'GET /api/oauth/profile': async (req, res) => {
        const t = await me.fake.verifyAccessToken(req.headers.authorization);
        if (!t) return sendJson(res, 401, { error: 'unauthorized' });
        sendJson(res, 200, { account: { uuid: 'acc-profile', email: `${t.accountId}@example.com` } });
      },
      'POST /v1/messages': api(
        () => me,
        (req) =>
          need(req, 'anthropic-beta', /oauth-2025-04-20/) ?? need(req, 'anthropic-version', /^2023-06-01$/) ?? need(req, 'x-app', /^cli$/) ?? need(req, 'user-agent', /^claude-cli\//),
        { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hello from claude' }], stop_reason: 'end_turn', usage: { input_tokens: 3, output_tokens: 4 } },
      ),
    },
  });
  me = { fake, overrides: { 'https://claude.ai': fake.url, 'https://platform.claude.com': fake.url, 'https://api.anthropic.com': fake.url }, apiCalls: [] };
  return me;
}

/** A minimal but complete Responses stream, as the Codex backend sends it. */
function codexStream(text: string): Array<Record<string, unknown> & { type: string }> {
  const base = { id: 'resp_1', object: 'response', created_at: 1, model: 'gpt-5' };
  const item = { id: 'msg_1', type: 'message', role: 'assistant' };
  const done = { ...item, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
  return [
    { type: 'response.created', sequence_number: 0, response: { ...base, status: 'in_progress', output: [] } },
    { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', sequence_number: 2, item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
    { type: 'response.output_text.delta', sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, delta: text },
    { type: 'response.output_text.done', sequence_number: 4, item_id: 'msg_1', output_index: 0, content_index: 0, text },
    { type: 'response.content_part.done', sequence_number: 5, item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [] } },
    { type: 'response.output_item.done', sequence_number: 6, output_index: 0, item: done },
    { type: 'response.completed', sequence_number: 7, response: { ...base, status: 'completed', output: [done], usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7 } } },
  ];
}

export interface CodexFake extends ProviderFake {
  /** The ChatGPT page the user types the device code into: approve (or deny) that code. */
  approveDevice(userCode: string, opts?: { deny?: boolean }): Promise<void>;
}

export async function startCodexFake(): Promise<CodexFake> {
  let me!: CodexFake;
  const devices = new Map<string, { userCode: string; grant?: Record<string, string>; denied?: boolean }>();
  const fake = await startFakeOAuth({
    issuer: 'https://auth.openai.com',
    routes: { authorization: '/oauth/authorize', token: '/oauth/token' },
    clients: [{ ...native('app_EMoamEEZ73f0CkXaXp7hrann', 'http://localhost:1455/auth/callback'), redirect_uris: ['http://localhost:1455/auth/callback', 'https://auth.openai.com/deviceauth/callback'] }],
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    users: {
      carol: { email: 'carol@example.com', claims: { 'https://api.openai.com/auth': { chatgpt_account_id: 'acct-carol', chatgpt_plan_type: 'plus' } } },
    },
    extraRoutes: {
      'POST /api/accounts/deviceauth/usercode': async (_req, res, body) => {
        const { client_id } = JSON.parse(body) as { client_id?: string };
        if (client_id !== 'app_EMoamEEZ73f0CkXaXp7hrann') return sendJson(res, 400, { error: 'unknown client' });
        const id = `dev-${devices.size + 1}`;
        const userCode = `CODE-${1000 + devices.size}`;
        devices.set(id, { userCode });
        sendJson(res, 200, { device_auth_id: id, usercode: userCode, interval: '1' });
      },
      'POST /api/accounts/deviceauth/token': async (_req, res, body) => {
        const q = JSON.parse(body) as { device_auth_id?: string; user_code?: string };
        const d = devices.get(String(q.device_auth_id));
        if (!d || d.userCode !== q.user_code) return sendJson(res, 404, { error: 'not found' });
        if (d.denied) return sendJson(res, 400, { error: { message: 'The user denied this device' } });
        if (!d.grant) return sendJson(res, 403, { error: 'authorization_pending' });
        sendJson(res, 200, d.grant);
      },
      'POST /backend-api/codex/responses': async (req, res, body, url) => {
        me.apiCalls.push({ path: url.pathname, headers: req.headers, body });
        if (!(await me.fake.verifyAccessToken(req.headers.authorization))) return sendJson(res, 401, { error: { message: 'invalid bearer token' } });
        const problem = need(req, 'chatgpt-account-id', /^acct-carol$/) ?? need(req, 'originator') ?? need(req, 'accept', /text\/event-stream/);
        if (problem) return sendJson(res, 400, { error: { message: problem } });
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const ev of codexStream('hello from codex')) res.write(`event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`);
        res.end();
      },
    },
  });
  me = {
    fake,
    overrides: { 'https://auth.openai.com': fake.url, 'https://chatgpt.com': fake.url },
    apiCalls: [],
    async approveDevice(userCode, opts = {}) {
      const d = [...devices.values()].find((x) => x.userCode === userCode);
      if (!d) throw new Error(`no device code ${userCode}`);
      if (opts.deny) {
        d.denied = true;
        return;
      }
      // What ChatGPT does server-side: an authorization code bound to a PKCE pair it then hands out.
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const authorize = new URL('/oauth/authorize', fake.url);
      authorize.search = new URLSearchParams({
        client_id: 'app_EMoamEEZ73f0CkXaXp7hrann',
        response_type: 'code',
        redirect_uri: 'https://auth.openai.com/deviceauth/callback',
        scope: 'openid email profile offline_access',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'device',
      }).toString();
      const landed = new URL(await new TestBrowser().until(authorize.toString(), 'https://auth.openai.com/deviceauth/callback'));
      d.grant = { authorization_code: landed.searchParams.get('code')!, code_challenge: challenge, code_verifier: verifier };
    },
  };
  return me;
}

/** Google sign-in + user info + Code Assist (loadCodeAssist / onboardUser) on one port. */
export async function startGoogleFake(opts: { existingProject?: string; onboardPolls?: number } = {}): Promise<ProviderFake & { onboardCalls: number }> {
  let me!: ProviderFake & { onboardCalls: number };
  // The installed-app clients are registered with the public secrets Switchyard ships, so the
  // sign-in tests run the flows exactly as a user would, with no environment set.
  const secret = GEMINI_CLI_CLIENT_SECRET;
  const google = (id: string, redirect: string, clientSecret: string) => ({
    client_id: id,
    client_secret: clientSecret,
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    redirect_uris: [redirect],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  });
  let pending = opts.onboardPolls ?? 1;
  const fake = await startFakeOAuth({
    issuer: 'https://accounts.google.com',
    routes: { authorization: '/o/oauth2/v2/auth', token: '/token' },
    clients: [
      google('681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com', 'http://localhost:8085/oauth2callback', GEMINI_CLI_CLIENT_SECRET),
      google('1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com', 'http://localhost:51121/oauth-callback', ANTIGRAVITY_CLIENT_SECRET),
    ],
    scopes: [
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
      'https://www.googleapis.com/auth/cclog',
      'https://www.googleapis.com/auth/experimentsandconfigs',
    ],
    users: { dave: { email: 'dave@example.com' } },
    extraRoutes: {
      'GET /oauth2/v1/userinfo': async (req, res) => {
        const t = await me.fake.verifyAccessToken(req.headers.authorization);
        if (!t) return sendJson(res, 401, { error: { code: 401, message: 'Invalid Credentials' } });
        sendJson(res, 200, { id: t.accountId, email: `${t.accountId}@example.com`, verified_email: true });
      },
      'POST /v1internal:loadCodeAssist': async (req, res) => {
        if (!(await me.fake.verifyAccessToken(req.headers.authorization))) return sendJson(res, 401, { error: { message: 'unauthorized' } });
        sendJson(res, 200, {
          allowedTiers: [{ id: 'standard-tier', isDefault: true }],
          ...(opts.existingProject ? { cloudaicompanionProject: opts.existingProject, currentTier: { id: 'standard-tier' } } : {}),
        });
      },
      'POST /v1internal:onboardUser': async (req, res) => {
        if (!(await me.fake.verifyAccessToken(req.headers.authorization))) return sendJson(res, 401, { error: { message: 'unauthorized' } });
        me.onboardCalls++;
        if (pending-- > 0) return sendJson(res, 200, { name: 'operations/1', done: false });
        sendJson(res, 200, { name: 'operations/1', done: true, response: { cloudaicompanionProject: { id: 'onboarded-project-42' } } });
      },
      'POST /v1internal:streamGenerateContent': api(() => me, (req) => need(req, 'user-agent', /GeminiCLI|antigravity/), { ok: true }),
      'POST /v1internal:generateContent': api(() => me, (req) => need(req, 'user-agent', /GeminiCLI|antigravity/), { response: { candidates: [] } }),
    },
  });
  me = {
    fake,
    clientSecret: secret,
    onboardCalls: 0,
    overrides: {
      'https://accounts.google.com': fake.url,
      'https://oauth2.googleapis.com': fake.url,
      'https://www.googleapis.com': fake.url,
      'https://cloudcode-pa.googleapis.com': fake.url,
      'https://daily-cloudcode-pa.googleapis.com': fake.url,
    },
    apiCalls: [],
  };
  return me;
}

export async function startIflowFake(): Promise<ProviderFake> {
  let me!: ProviderFake;
  const secret = IFLOW_CLIENT_SECRET;
  const apiKeys = new Map<string, string>();
  const fake = await startFakeOAuth({
    issuer: 'https://iflow.cn',
    routes: { authorization: '/oauth', token: '/oauth/token' },
    clients: [
      {
        client_id: '10009311001',
        client_secret: secret,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        redirect_uris: ['http://localhost:11451/oauth2callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    scopes: ['iflow'],
    defaultScope: 'iflow',
    users: { erin: { email: 'erin@example.com' } },
    extraRoutes: {
      'GET /api/oauth/getUserInfo': async (_req, res, _body, url) => {
        const t = await me.fake.verifyAccessToken(url.searchParams.get('accessToken') ?? undefined);
        if (!t) return sendJson(res, 200, { success: false, message: 'token invalid' });
        const key = `sk-iflow-${t.accountId}`;
        apiKeys.set(key, t.accountId);
        sendJson(res, 200, { success: true, data: { apiKey: key, email: `${t.accountId}@example.com` } });
      },
      'POST /v1/chat/completions': async (req, res, body, url) => {
        me.apiCalls.push({ path: url.pathname, headers: req.headers, body });
        const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!apiKeys.has(key)) return sendJson(res, 401, { error: { message: 'bad api key' } });
        const ua = String(req.headers['user-agent']);
        const session = String(req.headers['session-id']);
        const ts = String(req.headers['x-iflow-timestamp']);
        const expected = createHmac('sha256', key).update(`${ua}:${session}:${ts}`).digest('hex');
        if (req.headers['x-iflow-signature'] !== expected) return sendJson(res, 400, { error: { message: 'bad signature' } });
        sendJson(res, 200, { id: 'c1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi from iflow' }, finish_reason: 'stop' }] });
      },
    },
  });
  me = { fake, clientSecret: secret, overrides: { 'https://iflow.cn': fake.url, 'https://apis.iflow.cn': fake.url }, apiCalls: [] };
  return me;
}

export async function startDeviceFake(kind: 'qwen' | 'kimi' | 'xai', opts: { deviceCodeTtl?: number } = {}): Promise<ProviderFake> {
  let me!: ProviderFake;
  const spec = {
    qwen: {
      issuer: 'https://chat.qwen.ai',
      routes: { device_authorization: '/api/v1/oauth2/device/code', token: '/api/v1/oauth2/token', code_verification: '/device' },
      client: 'f0304373b74a44d2b584a3fb70ca9e56',
      scopes: ['openid', 'profile', 'email', 'model.completion'],
      extras: { resource_url: 'portal.qwen.ai' },
      api: 'POST /v1/chat/completions',
      origins: ['https://chat.qwen.ai', 'https://portal.qwen.ai'],
    },
    kimi: {
      issuer: 'https://auth.kimi.com',
      routes: { device_authorization: '/api/oauth/device_authorization', token: '/api/oauth/token', code_verification: '/device' },
      client: '17e5f671-d194-4dfb-9706-5516cb48c098',
      scopes: ['kimi-code'],
      extras: undefined,
      api: 'POST /coding/v1/chat/completions',
      origins: ['https://auth.kimi.com', 'https://api.kimi.com'],
    },
    xai: {
      issuer: 'https://auth.x.ai',
      routes: { device_authorization: '/oauth2/device/code', token: '/oauth2/token', code_verification: '/device' },
      client: 'b1a00492-073a-47ea-816f-4c329264a828',
      scopes: ['openid', 'profile', 'email', 'offline_access', 'grok-cli:access', 'api:access'],
      extras: undefined,
      api: 'POST /v1/responses',
      origins: ['https://auth.x.ai', 'https://api.x.ai'],
    },
  }[kind];
  const fake = await startFakeOAuth({
    issuer: spec.issuer,
    routes: spec.routes,
    clients: [deviceClient(spec.client)],
    scopes: spec.scopes,
    deviceFlow: true,
    deviceCodeTtl: opts.deviceCodeTtl,
    // Kimi's device request names no scope; oidc-provider grants nothing without one.
    defaultScope: kind === 'kimi' ? 'kimi-code' : undefined,
    users: { frank: { email: 'frank@example.com' } },
    tokenExtras: spec.extras,
    extraRoutes: {
      [spec.api]: api(() => me, () => undefined, { id: 'r1', object: 'chat.completion', choices: [] }),
    },
  });
  me = { fake, overrides: Object.fromEntries(spec.origins.map((o) => [o, fake.url])), apiCalls: [] };
  return me;
}
