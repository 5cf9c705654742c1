import { z } from 'zod';
import { applyHostOverrides, type HostOverrides } from '../../upstream/host-overrides';
import { COPILOT_API, copilotApiHeaders } from './identity';

/**
 * Copilot's model list (`GET api.githubcopilot.com/models`): what this seat may use, with limits
 * and capabilities. Only chat models that the seat's policy has not disabled are kept.
 */
const modelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  model_picker_enabled: z.boolean().nullish(),
  policy: z.looseObject({ state: z.string().nullish() }).nullish(),
  capabilities: z
    .looseObject({
      type: z.string().nullish(),
      limits: z.looseObject({ max_context_window_tokens: z.number().nullish(), max_output_tokens: z.number().nullish() }).nullish(),
      supports: z.looseObject({ tool_calls: z.boolean().nullish(), vision: z.boolean().nullish() }).nullish(),
    })
    .nullish(),
});
const listSchema = z.looseObject({ data: z.array(z.unknown()) });

export interface CopilotModel {
  id: string;
  name: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  tools: boolean;
  vision: boolean;
}

export function parseCopilotModels(body: unknown): CopilotModel[] {
  const list = listSchema.safeParse(body);
  if (!list.success) return [];
  const out: CopilotModel[] = [];
  for (const item of list.data.data) {
    const m = modelSchema.safeParse(item);
    if (!m.success) continue;
    const c = m.data.capabilities;
    if (c?.type && c.type !== 'chat') continue;
    if (m.data.policy?.state === 'disabled') continue;
    out.push({
      id: m.data.id,
      name: m.data.name ?? m.data.id,
      contextWindow: c?.limits?.max_context_window_tokens ?? undefined,
      maxOutputTokens: c?.limits?.max_output_tokens ?? undefined,
      tools: c?.supports?.tool_calls === true,
      vision: c?.supports?.vision === true,
    });
  }
  return out;
}

/** Fetch the seat's chat models with the Copilot token. */
export async function fetchCopilotModels(copilotToken: string, overrides: HostOverrides, f: typeof fetch = fetch): Promise<CopilotModel[]> {
  const res = await f(applyHostOverrides(`${COPILOT_API}/models`, overrides), { method: 'GET', headers: { ...copilotApiHeaders(copilotToken, 'model-access'), accept: 'application/json' } });
  if (!res.ok) throw new Error(`Copilot model list failed (HTTP ${res.status})`);
  return parseCopilotModels(await res.json());
}
