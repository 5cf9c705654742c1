import { z } from 'zod';
import type { Account, ProviderId } from '../providers/provider';
import { joinUrl, withCustomHeaders } from '../providers/shared-request';
import { CLAUDE_OAUTH_BETAS } from '../providers/claude';
import { ANTIGRAVITY_DAILY } from '../providers/antigravity/auth';
import { ANTIGRAVITY_VERSION } from '../providers/antigravity';
import { kimiIdentityHeaders } from '../providers/kimi/identity';
import { xaiIdentityHeaders, xaiUserId } from '../providers/xai/identity';
import { goArch, osName, trustedBase } from '../accounts/upstream-identity';
import type { ModelInfo } from './types';

/**
 * How to read each provider's own model list (the real endpoints and answer shapes):
 * Anthropic `GET /v1/models` (paged by `after_id`), OpenAI-style `GET {base}/models`, Gemini
 * `GET /v1beta/models` (paged by `pageToken`), the ChatGPT Codex backend's `GET …/codex/models`
 * and Antigravity's `POST v1internal:fetchAvailableModels`. Code Assist (gemini-cli) and Vertex
 * express keys have no list: those accounts keep the built-in catalog plus family routing.
 */
export interface ModelListRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface ModelListSource {
  request(account: Account, credential: string, page?: string): ModelListRequest;
  /** Models on this page and the cursor of the next one. */
  parse(body: unknown): { models: ModelInfo[]; next?: string };
}

/** Codex CLI version the backend's model list is asked for (it filters by client version). */
export const CODEX_CLIENT_VERSION = '0.169.0';
const CODEX_BASE = 'https://chatgpt.com/backend-api/codex';

const pos = z.number().int().positive().nullish();
const supported = z.looseObject({ supported: z.boolean().nullish() }).nullish();

const anthropicList = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string().min(1),
      display_name: z.string().nullish(),
      max_input_tokens: pos,
      max_tokens: pos,
      capabilities: z.looseObject({ image_input: supported, thinking: supported }).nullish(),
    }),
  ),
  has_more: z.boolean().nullish(),
  last_id: z.string().nullish(),
});
const openaiList = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().min(1), context_length: pos, context_window: pos, max_output_tokens: pos })),
});
const geminiList = z.looseObject({
  models: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        displayName: z.string().nullish(),
        inputTokenLimit: pos,
        outputTokenLimit: pos,
        supportedGenerationMethods: z.array(z.string()).nullish(),
        thinking: z.boolean().nullish(),
      }),
    )
    .nullish(),
  nextPageToken: z.string().nullish(),
});
const codexList = z.looseObject({
  models: z.array(z.looseObject({ slug: z.string().min(1), display_name: z.string().nullish(), context_window: pos, visibility: z.string().nullish() })),
});
const antigravityList = z.looseObject({ models: z.record(z.string(), z.looseObject({ displayName: z.string().nullish() })) });

function clean(info: ModelInfo): ModelInfo {
  const out: ModelInfo = { id: info.id };
  if (info.displayName) out.displayName = info.displayName;
  if (info.contextWindow) out.contextWindow = info.contextWindow;
  if (info.maxOutputTokens) out.maxOutputTokens = info.maxOutputTokens;
  if (info.capabilities && Object.keys(info.capabilities).length) out.capabilities = info.capabilities;
  return out;
}

function parseAnthropic(body: unknown): { models: ModelInfo[]; next?: string } {
  const p = anthropicList.parse(body);
  const models = p.data.map((m) => {
    const caps: ModelInfo['capabilities'] = {};
    if (m.capabilities?.image_input?.supported != null) caps.vision = m.capabilities.image_input.supported;
    if (m.capabilities?.thinking?.supported != null) caps.reasoning = m.capabilities.thinking.supported;
    return clean({ id: m.id, displayName: m.display_name ?? undefined, contextWindow: m.max_input_tokens ?? undefined, maxOutputTokens: m.max_tokens ?? undefined, capabilities: caps });
  });
  return p.has_more && p.last_id ? { models, next: p.last_id } : { models };
}

function parseOpenAI(body: unknown): { models: ModelInfo[] } {
  return {
    models: openaiList.parse(body).data.map((m) =>
      clean({ id: m.id, contextWindow: m.context_window ?? m.context_length ?? undefined, maxOutputTokens: m.max_output_tokens ?? undefined }),
    ),
  };
}

