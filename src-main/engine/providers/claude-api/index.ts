import { readAnthropicFailure } from '../claude/reset-hints';
import { defineProvider } from '../provider';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { CLAUDE } from '../../models/shared-catalog';
import { anthropicApi } from '../../models/list-source';

const OFFICIAL = 'https://api.anthropic.com';

/** Anthropic Messages with an API key; `base-url` is the origin, the engine appends /v1/messages. */
export const provider = defineProvider({
  id: 'claude-api',
  displayName: 'Claude API',
  protocol: 'claude-messages',
  kind: 'api-key',
  readFailure: readAnthropicFailure,
  capabilities: { countTokens: true },
  configSection: { section: 'claude-api-key', entryNoun: 'Claude key' },
  catalog: CLAUDE,
  modelList: anthropicApi(
    (a) => a.baseUrl ?? OFFICIAL,
    (a, c): Record<string, string> => ((a.baseUrl ?? OFFICIAL).replace(/\/+$/, '') === OFFICIAL ? { 'x-api-key': c } : { authorization: `Bearer ${c}` }),
  ),
  modelFamilies: [/^claude-/i],
  owner: 'anthropic',
  defaultBaseUrl: OFFICIAL,
  buildRequest(call) {
    const base = call.account.baseUrl ?? OFFICIAL;
    const path = call.operation === 'count-tokens' ? 'v1/messages/count_tokens' : 'v1/messages';
    // The official host wants x-api-key; gateways in front of it usually want a bearer.
    const auth: Record<string, string> =
      base.replace(/\/+$/, '') === OFFICIAL ? { 'x-api-key': call.credential } : { authorization: `Bearer ${call.credential}` };
    return {
      url: joinUrl(base, path),
      method: 'POST',
      headers: withCustomHeaders(
        { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...auth },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
});

/** The folder's module under its older name (tests and neighbours import it). */
export const claudeApiProvider = provider;
