import { defineProvider } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { COPILOT_API, copilotApiHeaders } from './identity';
import { copilotAuth } from './auth';
import { copilotQuota } from './quota';
import { COPILOT_CATALOG, copilotApiBase, copilotModelList } from './models';

/**
 * GitHub Copilot subscription: OpenAI Chat Completions at api.githubcopilot.com with the
 * short-lived Copilot token and the editor identity headers. Claude / Gemini / Responses
 * clients reach it translated.
 */
export const provider = defineProvider({
  id: 'copilot',
  displayName: 'GitHub Copilot',
  protocol: 'openai-chat',
  kind: 'oauth',
  auth: copilotAuth,
  quota: copilotQuota,
  catalog: COPILOT_CATALOG,
  modelList: copilotModelList,
  owner: 'github-copilot',
  defaultBaseUrl: COPILOT_API,
  buildRequest(call) {
    return {
      url: `${copilotApiBase(call.account)}/chat/completions`,
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
});

/** The folder's module under its older name (tests and neighbours import it). */
export const copilotProvider = provider;
