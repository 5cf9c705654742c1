import { z } from 'zod';
import type { Account } from '../providers/provider';
import { joinUrl, withCustomHeaders } from '../providers/shared-request';
import type { ModelInfo } from './types';

/**
 * How a provider's own model list is read (each folder's `modelList` hook), and builders for the
 * common shapes: Anthropic `GET /v1/models` (paged by `after_id`), OpenAI-style `GET {base}/models`
 * and Gemini `GET /v1beta/models` (paged by `pageToken`). Providers with their own shape (Codex,
 * Antigravity, Copilot) write theirs in their folder; providers without a list keep the built-in
 * catalog plus family routing.
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

export const pos = z.number().int().positive().nullish();
export const supported = z.looseObject({ supported: z.boolean().nullish() }).nullish();

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
export function clean(info: ModelInfo): ModelInfo {
  const out: ModelInfo = { id: info.id };
  if (info.displayName) out.displayName = info.displayName;
  if (info.contextWindow) out.contextWindow = info.contextWindow;
  if (info.maxOutputTokens) out.maxOutputTokens = info.maxOutputTokens;
  if (info.capabilities && Object.keys(info.capabilities).length) out.capabilities = info.capabilities;
  return out;
}

export function parseAnthropic(body: unknown): { models: ModelInfo[]; next?: string } {
  const p = anthropicList.parse(body);
  const models = p.data.map((m) => {
    const caps: ModelInfo['capabilities'] = {};
    if (m.capabilities?.image_input?.supported != null) caps.vision = m.capabilities.image_input.supported;
    if (m.capabilities?.thinking?.supported != null) caps.reasoning = m.capabilities.thinking.supported;
    return clean({ id: m.id, displayName: m.display_name ?? undefined, contextWindow: m.max_input_tokens ?? undefined, maxOutputTokens: m.max_tokens ?? undefined, capabilities: caps });
  });
  return p.has_more && p.last_id ? { models, next: p.last_id } : { models };
}

export function parseOpenAI(body: unknown): { models: ModelInfo[] } {
  return {
    models: openaiList.parse(body).data.map((m) =>
      clean({ id: m.id, contextWindow: m.context_window ?? m.context_length ?? undefined, maxOutputTokens: m.max_output_tokens ?? undefined }),
    ),
  };
}

export function parseGemini(body: unknown): { models: ModelInfo[]; next?: string } {
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

export function bearer(account: Account, credential: string, extra: Record<string, string> = {}): Record<string, string> {
  return withCustomHeaders({ ...extra, authorization: `Bearer ${credential}`, accept: 'application/json' }, account.headers);
}

export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

/** `{base}/models` with a bearer: OpenAI, OpenAI-compatible gateways, Qwen, iFlow, Kimi, xAI. */
export function openaiStyle(base: (a: Account) => string, extra: (a: Account) => Record<string, string> = () => ({})): ModelListSource {
  return {
    request: (a, credential) => ({ url: joinUrl(base(a), 'models'), method: 'GET', headers: bearer(a, credential, extra(a)) }),
    parse: parseOpenAI,
  };
}

export const anthropicApi = (origin: (a: Account) => string, auth: (a: Account, credential: string) => Record<string, string>): ModelListSource => ({
  request: (a, credential, page) => ({
    url: withQuery(joinUrl(origin(a), 'v1/models'), { limit: '1000', after_id: page }),
    method: 'GET',
    headers: withCustomHeaders({ 'anthropic-version': '2023-06-01', accept: 'application/json', ...auth(a, credential) }, a.headers),
  }),
  parse: parseAnthropic,
});

export const OFFICIAL_ANTHROPIC = 'https://api.anthropic.com';
