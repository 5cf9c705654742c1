import type { EndpointAnswer, ListedModel } from '../routes';

function geminiModel(m: ListedModel): Record<string, unknown> {
  return {
    name: `models/${m.id}`,
    version: '001',
    displayName: m.info?.displayName ?? m.id,
    description: `${m.id} via Switchyard`,
    inputTokenLimit: m.info?.contextWindow ?? 1_048_576,
    outputTokenLimit: m.info?.maxOutputTokens ?? 65_536,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    ...(m.info?.capabilities?.reasoning !== undefined ? { thinking: m.info.capabilities.reasoning } : {}),
  };
}

/** `GET /v1beta/models` (ListModelsResponse), sorted by id. */
export function renderGeminiModelList(models: readonly ListedModel[]): unknown {
  return { models: [...models].sort((a, b) => a.id.localeCompare(b.id)).map(geminiModel) };
}

/** `GET /v1beta/models/{model}`: one model, or Google's 404. */
export function renderGeminiModel(id: string, models: readonly ListedModel[]): EndpointAnswer {
  const m = models.find((x) => x.id === id);
  if (!m) return { error: { status: 404, kind: 'not_found', message: `models/${id.slice(0, 256)} is not found.` } };
  return { json: geminiModel(m) };
}
