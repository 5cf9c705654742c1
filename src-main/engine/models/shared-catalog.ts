import type { ModelInfo } from './types';

/**
 * Model tables more than one provider serves (Claude via the API and the subscription, GPT via
 * the API and Codex, Gemini via four doors) and the helper provider folders write their catalog
 * facts with. Limits are the providers' published ones. Each provider folder picks its own
 * `catalog` from these; `builtin-catalog.ts` collects them from the registry.
 */
export const ALL = { tools: true, vision: true, reasoning: true } as const;
export const TEXT_TOOLS = { tools: true, vision: false, reasoning: true } as const;

export function m(id: string, contextWindow: number, maxOutputTokens: number | undefined, capabilities: ModelInfo['capabilities'] = ALL, displayName?: string): ModelInfo {
  const info: ModelInfo = { id, contextWindow, capabilities };
  if (maxOutputTokens) info.maxOutputTokens = maxOutputTokens;
  if (displayName) info.displayName = displayName;
  return info;
}

export const CLAUDE: ModelInfo[] = [
  m('claude-opus-4-6', 200_000, 128_000, ALL, 'Claude Opus 4.6'),
  m('claude-sonnet-4-6', 200_000, 64_000, ALL, 'Claude Sonnet 4.6'),
  m('claude-haiku-4-5', 200_000, 64_000, ALL, 'Claude Haiku 4.5'),
  m('claude-opus-4-5', 200_000, 64_000, ALL, 'Claude Opus 4.5'),
  m('claude-sonnet-4-5', 200_000, 64_000, ALL, 'Claude Sonnet 4.5'),
];

export const GPT: ModelInfo[] = [
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

export const GEMINI: ModelInfo[] = [
  m('gemini-3-pro-preview', 1_048_576, 65_536, ALL, 'Gemini 3 Pro Preview'),
  m('gemini-3-flash-preview', 1_048_576, 65_536, ALL, 'Gemini 3 Flash Preview'),
  m('gemini-3.1-pro-preview', 1_048_576, 65_536, ALL, 'Gemini 3.1 Pro Preview'),
  m('gemini-2.5-pro', 1_048_576, 65_536, ALL, 'Gemini 2.5 Pro'),
  m('gemini-2.5-flash', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash'),
  m('gemini-2.5-flash-lite', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash-Lite'),
];
export const GEMINI_MEDIA: ModelInfo[] = [
  m('gemini-embedding-001', 2_048, undefined, { tools: false, vision: false, reasoning: false }, 'Gemini Embedding'),
  m('gemini-2.5-flash-image', 32_768, 32_768, { tools: false, vision: true, reasoning: false }, 'Gemini 2.5 Flash Image'),
  m('gemini-3-pro-image-preview', 65_536, 32_768, { tools: false, vision: true, reasoning: true }, 'Gemini 3 Pro Image Preview'),
];

export const byId = (list: ModelInfo[], ids: string[]): ModelInfo[] => ids.map((id) => list.find((x) => x.id === id)).filter((x): x is ModelInfo => !!x);

