import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';
import { trustedBase } from '../../accounts/upstream-identity';
import { COPILOT_API, copilotApiHeaders } from './identity';

/**
 * GitHub Copilot subscription: OpenAI Chat Completions at api.githubcopilot.com with the
 * short-lived Copilot token and the editor identity headers. Claude / Gemini / Responses
 * clients reach it translated.
 */
export const copilotProvider: ProviderDescriptor = {
  id: 'copilot',
  displayName: 'GitHub Copilot',
  protocol: 'openai-chat',
  kind: 'oauth',
  defaultBaseUrl: COPILOT_API,
  defaultModels: builtinIds('copilot'),
  buildRequest(call) {
    // Business and enterprise seats get their own API host (`endpoints.api` of the token exchange);
    // the token only ever goes to a githubcopilot.com host.
    const api = call.account.meta.copilot_api;
    const base = trustedBase(typeof api === 'string' ? api : undefined, ['githubcopilot.com'], COPILOT_API);
    return {
      url: `${base}/chat/completions`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          ...copilotApiHeaders(call.credential),
          // Requests a client sends count as user-initiated (premium requests are billed per user turn).
          'x-initiator': 'user',
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
