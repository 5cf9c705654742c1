import { z } from 'zod';
import { goArch, osName, trustedBase } from '../../accounts/upstream-identity';
import { bearer, clean, type ModelListSource } from '../../models/list-source';
import { ALL, m, TEXT_TOOLS } from '../../models/shared-catalog';
import type { ModelInfo } from '../../models/types';
import { joinUrl } from '../shared-request';
import { ANTIGRAVITY_DAILY } from './auth';
import { ANTIGRAVITY_VERSION } from './version';

/** What Antigravity serves before its own list has been read. */
export const ANTIGRAVITY_CATALOG: readonly ModelInfo[] = [
  m('gemini-3-pro-high', 1_048_576, 65_536, ALL, 'Gemini 3 Pro (High)'),
  m('gemini-3-pro-low', 1_048_576, 65_536, ALL, 'Gemini 3 Pro (Low)'),
  m('gemini-3-flash', 1_048_576, 65_536, ALL, 'Gemini 3 Flash'),
  m('gemini-2.5-flash', 1_048_576, 65_536, ALL, 'Gemini 2.5 Flash'),
  m('claude-sonnet-4-6', 200_000, 64_000, ALL, 'Claude Sonnet 4.6'),
  m('claude-opus-4-6-thinking', 200_000, 64_000, ALL, 'Claude Opus 4.6 (Thinking)'),
  m('gpt-oss-120b-medium', 131_072, 32_768, TEXT_TOOLS, 'GPT-OSS 120B (Medium)'),
];

const antigravityList = z.looseObject({ models: z.record(z.string(), z.looseObject({ displayName: z.string().nullish() })) });

/** Antigravity's `POST v1internal:fetchAvailableModels` for the account's project. */
export const antigravityModelList: ModelListSource = {
  request: (a, credential) => ({
    url: joinUrl(trustedBase(a.baseUrl, ['googleapis.com'], ANTIGRAVITY_DAILY), 'v1internal:fetchAvailableModels'),
    method: 'POST',
    headers: bearer(a, credential, { 'content-type': 'application/json', 'user-agent': `antigravity/hub/${ANTIGRAVITY_VERSION} ${osName()}/${goArch()}` }),
    body: JSON.stringify({ project: typeof a.meta.projectId === 'string' ? a.meta.projectId : '' }),
  }),
  parse: (body) => ({
    models: Object.entries(antigravityList.parse(body).models).map(([id, info]) => clean({ id, displayName: info.displayName ?? undefined })),
  }),
};
