import { createHash } from 'node:crypto';
import type { EndpointAnswer } from '../routes';

/** A model the engine serves, as the routing layer lists it (the `/v1/models` source). */
export interface ServedModel {
  id: string;
  provider: string;
}

/**
 * The Ollama API version `/api/version` reports. Clients gate features on it (tool calling,
 * `think`), so it names the API level this folder speaks, not a Switchyard version.
 */
export const OLLAMA_API_VERSION = '0.12.6';

/** Nothing is loaded or stored locally, so a fixed date stands for "always there". */
const MODIFIED_AT = '2025-01-01T00:00:00Z';

/** A stable sha256 digest per model name (Ollama clients use it as a cache key). */
function digestOf(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function details(m: ServedModel) {
  return { parent_model: '', format: 'remote', family: m.provider, families: [m.provider], parameter_size: '', quantization_level: '' };
}

/** `GET /api/tags` (api.ListResponse): the served models, sorted by name. */
export function renderTags(models: readonly ServedModel[]): { models: unknown[] } {
  const sorted = [...models].sort((a, b) => a.id.localeCompare(b.id));
  return {
    models: sorted.map((m) => ({ name: m.id, model: m.id, modified_at: MODIFIED_AT, size: 0, digest: digestOf(m.id), details: details(m) })),
  };
}

/** Ollama addresses a model as `name` or `name:tag`; `:latest` is the implicit tag. */
function sameModel(asked: string, id: string): boolean {
  return asked === id || asked === `${id}:latest`;
}

/**
 * `POST /api/show` (api.ShowResponse) for one served model, or a 404 in Ollama's words.
 * Capabilities say what the wire format can carry (the upstream decides what the model does).
 */
export function renderShow(name: string, models: readonly ServedModel[]): EndpointAnswer {
  const m = models.find((x) => sameModel(name, x.id));
  if (!m) return { error: { status: 404, kind: 'not_found', message: `model '${name}' not found` } };
  const json = {
    license: '',
    modelfile: `# Served by Switchyard through a ${m.provider} account\nFROM ${m.id}\n`,
    parameters: '',
    template: '{{ .Prompt }}',
    details: details(m),
    model_info: { 'general.architecture': m.provider, 'general.basename': m.id },
    capabilities: ['completion', 'tools', 'vision', 'thinking'],
    modified_at: MODIFIED_AT,
  };
  return { json };
}

/** `GET /api/version`. */
export function renderVersion(): { version: string } {
  return { version: OLLAMA_API_VERSION };
}

