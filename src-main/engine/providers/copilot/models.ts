import { z } from 'zod';
import { trustedBase } from '../../accounts/upstream-identity';
import { clean, type ModelListSource } from '../../models/list-source';
import { ALL, m } from '../../models/shared-catalog';
import type { ModelInfo } from '../../models/types';
import type { Account } from '../provider';
import { withCustomHeaders } from '../shared-request';
import { applyHostOverrides, type HostOverrides } from '../../upstream/host-overrides';
import { COPILOT_API, copilotApiHeaders } from './identity';

/** What a Copilot seat is offered before its own list has been read (limits as Copilot states them). */
export const COPILOT_CATALOG: readonly ModelInfo[] = [
  m('gpt-4.1', 128_000, 16_384, ALL, 'GPT-4.1 (Copilot)'),
  m('gpt-5-mini', 128_000, 64_000, ALL, 'GPT-5 mini (Copilot)'),
  m('claude-sonnet-4.5', 128_000, 16_000, ALL, 'Claude Sonnet 4.5 (Copilot)'),
  m('gemini-2.5-pro', 128_000, 64_000, ALL, 'Gemini 2.5 Pro (Copilot)'),
];

/**
 * The API host of the account's seat: business and enterprise seats get their own
 * (`endpoints.api` of the token exchange); the token only ever goes to a githubcopilot.com host.
 */
export function copilotApiBase(account: Account): string {
  const api = account.meta.copilot_api;
  return trustedBase(typeof api === 'string' ? api : undefined, ['githubcopilot.com'], COPILOT_API);
}

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

/** The model-list hook: `GET <seat API>/models` with the Copilot token and the editor identity. */
export const copilotModelList: ModelListSource = {
  request: (a, copilotToken) => ({
    url: `${copilotApiBase(a)}/models`,
    method: 'GET',
    headers: withCustomHeaders({ ...copilotApiHeaders(copilotToken, 'model-access'), accept: 'application/json' }, a.headers),
  }),
  parse: (body) => ({
    models: parseCopilotModels(body).map((x) =>
      clean({ id: x.id, displayName: x.name, contextWindow: x.contextWindow, maxOutputTokens: x.maxOutputTokens, capabilities: { tools: x.tools, vision: x.vision } }),
    ),
  }),
};
