import type { ModelInfo, ModelSource } from '../models/types';
import type { ListedModel } from '../protocols';

/** Who an OpenAI-style list names as owner, by provider id (others: the provider id itself). */
const OWNER = new Map<string, string>(Object.entries({
  'gemini-api': 'google',
  vertex: 'google',
  'gemini-cli': 'google',
  antigravity: 'google',
  'claude-api': 'anthropic',
  claude: 'anthropic',
  'codex-api': 'openai',
  codex: 'openai',
  qwen: 'qwen',
  iflow: 'iflow',
  kimi: 'moonshot',
  xai: 'xai',
  copilot: 'github-copilot',
}));

/**
 * One listed model. `source` and `info` come from the routing layer's model catalog (where the id
 * came from: built-in catalog, the upstream's own list, or config; context window and capability
 * flags); lists built elsewhere may leave them out.
 */
export interface RenderableModel {
  id: string;
  provider: string;
  source?: ModelSource;
  info?: ModelInfo;
}

/** The served models as the wire formats' list renderers read them (owner names resolved here). */
export function listedModels(models: readonly RenderableModel[]): ListedModel[] {
  return models.map((m) => ({ id: m.id, provider: m.provider, ownedBy: OWNER.get(m.provider) ?? m.provider, source: m.source, info: m.info }));
}
