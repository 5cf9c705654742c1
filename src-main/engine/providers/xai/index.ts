import type { ProviderDescriptor } from '../provider';
import { bodyText, withCustomHeaders } from '../shared-request';
import { builtinIds } from '../../models/builtin-catalog';
import { xaiIdentityHeaders, xaiUserId } from './identity';

const BASE = 'https://api.x.ai/v1';

/** xAI (SuperGrok) sign-in: the Responses API with the device-flow token and the Grok CLI's client headers. */
export const xaiProvider: ProviderDescriptor = {
  id: 'xai',
  displayName: 'xAI (Grok)',
  protocol: 'openai-responses',
  kind: 'oauth',
  defaultBaseUrl: BASE,
  defaultModels: builtinIds('xai'),
  buildRequest(call) {
    return {
      url: `${BASE}/responses`,
      method: 'POST',
      headers: withCustomHeaders(
        {
          'content-type': 'application/json',
          authorization: `Bearer ${call.credential}`,
          ...xaiIdentityHeaders(xaiUserId(call.account.meta)),
          accept: call.stream ? 'text/event-stream' : 'application/json',
        },
        call.account.headers,
      ),
      body: bodyText(call),
    };
  },
};
