import { z } from 'zod';
import { bearer, clean, pos, withQuery, type ModelListSource } from '../../models/list-source';
import { joinUrl } from '../shared-request';

/** Codex CLI version the backend's model list is asked for (it filters by client version). */
export const CODEX_CLIENT_VERSION = '0.169.0';
const CODEX_BASE = 'https://chatgpt.com/backend-api/codex';

const codexList = z.looseObject({
  models: z.array(z.looseObject({ slug: z.string().min(1), display_name: z.string().nullish(), context_window: pos, visibility: z.string().nullish() })),
});

/** The ChatGPT Codex backend's `GET …/codex/models?client_version=…` (hidden models left out). */
export const codexModelList: ModelListSource = {
  request: (a, credential) => {
    const extra: Record<string, string> = { originator: 'codex_cli_rs' };
    const accountId = a.meta.account_id;
    if (typeof accountId === 'string' && accountId) extra['chatgpt-account-id'] = accountId;
    return { url: withQuery(joinUrl(CODEX_BASE, 'models'), { client_version: CODEX_CLIENT_VERSION }), method: 'GET', headers: bearer(a, credential, extra) };
  },
  parse: (body) => ({
    models: codexList
      .parse(body)
      .models.filter((m) => m.visibility !== 'hide')
      .map((m) => clean({ id: m.slug, displayName: m.display_name ?? undefined, contextWindow: m.context_window ?? undefined })),
  }),
};
