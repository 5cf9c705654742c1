import type { ListedModel, RequestHeaders } from '../routes';
import { renderClaudeModelList } from '../claude-messages/models';

const CREATED = 1_700_000_000;

/** Switchyard's additions to each entry (extra fields clients ignore; the UI reads them). */
function extras(m: ListedModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m.source) out.source = m.source;
  if (m.info?.contextWindow) out.context_window = m.info.contextWindow;
  if (m.info?.maxOutputTokens) out.max_output_tokens = m.info.maxOutputTokens;
  if (m.info?.capabilities) out.capabilities = m.info.capabilities;
  return out;
}

/** OpenAI's `GET /v1/models` list, sorted by id. */
export function renderOpenAIModelList(models: readonly ListedModel[]): unknown {
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  return { object: 'list', data: sorted.map((m) => ({ id: m.id, object: 'model', created: CREATED, owned_by: m.ownedBy, ...extras(m) })) };
}

/** `GET /v1/models` is shared with Anthropic's SDKs, which say who they are with `anthropic-version`. */
export function renderModelsForCaller(models: readonly ListedModel[], headers: RequestHeaders): unknown {
  return headers['anthropic-version'] ? renderClaudeModelList(models) : renderOpenAIModelList(models);
}