function parseGemini(body: unknown): { models: ModelInfo[]; next?: string } {
  const p = geminiList.parse(body);
  const models = (p.models ?? [])
    // Only models that answer the calls we make (embedding-only ones keep their own method).
    .filter((m) => !m.supportedGenerationMethods || m.supportedGenerationMethods.some((x) => /generateContent|embedContent|predict/i.test(x)))
    .map((m) =>
      clean({
        id: m.name.replace(/^models\//, ''),
        displayName: m.displayName ?? undefined,
        contextWindow: m.inputTokenLimit ?? undefined,
        maxOutputTokens: m.outputTokenLimit ?? undefined,
        capabilities: m.thinking != null ? { reasoning: m.thinking } : {},
      }),
    );
  return p.nextPageToken ? { models, next: p.nextPageToken } : { models };
}

function bearer(account: Account, credential: string, extra: Record<string, string> = {}): Record<string, string> {
  return withCustomHeaders({ ...extra, authorization: `Bearer ${credential}`, accept: 'application/json' }, account.headers);
}

function withQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

/** `{base}/models` with a bearer: OpenAI, OpenAI-compatible gateways, Qwen, iFlow, Kimi, xAI. */
function openaiStyle(base: (a: Account) => string, extra: (a: Account) => Record<string, string> = () => ({})): ModelListSource {
  return {
    request: (a, credential) => ({ url: joinUrl(base(a), 'models'), method: 'GET', headers: bearer(a, credential, extra(a)) }),
    parse: parseOpenAI,
  };
}

const anthropicApi = (origin: (a: Account) => string, auth: (a: Account, credential: string) => Record<string, string>): ModelListSource => ({
  request: (a, credential, page) => ({
    url: withQuery(joinUrl(origin(a), 'v1/models'), { limit: '1000', after_id: page }),
    method: 'GET',
    headers: withCustomHeaders({ 'anthropic-version': '2023-06-01', accept: 'application/json', ...auth(a, credential) }, a.headers),
  }),
  parse: parseAnthropic,
});

const OFFICIAL_ANTHROPIC = 'https://api.anthropic.com';

export const modelListSources: Partial<Record<ProviderId, ModelListSource>> = {
  'claude-api': anthropicApi(
    (a) => a.baseUrl ?? OFFICIAL_ANTHROPIC,
    (a, c): Record<string, string> =>
      (a.baseUrl ?? OFFICIAL_ANTHROPIC).replace(/\/+$/, '') === OFFICIAL_ANTHROPIC ? { 'x-api-key': c } : { authorization: `Bearer ${c}` },
  ),
  claude: anthropicApi(
    () => OFFICIAL_ANTHROPIC,
    (_a, c) => ({ authorization: `Bearer ${c}`, 'anthropic-beta': CLAUDE_OAUTH_BETAS.join(',') }),
  ),
  'codex-api': openaiStyle((a) => a.baseUrl ?? 'https://api.openai.com/v1'),
  'openai-compatibility': openaiStyle((a) => a.baseUrl ?? 'https://api.openai.com/v1'),
  codex: {
    request: (a, credential) => {
      const extra: Record<string, string> = { originator: 'codex_cli_rs' };
      const accountId = a.meta.account_id;
      if (typeof accountId === 'string' && accountId) extra['chatgpt-account-id'] = accountId;
      return { url: withQuery(joinUrl(CODEX_BASE, 'models'), { client_version: CODEX_CLIENT_VERSION }), method: 'GET', headers: bearer(a, credential, extra) };
    },
    parse: (body) => ({
      models: codexList
        .parse(body)
        .models.filter((m) => m.visibility !== 'hide')
        .map((m) => clean({ id: m.slug, displayName: m.display_name ?? undefined, contextWindow: m.context_window ?? undefined })),
    }),
  },
  'gemini-api': {
    request: (a, credential, page) => ({
      url: withQuery(joinUrl(a.baseUrl ?? 'https://generativelanguage.googleapis.com', 'v1beta/models'), { pageSize: '1000', pageToken: page }),
      method: 'GET',
      headers: withCustomHeaders({ 'x-goog-api-key': credential, accept: 'application/json' }, a.headers),
    }),
    parse: parseGemini,
  },
  antigravity: {
    request: (a, credential) => ({
      url: joinUrl(trustedBase(a.baseUrl, ['googleapis.com'], ANTIGRAVITY_DAILY), 'v1internal:fetchAvailableModels'),
      method: 'POST',
      headers: bearer(a, credential, { 'content-type': 'application/json', 'user-agent': `antigravity/hub/${ANTIGRAVITY_VERSION} ${osName()}/${goArch()}` }),
      body: JSON.stringify({ project: typeof a.meta.projectId === 'string' ? a.meta.projectId : '' }),
    }),
    parse: (body) => ({
      models: Object.entries(antigravityList.parse(body).models).map(([id, m]) => clean({ id, displayName: m.displayName ?? undefined })),
    }),
  },
  qwen: openaiStyle((a) => {
    const resource = a.meta.resource_url;
    const host = trustedBase(typeof resource === 'string' ? resource : undefined, ['qwen.ai', 'aliyuncs.com'], '');
    return host ? (host.endsWith('/v1') ? host : `${host}/v1`) : 'https://portal.qwen.ai/v1';
  }),
  iflow: openaiStyle(() => 'https://apis.iflow.cn/v1', () => ({ 'user-agent': 'iFlow-Cli' })),
  kimi: openaiStyle(() => 'https://api.kimi.com/coding/v1', (a) => kimiIdentityHeaders(a.meta.device_id)),
  xai: openaiStyle(() => 'https://api.x.ai/v1', (a) => xaiIdentityHeaders(xaiUserId(a.meta))),
};
