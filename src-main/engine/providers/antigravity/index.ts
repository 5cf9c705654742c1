import { readGoogleFailure } from '../gemini-api/reset-hints';
import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { unwrapCodeAssist, unwrapCodeAssistEvent, wrapCodeAssist } from '../../protocols/gemini/code-assist';
import { goArch, osName, trustedBase } from '../../accounts/upstream-identity';
import { codeAssistAction, wrapCountTokens } from '../gemini-cli';
import { ANTIGRAVITY_DAILY } from './auth';
import { antigravityAuth } from './auth';
import { ANTIGRAVITY_VERSION } from './version';
import { antigravityQuota } from './quota';
import { ANTIGRAVITY_CATALOG, antigravityModelList } from './models';

/** Hosts tried in order by Antigravity clients; an auth file's `base_url` may pick another Google host. */
export const ANTIGRAVITY_BASES = [ANTIGRAVITY_DAILY, 'https://cloudcode-pa.googleapis.com'] as const;
export { ANTIGRAVITY_VERSION };

/** Gemini, Claude and GPT-OSS models through Antigravity's Code Assist backend. */
export const provider = defineProvider({
  id: 'antigravity',
  displayName: 'Antigravity',
  protocol: 'gemini',
  kind: 'oauth',
  readFailure: readGoogleFailure,
  capabilities: { images: true },
  auth: antigravityAuth,
  quota: antigravityQuota,
  catalog: ANTIGRAVITY_CATALOG,
  modelList: antigravityModelList,
  modelFamilies: [/^gemini-/i],
  owner: 'google',
  defaultBaseUrl: ANTIGRAVITY_DAILY,
  buildRequest(call) {
    const base = trustedBase(call.account.baseUrl, ['googleapis.com'], ANTIGRAVITY_DAILY);
    return {
      url: joinUrl(base, `v1internal:${codeAssistAction(call)}`),
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          'user-agent': `antigravity/hub/${ANTIGRAVITY_VERSION} ${osName()}/${goArch()}`,
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
  wrapRequest(body, call) {
    if (call.operation === 'count-tokens') return wrapCountTokens(body);
    const project = typeof call.account.meta.projectId === 'string' ? call.account.meta.projectId : '';
    return wrapCodeAssist(body, { model: call.upstreamModel, project, userAgent: 'antigravity', requestType: 'agent' });
  },
  unwrapStreamEvent: unwrapCodeAssistEvent,
  unwrapResponse: unwrapCodeAssist,
});

/** The folder's module under its older name (tests and neighbours import it). */
export const antigravityProvider = provider;
