import type { ListedModel } from '../routes';

const CREATED_AT = new Date(1_700_000_000 * 1000).toISOString();

/** Anthropic's Models API list (`GET /v1/models` with `anthropic-version`), sorted by id. */
export function renderClaudeModelList(models: readonly ListedModel[]): unknown {
  const data = [...models]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((m) => {
      const entry: Record<string, unknown> = { type: 'model', id: m.id, display_name: m.info?.displayName ?? m.id, created_at: CREATED_AT };
      // Anthropic's own Models API field names for the limits.
      if (m.info?.contextWindow) entry.max_input_tokens = m.info.contextWindow;
      if (m.info?.maxOutputTokens) entry.max_tokens = m.info.maxOutputTokens;
      if (m.source) entry.source = m.source;
      return entry;
    });
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null };
}
