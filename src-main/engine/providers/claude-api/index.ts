import type { ProviderDescriptor } from '../provider';
import { readAnthropicFailure } from '../claude/reset-hints';
import { bodyText, joinUrl, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';

const OFFICIAL = 'https://api.anthropic.com';

/** Anthropic Messages with an API key; `base-url` is the origin, the engine appends /v1/messages. */
export const claudeApiProvider: ProviderDescriptor = {
  id: 'claude-api',
  displayName: 'Claude API',
  protocol: 'claude-messages',
  kind: 'api-key',
  readFailure: readAnthropicFailure,
  countTokens: true,
  defaultBaseUrl: OFFICIAL,
  defaultModels: builtinIds('claude-api'),
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
};
