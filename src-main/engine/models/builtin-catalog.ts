import type { ProviderId } from '../providers/provider';
import type { ModelInfo } from './types';

/**
 * Models each provider serves when an account lists none and its upstream's own model list has
 * not been read yet (or the upstream has none). Discovery (`discovery.ts`) replaces these with
 * what the upstream says; family routing (`routing/model-catalog.ts`) covers ids released
 * after this list was written. Limits are the providers' published ones.
 */
const ALL = { tools: true, vision: true, reasoning: true } as const;
const TEXT_TOOLS = { tools: true, vision: false, reasoning: true } as const;

function m(id: string, contextWindow: number, maxOutputTokens: number | undefined, capabilities: ModelInfo['capabilities'] = ALL, displayName?: string): ModelInfo {
  const info: ModelInfo = { id, contextWindow, capabilities };
  if (maxOutputTokens) info.maxOutputTokens = maxOutputTokens;
  if (displayName) info.displayName = displayName;
  return info;
}

const CLAUDE: ModelInfo[] = [
  m('claude-opus-4-6', 200_000, 128_000, ALL, 'Claude Opus 4.6'),
  m('claude-sonnet-4-6', 200_000, 64_000, ALL, 'Claude Sonnet 4.6'),
  m('claude-haiku-4-5', 200_000, 64_000, ALL, 'Claude Haiku 4.5'),
  m('claude-opus-4-5', 200_000, 64_000, ALL, 'Claude Opus 4.5'),
  m('claude-sonnet-4-5', 200_000, 64_000, ALL, 'Claude Sonnet 4.5'),
];

const GPT: ModelInfo[] = [
  m('gpt-5.5', 400_000, 128_000, ALL, 'GPT-5.5'),
  m('gpt-5.5-codex', 400_000, 128_000, ALL, 'GPT-5.5-Codex'),
  m('gpt-5.4', 400_000, 128_000, ALL, 'GPT-5.4'),
  m('gpt-5.3-codex', 400_000, 128_000, ALL, 'GPT-5.3-Codex'),
  m('gpt-5.2', 400_000, 128_000, ALL, 'GPT-5.2'),
  m('gpt-5.2-codex', 400_000, 128_000, ALL, 'GPT-5.2-Codex'),
  m('gpt-5.1', 400_000, 128_000, ALL, 'GPT-5.1'),
  m('gpt-5.1-codex', 400_000, 128_000, ALL, 'GPT-5.1-Codex'),
  m('gpt-5.1-codex-mini', 400_000, 128_000, ALL, 'GPT-5.1-Codex-Mini'),
  m('gpt-5', 400_000, 128_000, ALL, 'GPT-5'),
  m('gpt-5-codex', 400_000, 128_000, ALL, 'GPT-5-Codex'),
];

