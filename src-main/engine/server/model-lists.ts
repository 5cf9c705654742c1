import type { ModelInfo, ModelSource } from '../models/types';
import { providers } from '../providers';
import type { ProviderId } from '../providers/provider';

/** `owned_by` as each provider folder declares it (`owner`), else the provider id. */
const ownerOf = (id: ProviderId): string => providers[id]?.owner ?? id;

/**
 * One listed model. `source` and `info` come from the routing layer's model catalog (where the id
 * came from: built-in catalog, the upstream's own list, or config; context window and capability
 * flags); lists built elsewhere may leave them out.
 */
export interface RenderableModel {
  id: string;
  provider: ProviderId;
  source?: ModelSource;
  info?: ModelInfo;
}

/** Switchyard's additions to each entry (extra fields clients ignore; the UI reads them). */
function extras(m: RenderableModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.source) out.source = m.source;
  if (m.info?.contextWindow) out.context_window = m.info.contextWindow;
  if (m.info?.maxOutputTokens) out.max_output_tokens = m.info.maxOutputTokens;
  if (m.info?.capabilities) out.capabilities = m.info.capabilities;
  return out;
}

/** The model list in the shape the asking client expects. */
export function renderModelList(models: RenderableModel[], shape: 'openai' | 'claude' | 'gemini'): unknown {
  const created = 1_700_000_000;
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  if (shape === 'claude') {
    const data = sorted.map((m) => {
      const entry: Record<string, unknown> = { type: 'model', id: m.id, display_name: m.info?.displayName ?? m.id, created_at: new Date(created * 1000).toISOString() };
      // Anthropic's own Models API field names for the limits.
      if (m.info?.contextWindow) entry.max_input_tokens = m.info.contextWindow;
      if (m.info?.maxOutputTokens) entry.max_tokens = m.info.maxOutputTokens;
      if (m.source) entry.source = m.source;
      return entry;
    });
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
  }
  if (shape === 'gemini') {
    return {
      models: sorted.map((m) => ({
        name: `models/${m.id}`,
        version: '001',
        displayName: m.info?.displayName ?? m.id,
        description: `${m.id} via Switchyard`,
        inputTokenLimit: m.info?.contextWindow ?? 1_048_576,
        outputTokenLimit: m.info?.maxOutputTokens ?? 65_536,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
        ...(m.info?.capabilities?.reasoning !== undefined ? { thinking: m.info.capabilities.reasoning } : {}),
      })),
    };
  }
  return {
    object: 'list',
    data: sorted.map((m) => ({ id: m.id, object: 'model', created, owned_by: ownerOf(m.provider), ...extras(m) })),
  };
}
