import type { ProviderId } from '../providers/provider';

const OWNER: Partial<Record<ProviderId, string>> = {
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
};

/** The model list in the shape the asking client expects. */
export function renderModelList(
  models: Array<{ id: string; provider: ProviderId }>,
  shape: 'openai' | 'claude' | 'gemini',
): unknown {
  const created = 1_700_000_000;
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  if (shape === 'claude') {
    const data = sorted.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: new Date(created * 1000).toISOString() }));
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  }
  if (shape === 'gemini') {
    return {
      models: sorted.map((m) => ({
        name: `models/${m.id}`,
        version: '001',
        displayName: m.id,
        description: `${m.id} via Switchyard`,
        inputTokenLimit: 1_048_576,
        outputTokenLimit: 65_536,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
      })),
    };
  }
  return {
    object: 'list',
    data: sorted.map((m) => ({ id: m.id, object: 'model', created, owned_by: OWNER[m.provider] ?? m.provider })),
  };
}