const GEMINI: ModelInfo[] = [
  m('gemini-3-pro-preview', 1_048_576, 65_536, ALL, 'Gemini 3 Pro Preview'),
  m('gemini-3-flash-preview', 1_048_576, 65_536, ALL, 'Gemini 3 Flash Preview'),
  m('gemini-3.1-pro-preview', 1_048_576, 65_536, ALL, 'Gemini 3.1 Pro Preview'),
  m('gemini-2.5-pro', 1_048_576, 65_536, ALL, 'Gemini 2.5 Pro'),
  m('gemini-2.5-flash', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash'),
  m('gemini-2.5-flash-lite', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash-Lite'),
];
const GEMINI_MEDIA: ModelInfo[] = [
  m('gemini-embedding-001', 2_048, undefined, { tools: false, vision: false, reasoning: false }, 'Gemini Embedding'),
  m('gemini-2.5-flash-image', 32_768, 32_768, { tools: false, vision: true, reasoning: false }, 'Gemini 2.5 Flash Image'),
  m('gemini-3-pro-image-preview', 65_536, 32_768, { tools: false, vision: true, reasoning: true }, 'Gemini 3 Pro Image Preview'),
];

const byId = (list: ModelInfo[], ids: string[]): ModelInfo[] => ids.map((id) => list.find((x) => x.id === id)).filter((x): x is ModelInfo => !!x);

export const BUILTIN_CATALOG: Readonly<Record<ProviderId, readonly ModelInfo[]>> = {
  'openai-compatibility': [],
  'claude-api': CLAUDE,
  claude: CLAUDE,
  'codex-api': GPT,
  codex: GPT,
  'gemini-api': [...GEMINI, ...GEMINI_MEDIA],
  vertex: [...byId(GEMINI, ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']), ...GEMINI_MEDIA.slice(0, 2)],
  'gemini-cli': byId(GEMINI, ['gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite']),
  antigravity: [
    m('gemini-3-pro-high', 1_048_576, 65_536, ALL, 'Gemini 3 Pro (High)'),
    m('gemini-3-pro-low', 1_048_576, 65_536, ALL, 'Gemini 3 Pro (Low)'),
    m('gemini-3-flash', 1_048_576, 65_536, ALL, 'Gemini 3 Flash'),
    m('gemini-2.5-flash', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash'),
    m('claude-sonnet-4-6', 200_000, 64_000, ALL, 'Claude Sonnet 4.6'),
    m('claude-opus-4-6-thinking', 200_000, 64_000, ALL, 'Claude Opus 4.6 (Thinking)'),
    m('gpt-oss-120b-medium', 131_072, 32_768, TEXT_TOOLS, 'GPT-OSS 120B (Medium)'),
  ],
  qwen: [
    m('coder-model', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen Coder'),
    m('qwen3-coder-plus', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen3 Coder Plus'),
    m('qwen3-coder-flash', 1_000_000, 65_536, TEXT_TOOLS, 'Qwen3 Coder Flash'),
  ],
  iflow: [
    m('qwen3-coder-plus', 1_000_000, 65_536, TEXT_TOOLS),
    m('qwen3-max', 262_144, 65_536, TEXT_TOOLS),
    m('glm-4.6', 200_000, 128_000, TEXT_TOOLS),
    m('kimi-k2', 131_072, 65_536, TEXT_TOOLS),
    m('deepseek-v3.2', 131_072, 65_536, TEXT_TOOLS),
  ],
  kimi: [
    m('kimi-for-coding', 262_144, 32_768, TEXT_TOOLS, 'Kimi for Coding'),
    m('kimi-k2-thinking', 262_144, 32_768, TEXT_TOOLS, 'Kimi K2 Thinking'),
  ],
  xai: [
    m('grok-code-fast-1', 256_000, 64_000, TEXT_TOOLS, 'Grok Code Fast 1'),
    m('grok-4', 256_000, 64_000, ALL, 'Grok 4'),
    m('grok-4-fast', 2_000_000, 64_000, ALL, 'Grok 4 Fast'),
  ],
  copilot: [
    m('gpt-4.1', 128_000, 16_384, ALL, 'GPT-4.1 (Copilot)'),
    m('gpt-5-mini', 128_000, 64_000, ALL, 'GPT-5 mini (Copilot)'),
    m('claude-sonnet-4.5', 128_000, 16_000, ALL, 'Claude Sonnet 4.5 (Copilot)'),
    m('gemini-2.5-pro', 128_000, 64_000, ALL, 'Gemini 2.5 Pro (Copilot)'),
  ],
};

/** Built-in ids of one provider (what `ProviderDescriptor.defaultModels` shows). */
export function builtinIds(provider: ProviderId): string[] {
  return BUILTIN_CATALOG[provider].map((x) => x.id);
}

/** Facts the catalog knows about an upstream id, from this provider first, then any provider. */
export function builtinInfo(provider: ProviderId, id: string): ModelInfo | undefined {
  const own = BUILTIN_CATALOG[provider].find((x) => x.id === id);
  if (own) return own;
  for (const list of Object.values(BUILTIN_CATALOG)) {
    const hit = list.find((x) => x.id === id);
    if (hit) return hit;
  }
  return undefined;
}
